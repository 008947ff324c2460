/**
 * Cron expressions of our own: five fields, minute hour day-of-month month day-of-week.
 *
 * Each field is a comma list of `*`, `N`, `A-B`, each optionally `/STEP`, where `N/STEP` means
 * `N-max/STEP`; months take JAN-DEC and weekdays SUN-SAT (any case), and weekday 7 is Sunday too.
 * The classic (Vixie) rule joins the two day fields: when both are restricted a day matches if
 * EITHER does; a field counts as unrestricted when it starts with `*` (so `*` and `*\/2` both).
 * Times are wall-clock times in the given zone, resolved through DST as zoned-time.ts says.
 */
import { StrataError } from './errors';
import {
  type CalendarDate,
  addDays,
  daysInMonth,
  localDateAndMinute,
  wallToInstant,
  weekday,
} from './zoned-time';

/** A parsed expression: the allowed values of each field, ascending. */
export interface CronSpec {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly domRestricted: boolean;
  readonly dowRestricted: boolean;
}

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** The first name's value (JAN is 1, SUN is 0). */
  readonly nameBase?: number;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // 7 is accepted as Sunday and folded to 0 after parsing.
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

const HELP =
  'a cron expression has five fields: minute hour day-of-month month day-of-week, e.g. "30 2 * * 1-5"';

function fail(expr: string, detail: string): never {
  throw new StrataError('INVALID_ARGUMENT', `invalid cron expression "${expr}": ${detail}`);
}

function parseValue(expr: string, rule: FieldRule, text: string): number {
  const upper = text.toUpperCase();
  const named = rule.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + (rule.nameBase ?? 0);
  if (!/^\d+$/.test(text)) {
    const names = rule.names ? ` or a name ${rule.names[0]}-${rule.names.at(-1)}` : '';
    fail(expr, `${rule.name} "${text}" is not a number${names}`);
  }
  const n = Number(text);
  if (n < rule.min || n > rule.max) {
    fail(expr, `${rule.name} ${n} is out of range (${rule.min}-${rule.max})`);
  }
  return n;
}

/** The values one field allows. */
function parseField(expr: string, rule: FieldRule, text: string): Set<number> {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    if (item === '') fail(expr, `the ${rule.name} field "${text}" has an empty list item`);
    const [range = '', stepText, extra] = item.split('/');
    if (extra !== undefined) fail(expr, `${rule.name} "${item}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        fail(expr, `${rule.name} step "${stepText}" must be a whole number of at least 1`);
      }
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = rule.min;
      hi = rule.max === 7 ? 6 : rule.max;
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined || a === '' || b === '') {
        fail(expr, `${rule.name} range "${range}" must be two values like 1-5`);
      }
      lo = parseValue(expr, rule, a);
      hi = parseValue(expr, rule, b);
      if (lo > hi) fail(expr, `${rule.name} range "${range}" runs backwards; write it low-high`);
    } else {
      lo = parseValue(expr, rule, range);
      // "5/15" means from 5 to the end in steps of 15; a plain "5" is just 5.
      hi = stepText === undefined ? lo : rule.max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

/** Parses a five-field cron expression, or throws INVALID_ARGUMENT saying what is wrong. */
export function parseCron(expr: string): CronSpec {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    fail(expr, `found ${parts[0] === '' ? 0 : parts.length} fields; ${HELP}`);
  }
  const [mi, h, dom, mon, dow] = parts.map((text, i) => parseField(expr, FIELDS[i]!, text)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (dow.delete(7)) dow.add(0);
  const spec: CronSpec = {
    minutes: [...mi].sort((a, b) => a - b),
    hours: [...h].sort((a, b) => a - b),
    daysOfMonth: dom,
    months: mon,
    daysOfWeek: dow,
    domRestricted: !parts[2]!.startsWith('*'),
    dowRestricted: !parts[4]!.startsWith('*'),
  };
  // With only the day of month restricted, a day that no chosen month has never comes.
  if (spec.domRestricted && !spec.dowRestricted) {
    const longest = Math.max(...[...mon].map((m) => daysInMonth(2000, m))); // 2000: a leap year
    if (Math.min(...dom) > longest) {
      fail(expr, `no chosen month has a day ${Math.min(...dom)}, so it would never run`);
    }
  }
  return spec;
}

function dayMatches(spec: CronSpec, date: CalendarDate): boolean {
  const domOk = spec.daysOfMonth.has(date.day);
  const dowOk = spec.daysOfWeek.has(weekday(date));
  if (spec.domRestricted && spec.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

// Feb 29 on an unrestricted weekday can be 8 years away (2096 -> 2104); search a little more.
const SEARCH_DAYS = 366 * 12;
// A wall time this many minutes before `after`'s cannot map past it (DST moves clocks < 3 h).
const DST_SLACK_MINUTES = 180;

/**
 * The first instant strictly after `after` that `expr` names on `timeZone`'s wall clock.
 *
 * A time skipped by spring-forward runs at the jump (e.g. 03:00); a repeated fall-back time runs
 * once, at its first occurrence. Throws INVALID_ARGUMENT for a bad expression or zone.
 */
export function nextCronTime(expr: string | CronSpec, after: number, timeZone: string): number {
  const spec = typeof expr === 'string' ? parseCron(expr) : expr;
  const start = localDateAndMinute(after, timeZone);
  let date = start.date;
  for (let i = 0; i < SEARCH_DAYS; i++, date = addDays(date, 1)) {
    if (!spec.months.has(date.month) || !dayMatches(spec, date)) continue;
    for (const h of spec.hours) {
      for (const m of spec.minutes) {
        if (i === 0 && h * 60 + m < start.minuteOfDay - DST_SLACK_MINUTES) continue;
        const t = wallToInstant(date, h, m, timeZone);
        if (t > after) return t;
      }
    }
  }
  // parseCron refuses expressions that never match, so this is a bug, not a user error.
  throw new Error(`no time matches the cron expression within ${SEARCH_DAYS} days`);
}
