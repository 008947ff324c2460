/** A running backup's live progress: phase, files, bytes, speed, time left, current file. */
import type { RunPhase, RunProgress } from '../../../../shared/events';
import { formatBytes, formatCount, formatDuration } from '../../components';

const PHASES: Record<RunPhase, string> = {
  'before-hooks': 'Running the command before the backup',
  opening: 'Opening the destination',
  'backing-up': 'Backing up',
  finishing: 'Finishing',
  'after-hooks': 'Running the command after the backup',
  'forget-prune': 'Removing old versions',
  verify: 'Testing a restore',
  done: 'Done',
};

export function ProgressView(props: { readonly progress: RunProgress }) {
  const p = props.progress;
  const total = p.bytesTotal && p.bytesTotal > 0 ? p.bytesTotal : undefined;
  return (
    <div className="progress" data-testid="progress">
      <div className="progress-head">
        <strong>{p.paused ? 'Paused' : PHASES[p.phase]}</strong>
        {p.etaMs !== undefined && !p.paused ? <span>{formatDuration(p.etaMs)} left</span> : null}
      </div>
      <progress
        max={total ?? 1}
        value={total ? Math.min(p.bytesDone, total) : undefined}
        aria-label="Backup progress"
      />
      <p className="progress-figures">
        {formatCount(p.filesDone, 'file', 'files')}
        {p.filesTotal !== undefined ? ` of ${p.filesTotal.toLocaleString('en-US')}` : ''} ·{' '}
        {formatBytes(p.bytesDone)}
        {total ? ` of ${formatBytes(total)}` : ''} · {formatBytes(p.throughput)}/s
      </p>
      {p.currentFile ? (
        <p className="current-file" title={p.currentFile}>
          {p.currentFile}
        </p>
      ) : null}
    </div>
  );
}
