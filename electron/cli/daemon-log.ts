/**
 * The daemon's log: one line per event on stdout, where systemd's journal (or a log file) picks
 * it up: `2026-06-03T11:00:00.000Z info job=docs backup started (schedule)`. Progress comes every
 * few seconds; the log keeps one progress line per job per 30 s so the journal stays readable.
 */
import type { JobRunResult, StrataEvent } from '../../shared/events';
import type { LineSink } from '../services/notify/log-notifier';
import { formatBytes, formatDuration } from './format';

export type DaemonLevel = 'info' | 'warning' | 'error';

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function finished(r: JobRunResult): string {
  const parts = r.destinations.map((d) => {
    const what = d.snapshotId
      ? `snapshot ${d.snapshotId.slice(0, 8)} (+${formatBytes(d.bytesAdded)})`
      : d.outcome === 'cancelled'
        ? '' // its error only says so again
        : (d.error ?? '');
    return `${d.destinationId} ${d.outcome}${what ? ` ${what}` : ''}`;
  });
  const took = formatDuration(Date.parse(r.finished) - Date.parse(r.started));
  const error = r.error && r.destinations.length === 0 ? `: ${r.error}` : '';
  return `backup finished: ${r.outcome} in ${took}${error}${parts.length > 0 ? `; ${parts.join('; ')}` : ''}`;
}

export class DaemonLog {
  private readonly lastProgress = new Map<string, number>();

  constructor(
    private readonly sink: LineSink,
    private readonly clock: () => number = Date.now,
    private readonly progressEveryMs = 30_000,
  ) {}

  line(level: DaemonLevel, jobId: string | undefined, text: string): void {
    const time = new Date(this.clock()).toISOString();
    this.sink.write(`${time} ${level} ${jobId ? `job=${jobId} ` : ''}${oneLine(text)}\n`);
  }

  event(e: StrataEvent): void {
    switch (e.type) {
      case 'run-started':
        this.lastProgress.delete(e.jobId);
        this.line('info', e.jobId, `backup started (${e.trigger})`);
        return;
      case 'progress': {
        const p = e.progress;
        if (p.phase !== 'backing-up' && p.phase !== 'finishing') return;
        const now = this.clock();
        const last = this.lastProgress.get(p.jobId);
        if (last !== undefined && now - last < this.progressEveryMs) return;
        this.lastProgress.set(p.jobId, now);
        const files =
          p.filesTotal !== undefined ? `${p.filesDone}/${p.filesTotal}` : `${p.filesDone}`;
        const bytes =
          p.bytesTotal !== undefined
            ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`
            : formatBytes(p.bytesDone);
        const eta = p.etaMs !== undefined ? `, ETA ${formatDuration(p.etaMs)}` : '';
        this.line(
          'info',
          p.jobId,
          `${p.destinationId ?? ''}: ${p.phase} ${files} files, ${bytes}, ${formatBytes(Math.round(p.throughput))}/s${eta}`,
        );
        return;
      }
      case 'run-finished': {
        const o = e.result.outcome;
        const level = o === 'ok' ? 'info' : o === 'failed' ? 'error' : 'warning';
        this.line(level, e.result.jobId, finished(e.result));
        return;
      }
      case 'log':
        this.line(e.level, e.jobId, e.text);
        return;
      case 'jobs-changed':
      case 'status-changed':
        return;
    }
  }
}
