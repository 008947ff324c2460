/**
 * `--schedule` in a few words, mapped onto shared/jobs.ts's Schedule:
 *
 *   manual                      only when started by hand (strata job run)
 *   hourly                      every 60 minutes
 *   every 30m | every 2h | every 1d    an interval counted from the last start (at least 5m)
 *   daily 02:30 | daily@02:30   every day at a wall-clock time (24-hour clock)
 *   weekly mon,wed 21:00        on those days at that time; days: sun..sat (or full names),
 *                               ranges such as mon-fri; "weekly@mon,wed@21:00" works too
 *   cron "30 2 * * 1-5"         a five-field cron expression (docs/scheduling.md)
 *
 * Wall-clock times are read in the system's time zone.
 */
import { StrataError } from '../../shared/errors';
import { ScheduleSchema, describeIssues, type Schedule } from '../../shared/jobs';
import { SCHEDULE_HELP } from './schedule-help';

export { SCHEDULE_HELP };
import { parseCron } from '../../shared/cron';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function invalid(text: string, why: string): StrataError {
  return new StrataError('INVALID_ARGUMENT', `--schedule "${text}": ${why} (${SCHEDULE_HELP})`);
}

function dayNumber(name: string, text: string): number {
  const i = DAYS.indexOf(name.slice(0, 3).toLowerCase());
  const full = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  if (i < 0 || (name.length > 3 && full[i] !== name.toLowerCase()))
    throw invalid(text, `"${name}" is not a day (use sun, mon, tue, wed, thu, fri, sat)`);
  return i;
}

function parseDays(list: string, text: string): number[] {
  const days = new Set<number>();
  for (const part of list.split(',').filter((x) => x !== '')) {
    const [from, to] = part.split('-');
    if (to === undefined) {
      days.add(dayNumber(from!, text));
      continue;
    }
    const a = dayNumber(from!, text);
    const b = dayNumber(to, text);
    for (let d = a; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === b) break;
    }
  }
  if (days.size === 0) throw invalid(text, 'name at least one day');
  return [...days].sort((a, b) => a - b);
}

function clock(at: string | undefined, text: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(at ?? '');
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59)
    throw invalid(text, 'give the time of day as HH:MM, e.g. 02:30');
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

function minutesOf(amount: string, text: string): number {
  const m = /^(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)$/i.exec(amount.trim());
  if (!m) throw invalid(text, 'say how often as 30m, 2h or 1d');
  const unit = m[2]!.charAt(0).toLowerCase();
  const minutes = Number(m[1]) * (unit === 'm' ? 1 : unit === 'h' ? 60 : 60 * 24);
  if (minutes < 5) throw invalid(text, 'the interval must be at least 5 minutes');
  if (minutes > 31 * 24 * 60) throw invalid(text, 'the interval must be at most 31 days');
  return minutes;
}

/** The Schedule a `--schedule` text means; INVALID_ARGUMENT saying what is wrong. */
export function parseScheduleOption(text: string): Schedule {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/[\s@]+/);
  const kind = word.toLowerCase();
  let schedule: unknown;
  if (kind === 'manual' && rest.length === 0) schedule = { kind: 'manual' };
  else if (kind === 'hourly' && rest.length === 0) schedule = { kind: 'interval', minutes: 60 };
  else if (kind === 'every')
    schedule = { kind: 'interval', minutes: minutesOf(rest.join(''), text) };
  else if (kind === 'daily' && rest.length === 1)
    schedule = { kind: 'daily', at: clock(rest[0], text) };
  else if (kind === 'weekly' && rest.length === 2)
    schedule = { kind: 'weekly', days: parseDays(rest[0]!, text), at: clock(rest[1], text) };
  else if (kind === 'cron') {
    const expression = trimmed
      .slice(word.length)
      .trim()
      .replace(/^["']|["']$/g, '');
    try {
      parseCron(expression);
    } catch (err) {
      throw invalid(text, (err as Error).message);
    }
    schedule = { kind: 'cron', expression };
  } else throw invalid(text, 'not a schedule Strata knows');
  const r = ScheduleSchema.safeParse(schedule);
  if (!r.success) throw invalid(text, describeIssues(r.error));
  return r.data;
}

function every(minutes: number): string {
  if (minutes === 60) return 'hourly';
  if (minutes % (60 * 24) === 0) {
    const d = minutes / (60 * 24);
    return d === 1 ? 'every day' : `every ${d} days`;
  }
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

/** A schedule in words: "every 30 minutes", "daily at 02:30", "Mon, Wed at 21:00". */
export function describeSchedule(s: Schedule): string {
  switch (s.kind) {
    case 'manual':
      return 'by hand only';
    case 'interval':
      return every(s.minutes);
    case 'daily':
      return `daily at ${s.at}`;
    case 'weekly':
      return `${s.days.length === 7 ? 'daily' : s.days.map((d) => DAY_NAMES[d]).join(', ')} at ${s.at}`;
    case 'cron':
      return `cron ${s.expression}`;
  }
}
