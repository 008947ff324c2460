/**
 * Wall-clock times in a named time zone, and back to instants, with DST resolved one way.
 *
 * Schedules are written in the user's wall clock ("daily at 02:30"), so every scheduled time is
 * a wall time that must become an instant. A DST change makes that ambiguous: on a spring-forward
 * day 02:30 does not exist, on a fall-back day it exists twice. The rule here, used by every
 * schedule kind: a skipped time becomes the first valid instant after it (the moment the clock
 * jumps, e.g. 03:00), a repeated time becomes its first occurrence. The mapping from wall time to
 * instant is then never decreasing, which is what lets the cron search stop at the first match.
 * Intl only (no dependency); times are milliseconds since the epoch.
 */
import { localParts } from './retention-time';

/** A calendar date; month is 1-12. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The wall clock as if it were UTC, in milliseconds: plain arithmetic on dates and times. */
function wallMs(y: number, mo: number, d: number, h: number, mi: number, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `ms`, in milliseconds. */
export function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return wallMs(p.year, p.month, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

/**
 * The instant at which `timeZone`'s clock shows the given wall time: the first occurrence of a
 * repeated time (fall-back), and for a skipped time (spring-forward) the instant the clock jumps
 * over it, i.e. the first valid time after it.
 */
export function wallToInstant(
  date: CalendarDate,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const wall = wallMs(date.year, date.month, date.day, hour, minute);
  // Offsets a day either side cover any single transition near this wall time.
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const valid = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: before the jump the clock is behind (offset `before`), after it ahead. Find the
  // first whole second with the new offset; that is where the clock lands past the gap.
  let lo = Math.floor((wall - Math.max(before, after)) / 1000);
  let hi = Math.ceil((wall - Math.min(before, after)) / 1000);
  const oldOffset = offsetAt(lo * 1000, timeZone);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(mid * 1000, timeZone) === oldOffset) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** The local calendar date and minute of the day of an instant. */
export function localDateAndMinute(
  ms: number,
  timeZone: string,
): { date: CalendarDate; minuteOfDay: number } {
  const p = localParts(ms, timeZone);
  return {
    date: { year: p.year, month: p.month, day: p.day },
    minuteOfDay: p.hour * 60 + p.minute,
  };
}

/** The date `n` days after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: CalendarDate, n: number): CalendarDate {
  const d = new Date(wallMs(date.year, date.month, date.day + n, 12, 0));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: CalendarDate): number {
  return new Date(wallMs(date.year, date.month, date.day, 12, 0)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(wallMs(year, month + 1, 0, 12, 0)).getUTCDate();
}
