/**
 * Times and durations in words for plans, statuses and notifications ("14:00", "tomorrow at
 * 02:30", "3 hours", "2 days"). English only for now; the renderer may format on its own.
 */
import { localParts } from '../../../shared/retention-time';
import { addDays } from '../../../shared/zoned-time';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "14:05" on `timeZone`'s wall clock. */
export function formatClock(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${two(p.hour)}:${two(p.minute)}`;
}

/**
 * When `ms` is, seen from `now`, ready to follow a verb: "at 14:05" today, "tomorrow at 02:30",
 * "on Mon at 02:30" within a week, "on 12 Mar at 02:30" beyond; "yesterday at ..." when past.
 */
export function formatWhen(ms: number, now: number, timeZone: string): string {
  const at = localParts(ms, timeZone);
  const today = localParts(now, timeZone);
  const clock = `${two(at.hour)}:${two(at.minute)}`;
  const same = (d: { year: number; month: number; day: number }) =>
    d.year === at.year && d.month === at.month && d.day === at.day;
  if (same(today)) return `at ${clock}`;
  if (same(addDays(today, 1))) return `tomorrow at ${clock}`;
  if (same(addDays(today, -1))) return `yesterday at ${clock}`;
  const weekday = new Date(Date.UTC(at.year, at.month - 1, at.day)).getUTCDay();
  if (ms > now && ms - now < 6 * DAY) return `on ${WEEKDAYS[weekday]} at ${clock}`;
  const year = at.year === today.year ? '' : ` ${at.year}`;
  return `on ${at.day} ${MONTHS[at.month - 1]}${year} at ${clock}`;
}

/** A span in the largest unit that reads naturally: "45 minutes", "26 hours", "3 days". */
export function formatSpan(ms: number): string {
  const span = Math.max(0, ms);
  if (span < HOUR) return plural(Math.max(1, Math.round(span / MINUTE)), 'minute');
  // Up to two days in hours: "26 hours" is what an RPO target of 26 reads as.
  if (span < 2 * DAY) return plural(Math.round(span / HOUR), 'hour');
  return plural(Math.floor(span / DAY), 'day');
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
export function formatAgo(ms: number, now: number): string {
  return now - ms < MINUTE ? 'just now' : `${formatSpan(now - ms)} ago`;
}
