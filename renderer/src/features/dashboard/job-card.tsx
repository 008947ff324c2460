/**
 * One job: can it be recovered (newest good backup against its RPO, last proven test restore,
 * copies per destination), when it runs next, live progress, and its history. Display only:
 * everything arrives as props.
 */
import { useState } from 'react';
import type { JobView } from '../../../../shared/contract';
import type { JobRunResult } from '../../../../shared/events';
import type { ShownError } from '../../api';
import { ErrorNote, StatusBadge, formatAge, formatDate } from '../../components';
import { sizeText } from './size-text';
import type { LogEntry } from '../../store';
import { PasswordPrompt } from './password-prompt';
import { ProgressView } from './progress-view';
import { RemoveJob } from './remove-job';
import { RunHistory } from './run-history';

export interface JobCardProps {
  readonly view: JobView;
  readonly lastResult?: JobRunResult;
  readonly liveLog: readonly LogEntry[];
  readonly actionError: ShownError | null;
  readonly onRunNow: () => void;
  readonly onCancel: () => void;
  readonly onPause: (pause: boolean) => void;
  readonly onBrowse: () => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
  /** Whether the OS keychain can keep a password. */
  readonly keychain: boolean;
}

export function JobCard(props: JobCardProps) {
  const { view, lastResult } = props;
  const { job, status } = view;
  const [showHistory, setShowHistory] = useState(false);
  const running = status.state === 'running' || view.progress !== undefined;
  const failure = lastResult && lastResult.outcome === 'failed' ? failureText(lastResult) : null;

  return (
    <article className={`card card-${status.state}`} aria-labelledby={`job-${job.id}`}>
      <header className="card-head">
        <h2 id={`job-${job.id}`}>{job.name}</h2>
        <StatusBadge state={running ? 'running' : status.state} />
      </header>
      <p className="summary">{status.summary}</p>
      <dl className="facts">
        <dt>Newest good backup</dt>
        <dd>
          {status.lastGoodBackup ? formatAge(status.lastGoodBackup) : 'none yet'}
          {` (should be under ${job.rpoHours} hours old${status.overdue ? ': overdue' : ''})`}
        </dd>
        <dt>Last proven restore</dt>
        <dd>
          {status.lastProvenRestore
            ? `${formatAge(status.lastProvenRestore)} (a test restore read the files back)`
            : 'not tested yet'}
        </dd>
        <dt>Next backup</dt>
        <dd>
          {job.paused
            ? 'paused'
            : view.nextRunAt
              ? `${formatDate(view.nextRunAt)} (${formatAge(view.nextRunAt)})`
              : job.schedule.kind === 'manual'
                ? 'when you ask'
                : 'not planned'}
        </dd>
        <dt>Size</dt>
        <dd data-testid="job-size">{sizeText(view.usage)}</dd>
        <dt>Copies</dt>
        <dd>
          <ul className="copies">
            {job.destinations.map((d) => {
              const ds = status.destinations.find((x) => x.destinationId === d.id);
              return (
                <li key={d.id}>
                  {d.label ?? d.path}:{' '}
                  {ds?.lastGoodBackup ? formatAge(ds.lastGoodBackup) : 'no backup yet'}
                  {ds && ds.state !== 'ok' && ds.state !== 'never' ? ` (${ds.state})` : ''}
                </li>
              );
            })}
          </ul>
        </dd>
      </dl>
      {job.destinations
        .filter((d) => view.passwordNeeded.includes(d.id))
        .map((d) => (
          <PasswordPrompt key={d.id} jobId={job.id} destination={d} keychain={props.keychain} />
        ))}
      {view.progress ? <ProgressView progress={view.progress} /> : null}
      {failure ? (
        <div className="error-note" role="alert" data-testid="run-error">
          <strong>The last backup failed. </strong>
          {failure}
        </div>
      ) : null}
      <ErrorNote error={props.actionError} />
      <div className="actions">
        {running ? (
          <button type="button" onClick={props.onCancel}>
            Stop
          </button>
        ) : (
          <button type="button" className="primary" onClick={props.onRunNow}>
            Back up now
          </button>
        )}
        <button type="button" onClick={() => props.onPause(!job.paused)}>
          {job.paused ? 'Resume schedule' : 'Pause schedule'}
        </button>
        <button type="button" onClick={props.onBrowse}>
          Browse versions
        </button>
        <button
          type="button"
          aria-expanded={showHistory}
          onClick={() => setShowHistory(!showHistory)}
        >
          {showHistory ? 'Hide history' : 'History and logs'}
        </button>
        <button type="button" onClick={props.onEdit}>
          Edit…
        </button>
        <RemoveJob job={job} onRemove={props.onRemove} />
      </div>
      {props.liveLog.length > 0 && running ? (
        <pre className="log" aria-label="Live log">
          {props.liveLog
            .slice(-6)
            .map((l) => l.text)
            .join('\n')}
        </pre>
      ) : null}
      {showHistory ? <RunHistory jobId={job.id} /> : null}
    </article>
  );
}

/** Why a run failed, in words: the run's own reason, else each destination's. */
function failureText(r: JobRunResult): string {
  if (r.error) return `${r.error}${/[.!?]$/.test(r.error) ? '' : '.'}`;
  const parts = r.destinations.filter((d) => d.error).map((d) => d.error);
  return parts.length > 0 ? parts.join(' ') : 'See the history for details.';
}
