/**
 * The one-sentence summary of a job's status, in the words of UX.md: how old the newest backup
 * is, when the next one comes, and when something is wrong, what.
 */
import { assertNever } from '../../../shared/errors';
import { formatAgo, formatSpan, formatWhen } from '../scheduler/words';
import type { StatusInput } from './job-status';
import type { DestinationStatus, JobStatus } from './types';

const HOUR = 3_600_000;

interface SummaryInput extends StatusInput {
  readonly status: Omit<JobStatus, 'summary'>;
  /** Destination names (label or path) by id. */
  readonly names: ReadonlyMap<string, string>;
}

function failingText(x: SummaryInput, d: DestinationStatus, where: string): string {
  const h = x.perDestination[d.destinationId] ?? {};
  const run = h.lastRun;
  if (run?.outcome !== 'failure' && h.lastVerify && !h.lastVerify.ok) {
    const why = h.lastVerify.message ? `: ${h.lastVerify.message}` : '';
    return `Failing${where}: the test restore ${formatWhen(h.lastVerify.time, x.now, x.timeZone)} failed${why}`;
  }
  const times = run?.consecutiveFailures ?? 1;
  const streak = times > 1 ? ` (${times} times in a row)` : '';
  const good = d.lastGoodBackup;
  const since =
    good === undefined ? 'no good backup yet' : `last good backup ${formatAgo(good, x.now)}`;
  return `Failing${where}: ${run?.message ?? 'the last backup failed'}${streak}; ${since}`;
}

function overdueText(x: SummaryInput, d: DestinationStatus, where: string): string {
  const age = formatSpan(x.now - (d.lastGoodBackup ?? x.now));
  return `Overdue: no good backup${where} for ${age} (target ${formatSpan(x.job.rpoHours * HOUR)})`;
}

/** The summary sentence for a job's status. */
export function summarize(x: SummaryInput): string {
  const { status, now } = x;
  const multi = x.job.destinations.length > 1;
  const worst = (state: string) => status.destinations.find((d) => d.state === state);
  const ago = status.lastGoodBackup === undefined ? '' : formatAgo(status.lastGoodBackup, now);
  const next = x.nextAt === undefined ? '' : `; next ${formatWhen(x.nextAt, now, x.timeZone)}`;
  const tail = status.paused ? '; paused' : next;
  switch (status.state) {
    case 'running':
      return ago === '' ? 'Backing up now: the first backup' : `Backing up now; last backup ${ago}`;
    case 'failing': {
      const d = worst('failing')!;
      const where = multi ? ` on ${x.names.get(d.destinationId)}` : '';
      return failingText(x, d, where) + (status.paused ? '; paused' : '');
    }
    case 'overdue': {
      // The stalest overdue copy is the one to name.
      const d = [...status.destinations]
        .filter((s) => s.state === 'overdue')
        .sort((a, b) => (a.lastGoodBackup ?? 0) - (b.lastGoodBackup ?? 0))[0]!;
      const where = multi ? ` on ${x.names.get(d.destinationId)}` : '';
      return overdueText(x, d, where) + (status.paused ? '; paused' : '');
    }
    case 'warning':
      return `Last backup ${ago} had warnings${tail}`;
    case 'ok':
      return `Last backup ${ago}${tail}`;
    case 'never':
      if (status.paused) return 'Not backed up yet; paused';
      return x.nextAt === undefined
        ? 'Not backed up yet'
        : `Not backed up yet; first backup ${formatWhen(x.nextAt, now, x.timeZone)}`;
    default:
      return assertNever(status.state);
  }
}
