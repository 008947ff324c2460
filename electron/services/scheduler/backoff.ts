/**
 * Retrying after a failure: 1, 2, 4, 8 ... minutes after the failed run finished, never longer
 * than the schedule's own gap between runs nor than an hour, never shorter than a minute.
 *
 * The cap matters both ways: a job every 15 minutes must not wait longer to retry than it would
 * to run anyway, and a daily job whose drive hiccupped must not wait until tomorrow.
 */

const MINUTE = 60_000;

export interface BackoffPolicy {
  /** The first retry's delay (minutes). */
  readonly baseMinutes: number;
  /** The longest delay (minutes), before the schedule's gap caps it further. */
  readonly capMinutes: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMinutes: 1, capMinutes: 60 };

/**
 * The delay before retrying after `failures` consecutive failures (at least 1), in ms.
 * `scheduleGap` is the schedule's time between runs, when it has one.
 */
export function backoffDelay(
  failures: number,
  scheduleGap: number | undefined,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const base = policy.baseMinutes * MINUTE;
  const cap = Math.min(policy.capMinutes * MINUTE, scheduleGap ?? Infinity);
  // 2^30 minutes is beyond any cap; clamping keeps the power finite for absurd counts.
  const grown = base * 2 ** Math.min(Math.max(failures, 1) - 1, 30);
  return Math.max(base, Math.min(grown, cap));
}
