/** A job's recent runs with their figures and logs (loaded when opened, again after each run). */
import { useEffect, useState } from 'react';
import type { RunView } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote, formatBytes, formatDate, formatDuration } from '../../components';
import { useStore } from '../../store';

const OUTCOMES = { ok: 'OK', warning: 'Warnings', failed: 'Failed', cancelled: 'Cancelled' };

export function RunHistory(props: { readonly jobId: string }) {
  const runsVersion = useStore((s) => s.runsVersion);
  const [runs, setRuns] = useState<readonly RunView[] | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  useEffect(() => {
    let current = true;
    api()
      .jobs.history({ jobId: props.jobId, limit: 50 })
      .then((r) => current && setRuns(r.runs))
      .catch((err) => current && setError(toShownError(err)));
    return () => {
      current = false;
    };
  }, [props.jobId, runsVersion]);

  if (error) return <ErrorNote error={error} title="The history could not be read." />;
  if (!runs) return <p className="hint">Loading…</p>;
  if (runs.length === 0) return <p className="hint">No runs yet.</p>;
  return <RunList runs={runs} />;
}

/** Display only: a list of runs, each expandable to its log. */
export function RunList(props: { readonly runs: readonly RunView[] }) {
  return (
    <ul className="runs" aria-label="Run history">
      {props.runs.map((r) => (
        <li key={r.id} className={`run run-${r.outcome ?? 'running'}`}>
          <details>
            <summary>
              {formatDate(r.started)} · {r.kind} · {r.outcome ? OUTCOMES[r.outcome] : 'running'}
              {r.finished
                ? ` · ${formatDuration(Date.parse(r.finished) - Date.parse(r.started))}`
                : ''}
              {r.bytes?.added !== undefined ? ` · ${formatBytes(r.bytes.added)} added` : ''}
              {r.error ? ` — ${r.error}` : ''}
            </summary>
            {r.log.length === 0 ? (
              <p className="hint">No log lines.</p>
            ) : (
              <pre className="log">
                {r.log
                  .map((l) => `${l.time.slice(11, 19)} ${l.level.padEnd(7)} ${l.text}`)
                  .join('\n')}
              </pre>
            )}
          </details>
        </li>
      ))}
    </ul>
  );
}
