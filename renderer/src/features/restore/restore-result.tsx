/** A running restore's progress, then its summary (from pushed events). */
import { formatBytes, formatCount } from '../../components';
import { useStore } from '../../store';

export function RestoreResult(props: { readonly restoreId: string; readonly onDone: () => void }) {
  const progress = useStore((s) => s.restoreProgress[props.restoreId]);
  const summary = useStore((s) => s.restoreSummaries[props.restoreId]);

  if (!summary) {
    return (
      <div className="restore" aria-busy="true">
        <h1>Restoring…</h1>
        <progress
          aria-label="Restore progress"
          max={progress?.bytesTotal || 1}
          value={progress ? progress.bytesDone : undefined}
        />
        <p role="status">
          {progress
            ? `${formatCount(progress.filesDone, 'file', 'files')}, ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`
            : 'Starting…'}
        </p>
      </div>
    );
  }
  const title = {
    ok: 'Restore complete',
    warning: 'Restore finished with problems',
    failed: 'Restore failed',
  }[summary.outcome];
  return (
    <div className="restore" data-testid="restore-summary">
      <h1>{title}</h1>
      <p role="status">
        {formatCount(summary.files, 'file', 'files')} restored ({formatBytes(summary.bytes)})
        {summary.skipped > 0 ? `, ${summary.skipped} skipped` : ''}.
      </p>
      {summary.error ? (
        <div className="error-note" role="alert">
          {summary.error.message}
        </div>
      ) : null}
      {summary.keptBoth.length > 0 ? (
        <>
          <h2>Kept both</h2>
          <ul>
            {summary.keptBoth.map((k) => (
              <li key={k.restoredAs}>
                {k.path} → <span className="path">{k.restoredAs}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {summary.problems.length > 0 ? (
        <>
          <h2>Not restored</h2>
          <ul>
            {summary.problems.map((p) => (
              <li key={p.path}>
                {p.path}: {p.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className="primary" onClick={props.onDone}>
        Back to the timeline
      </button>
    </div>
  );
}
