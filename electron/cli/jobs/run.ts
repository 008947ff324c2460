/**
 * `strata job run ID`: a job's backup now, in the foreground, through the same core the daemon
 * uses (hooks, every destination, the run recorded in the catalog). `--prune` / `--verify` run
 * its maintenance instead. Ctrl-C cancels: what was stored is kept and reused next time.
 */
import { StrataError } from '../../../shared/errors';
import type { JobOutcome, JobRunResult, RunProgress } from '../../../shared/events';
import type { Job } from '../../../shared/jobs';
import { forgetAndPrune, testRestore } from '../../services/runner/maintenance';
import { emitJson, flag, say, type Parsed } from '../context';
import { EXIT } from '../exit-codes';
import { formatBytes, formatDuration } from '../format';
import { clearLine, drawLine } from '../progress-line';
import type { CliServices } from '../services';
import { existing, withServices } from './session';

const EXIT_OF: Record<JobOutcome, number> = {
  ok: EXIT.ok,
  warning: EXIT.incomplete,
  failed: EXIT.fatal,
  cancelled: EXIT.interrupted,
};

/** One line for the terminal: destination, phase, files, bytes, speed, ETA, current file. */
export function runProgressLine(p: RunProgress, width = process.stderr.columns ?? 100): string {
  const files = p.filesTotal !== undefined ? `${p.filesDone}/${p.filesTotal}` : `${p.filesDone}`;
  const bytes =
    p.bytesTotal !== undefined
      ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`
      : formatBytes(p.bytesDone);
  const eta = p.etaMs !== undefined ? ` ETA ${formatDuration(p.etaMs)}` : '';
  const where = p.destinationId ? `[${p.destinationId}] ` : '';
  const head =
    p.phase === 'backing-up' || p.phase === 'finishing'
      ? `${where}${p.phase} ${files} files ${bytes} ${formatBytes(Math.round(p.throughput))}/s${eta}`
      : `${where}${p.phase}`;
  const room = width - head.length - 2;
  const file = p.currentFile ?? '';
  const tail = room > 10 && file ? (file.length > room ? '…' + file.slice(-room + 1) : file) : '';
  return `${head}${tail ? '  ' + tail : ''}${p.paused ? ' (paused)' : ''}`;
}

function summary(p: Parsed, job: Job, r: JobRunResult): void {
  const took = formatDuration(Date.parse(r.finished) - Date.parse(r.started));
  say(p, `Job ${job.id}: ${r.outcome} (took ${took})`);
  for (const d of r.destinations) {
    const what = d.snapshotId
      ? `snapshot ${d.snapshotId.slice(0, 8)}, ${d.filesNew} new and ${d.filesChanged} changed file(s), ` +
        `+${formatBytes(d.bytesAdded)} (${formatBytes(d.bytesStored)} stored)` +
        (d.warnings > 0 ? `, ${d.warnings} warning(s)` : '')
      : ''; // a failure's message was logged above as it happened
    say(p, `  ${d.destinationId}: ${d.outcome}${what ? `, ${what}` : ''}`);
  }
  // With no destination tried (a before-hook failed) the reason is the run's own.
  if (r.error && r.destinations.length === 0) process.stderr.write(`error: ${r.error}\n`);
}

async function maintenance(s: CliServices, p: Parsed, job: Job, kind: 'prune' | 'verify') {
  const deps = { catalog: s.catalog, passwords: s.passwords, workers: s.workers };
  const results = await (kind === 'prune' ? forgetAndPrune(deps, job) : testRestore(deps, job));
  let worst = 0;
  for (const r of results)
    worst = Math.max(worst, r.outcome === 'failed' ? 2 : r.outcome === 'ok' ? 0 : 1);
  if (flag(p, 'json')) emitJson({ type: kind, jobId: job.id, results });
  else for (const r of results) say(p, `${kind} ${r.destinationId}: ${r.outcome}: ${r.message}`);
  return [EXIT.ok, EXIT.incomplete, EXIT.fatal][worst]!;
}

export function jobRun(args: readonly string[]): Promise<number> {
  const options = { prune: { type: 'boolean' }, verify: { type: 'boolean' } } as const;
  return withServices(args, options, async (s, p) => {
    const job = existing(s, p.positionals[0], 'run');
    if (flag(p, 'prune') && flag(p, 'verify'))
      throw new StrataError('INVALID_ARGUMENT', 'give --prune or --verify, not both');
    if (flag(p, 'prune')) return maintenance(s, p, job, 'prune');
    if (flag(p, 'verify')) return maintenance(s, p, job, 'verify');

    const json = flag(p, 'json');
    const quiet = flag(p, 'quiet');
    const live = !json && !quiet && process.stderr.isTTY === true;
    const off = s.bus.on((e) => {
      if (e.type === 'progress' && e.progress.jobId === job.id) {
        if (json) emitJson({ type: 'progress', ...e.progress });
        else if (live) drawLine(runProgressLine(e.progress));
      } else if (e.type === 'log' && e.jobId === job.id) {
        if (json) emitJson({ type: 'log', level: e.level, text: e.text });
        else if (!quiet || e.level !== 'info') {
          if (live) clearLine();
          process.stderr.write(`${e.level}: ${e.text}\n`);
        }
      }
    });
    let interrupted = false;
    const onSignal = () => {
      interrupted = true;
      s.core.runner.cancel(job.id);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const result = await s.core.run(job, 'manual');
      if (live) clearLine();
      if (json) emitJson({ type: 'summary', ...result });
      else summary(p, job, result);
      return interrupted ? EXIT.interrupted : EXIT_OF[result.outcome];
    } finally {
      off();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (live) clearLine();
    }
  });
}
