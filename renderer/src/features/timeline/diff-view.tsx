/** What changed between two snapshots, and what grew the backup (display only). */
import type { DiffKind, DiffResult } from '../../../../shared/contract';
import { VirtualList, formatBytes } from '../../components';

const KINDS: Record<DiffKind, string> = {
  added: 'Added',
  removed: 'Removed',
  changed: 'Changed',
  metadata: 'Details changed',
  type: 'Type changed',
};
const MARKS: Record<DiffKind, string> = {
  added: '+',
  removed: '−',
  changed: 'M',
  metadata: 'U',
  type: 'T',
};

export function DiffView(props: { readonly diff: DiffResult }) {
  const d = props.diff;
  return (
    <div className="diff" data-testid="diff">
      <p role="status">
        {(Object.keys(KINDS) as DiffKind[]).map((k) => `${KINDS[k]}: ${d.totals[k]}`).join(' · ')} ·
        size {d.bytesDelta >= 0 ? '+' : '−'}
        {formatBytes(Math.abs(d.bytesDelta))}
        {d.truncated ? ' (list shortened)' : ''}
      </p>
      {d.changes.length > 0 ? (
        <VirtualList
          label="Changes"
          count={d.changes.length}
          rowRem={1.75}
          heightRem={14}
          renderRow={(i) => {
            const c = d.changes[i]!;
            return (
              <span className={`change change-${c.kind}`}>
                <span aria-label={KINDS[c.kind]} className="mark">
                  {MARKS[c.kind]}
                </span>{' '}
                {c.path}
              </span>
            );
          }}
        />
      ) : null}
      {d.grown.length > 0 ? (
        <>
          <h3>What grew the backup most</h3>
          <ul>
            {d.grown.map((g) => (
              <li key={g.path}>
                {g.path}: +{formatBytes(g.bytes)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
