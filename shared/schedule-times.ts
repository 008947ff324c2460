/**
 * Every schedule kind as one question: the first scheduled time strictly after an instant.
 *
 * Daily and weekly schedules are cron expressions in disguise, so they share the cron search
 * and its DST rule. An interval counts real time from the last start and ignores the wall clock
 * (DST does not shorten or stretch "every 30 minutes").
 */
import { assertNever } from './errors';
import type { Schedule } from './jobs';
import { type CronSpec, nextCronTime, parseCron } from './cron';

const MINUTE = 60_000;

function clockSpec(at: string, days: readonly number[] | undefined): CronSpec {
  const [h = '0', m = '0'] = at.split(':');
  const dow = days && days.length < 7 ? [...new Set(days)].join(',') : '*';
  return parseCron(`${Number(m)} ${Number(h)} * * ${dow}`);
}

/** The cron spec of a wall-clock schedule; undefined for manual and interval schedules. */
export function scheduleSpec(schedule: Schedule): CronSpec | undefined {
  switch (schedule.kind) {
    case 'manual':
    case 'interval':
      return undefined;
    case 'daily':
      return clockSpec(schedule.at, undefined);
    case 'weekly':
      return clockSpec(schedule.at, schedule.days);
    case 'cron':
      return parseCron(schedule.expression);
    default:
      return assertNever(schedule);
  }
}

/**
 * The first scheduled time strictly after `after` on `timeZone`'s wall clock; undefined for a
 * manual schedule. For an interval, `after` is the last start and the answer is N minutes on.
 */
export function nextScheduledTime(
  schedule: Schedule,
  after: number,
  timeZone: string,
): number | undefined {
  if (schedule.kind === 'manual') return undefined;
  if (schedule.kind === 'interval') return after + schedule.minutes * MINUTE;
  const spec = scheduleSpec(schedule);
  return spec && nextCronTime(spec, after, timeZone);
}

/**
 * How long the schedule waits between runs around `after`: the interval itself, or the gap
 * between the next two scheduled times. Undefined for a manual schedule.
 */
export function scheduleGap(
  schedule: Schedule,
  after: number,
  timeZone: string,
): number | undefined {
  if (schedule.kind === 'manual') return undefined;
  if (schedule.kind === 'interval') return schedule.minutes * MINUTE;
  const first = nextScheduledTime(schedule, after, timeZone);
  const second = first === undefined ? undefined : nextScheduledTime(schedule, first, timeZone);
  return first === undefined || second === undefined ? undefined : second - first;
}

/** The next `count` scheduled times after `after`: an "upcoming runs" preview of a schedule. */
export function upcomingTimes(
  schedule: Schedule,
  after: number,
  timeZone: string,
  count: number,
): number[] {
  const out: number[] = [];
  let t: number | undefined = after;
  while (out.length < count && t !== undefined) {
    t = nextScheduledTime(schedule, t, timeZone);
    if (t !== undefined) out.push(t);
  }
  return out;
}
