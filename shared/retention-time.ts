/**
 * Calendar arithmetic for retention policies: durations like restic's `1y2m3d4h`, local date
 * parts in a named time zone, ISO 8601 weeks, and "this instant minus a calendar duration".
 *
 * Pure TypeScript with Intl only (no Node): the desktop renderer previews policies with it.
 * Buckets follow the wall clock of ONE named zone, so "daily" means the user's days, DST and
 * all, whatever offset the machine that made a snapshot had.
 */
import { StrataError } from './errors';

/** A calendar duration; each part is a whole number, zero when absent. */
export interface CalendarDuration {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  readonly hours: number;
}

const UNIT_FIELD = { y: 'years', m: 'months', d: 'days', h: 'hours' } as const;
const DURATION_HELP = 'use e.g. 7d, 2m or 1y6m (y years, m months, d days, h hours)';

/**
 * Parses restic's duration format, e.g. `1y2m3d4h` (`m` is months: there are no minutes).
 *
 * Stricter than restic, which silently lets a repeated unit override the first: each unit may
 * appear once, numbers are whole and not negative, and every number needs its unit.
 */
export function parseDuration(text: string): CalendarDuration {
  const input = text.trim();
  if (input === '')
    throw new StrataError('INVALID_ARGUMENT', `the duration is empty: ${DURATION_HELP}`);
  const parts: Record<'years' | 'months' | 'days' | 'hours', number> = {
    years: 0,
    months: 0,
    days: 0,
    hours: 0,
  };
  const seen = new Set<string>();
  let rest = input;
  while (rest !== '') {
    const m = /^(\d+)(.?)/u.exec(rest);
    if (!m) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read "${text}" as a duration (expected a number at "${rest}"): ${DURATION_HELP}`,
      );
    }
    const [whole, digits = '', unit = ''] = m;
    if (unit === '') {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read "${text}" as a duration: ${digits} has no unit; ${DURATION_HELP}`,
      );
    }
    if (!/^[a-z]$/i.test(unit)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read "${text}" as a duration: "${unit}" after ${digits}; durations are whole numbers, each with a unit: ${DURATION_HELP}`,
      );
    }
    if (!(unit in UNIT_FIELD)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read "${text}" as a duration: unknown unit "${unit}"; ${DURATION_HELP}`,
      );
    }
    if (seen.has(unit)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read "${text}" as a duration: "${unit}" appears twice`,
      );
    }
    seen.add(unit);
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) {
      throw new StrataError('INVALID_ARGUMENT', `the duration "${text}" is too large`);
    }
    parts[UNIT_FIELD[unit as keyof typeof UNIT_FIELD]] = n;
    rest = rest.slice(whole.length);
  }
  return parts;
}

/** The canonical text of a duration (`1y2m3d4h`, zero parts left out; `0h` when all are zero). */
export function formatCalendarDuration(d: CalendarDuration): string {
  const text =
    (d.years ? `${d.years}y` : '') +
    (d.months ? `${d.months}m` : '') +
    (d.days ? `${d.days}d` : '') +
    (d.hours ? `${d.hours}h` : '');
  return text === '' ? '0h' : text;
}

export function isZeroDuration(d: CalendarDuration): boolean {
  return d.years === 0 && d.months === 0 && d.days === 0 && d.hours === 0;
}

/** Wall-clock parts of an instant in a zone; month is 1-12. */
export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone the system runs in (the default for policies). */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin, America/New_York or UTC`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws INVALID_ARGUMENT for a time zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** The wall-clock date and time of `ms` (milliseconds since the epoch) in `timeZone`. */
export function localParts(ms: number, timeZone: string): LocalParts {
  const out: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? NaN,
    month: out.month ?? NaN,
    day: out.day ?? NaN,
    // Some engines print midnight as 24 even with h23.
    hour: (out.hour ?? NaN) % 24,
    minute: out.minute ?? NaN,
    second: out.second ?? NaN,
  };
}

/** Date.UTC without its two-digit-year quirk; overflowing fields roll over as in Go. */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** How far `timeZone`'s wall clock is ahead of UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return utc(p.year, p.month, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

/**
 * The instant a wall-clock time in `timeZone` names. A time a DST change skips or repeats has
 * no single answer: it resolves to an instant next to it, as Go leaves it unspecified too.
 */
function zonedInstant(wall: number, timeZone: string): number {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return offsetAt(second, timeZone) === offsetAt(first, timeZone) ? second : first;
}

/**
 * `ms` minus a calendar duration, as restic computes it (Go's `AddDate(-y, -m, -d)` on the
 * wall clock, overflow rolling into the next month, then minus whole hours of real time).
 */
export function subtractDuration(ms: number, d: CalendarDuration, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wall = utc(
    p.year - d.years,
    p.month - d.months,
    p.day - d.days,
    p.hour,
    p.minute,
    p.second,
  );
  const subSecond = ms - Math.floor(ms / 1000) * 1000;
  return zonedInstant(wall, timeZone) + subSecond - d.hours * 3_600_000;
}

/** ISO 8601 week-numbering year and week (1-53) of a calendar date. */
export function isoWeek(year: number, month: number, day: number): { year: number; week: number } {
  const date = utc(year, month, day, 0, 0, 0);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const thursday = date + (3 - weekday) * 86_400_000; // the week's Thursday names its year
  const weekYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - utc(weekYear, 1, 1, 0, 0, 0)) / (7 * 86_400_000));
  return { year: weekYear, week };
}

/** "2026-11-21 21:58:03" in `timeZone`: what a policy's buckets see. */
export function formatInZone(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
