/** What an existing backup holds, before a job is connected to it (display only). */
import type { RepositoryContents } from '../../../../shared/contract';
import { formatAge, formatCount, formatDate } from '../../components';

export function RepositorySummary(props: {
  readonly contents: RepositoryContents;
  /** The clock when the contents were read, for "3 days ago". */
  readonly now: number;
}) {
  const c = props.contents;
  return (
    <dl className="review" data-testid="repository-summary">
      <dt>Snapshots</dt>
      <dd>
        {formatCount(c.snapshots, 'snapshot', 'snapshots')}
        {c.unreadable > 0
          ? ` (${formatCount(c.unreadable, 'more', 'more')} could not be read)`
          : ''}
      </dd>
      <dt>Newest</dt>
      <dd>
        {c.newest
          ? `${formatDate(c.newest, props.now)} (${formatAge(Date.parse(c.newest), props.now)})`
          : 'none yet'}
      </dd>
      {c.oldest && c.oldest !== c.newest ? (
        <>
          <dt>Oldest</dt>
          <dd>{formatDate(c.oldest, props.now)}</dd>
        </>
      ) : null}
      <dt>{c.hosts.length === 1 ? 'Made on' : 'Made on computers'}</dt>
      <dd>{c.hosts.length > 0 ? c.hosts.join(', ') : '—'}</dd>
      <dt>Folders</dt>
      <dd>
        <ul className="plain">
          {c.paths.slice(0, 20).map((p) => (
            <li key={p} className="path">
              {p}
            </li>
          ))}
          {c.paths.length > 20 ? <li>and {c.paths.length - 20} more</li> : null}
        </ul>
      </dd>
    </dl>
  );
}
