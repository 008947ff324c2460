/**
 * A cron expression as the user types it, in words: what is wrong with it, or when it runs next
 * on their wall clock and the RPO it implies. Pure: the parser and the zoned-time search are
 * shared/ code, the same the scheduler in main runs, so the preview cannot disagree with it.
 */
import { nextCronTime, parseCron, type CronSpec } from '../../../../shared/cron';

/** Cron runs closer than this are refused, as intervals under 5 minutes are. */
export const MIN_CRON_GAP_MS = 5 * 60_000;
/** Runs looked at to find the longest gap (weekdays only: a 3-day gap over each weekend). */
const SAMPLE_RUNS = 60;
/** ...but no further ahead than this, so a rare schedule (Feb 29) stays quick to preview. */
const SAMPLE_SPAN_MS = 400 * 86_400_000;
const HOUR = 3_600_000;

export type CronPreview =
  | { readonly ok: false; readonly error: string }
  | {
      readonly ok: true;
      /** The next runs, epoch ms, ascending. */
      readonly next: readonly number[];
      /** The longest wait between two of the sampled runs. */
      readonly longestGapMs: number;
      /** The shortest wait between two of the sampled runs. */
      readonly shortestGapMs: number;
      /** Hours: the longest gap plus two hours of slack, as daily (26) and weekly (170) have. */
      readonly rpoHours: number;
    };

/** The parser's message without its prefix: "minute 61 is out of range (0-59)". */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^invalid cron expression "[^"]*": /, '');
}

/**
 * Checks `expression` and, when it is valid, lists its next `count` runs after `now` in
 * `timeZone`, with the gaps between runs and the RPO they imply.
 */
export function previewCron(
  expression: string,
  now: number,
  timeZone: string,
  count = 5,
): CronPreview {
  if (expression.trim() === '') return { ok: false, error: 'Type a cron expression.' };
  let spec: CronSpec;
  try {
    spec = parseCron(expression);
  } catch (err) {
    return { ok: false, error: `${capitalise(reason(err))}.` };
  }
  const runs: number[] = [];
  for (
    let t = now;
    runs.length < count + 1 || (runs.length < SAMPLE_RUNS && t < now + SAMPLE_SPAN_MS);
  ) {
    t = nextCronTime(spec, t, timeZone);
    runs.push(t);
  }
  // The wait before the first run counts too: it is a gap since the last (unseen) run.
  const gaps = runs.slice(1).map((t, i) => t - runs[i]!);
  const longestGapMs = Math.max(...gaps);
  const shortestGapMs = Math.min(...gaps);
  if (shortestGapMs < MIN_CRON_GAP_MS)
    return {
      ok: false,
      error: 'This runs more often than every 5 minutes; choose fewer minutes or hours.',
    };
  return {
    ok: true,
    next: runs.slice(0, count),
    longestGapMs,
    shortestGapMs,
    rpoHours: Math.ceil(longestGapMs / HOUR) + 2,
  };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The zone the user's clock shows (the renderer runs on the same machine as the scheduler). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
