import { describe, expect, it } from 'vitest';
import { nextCronTime, parseCron } from '../../../shared/cron';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
/** The next `n` times after `from`, as UTC ISO strings. */
function next(expr: string, from: string, tz = 'UTC', n = 1): string[] {
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) out.push(iso((t = nextCronTime(expr, t, tz))));
  return out;
}

describe('parseCron errors', () => {
  it.each([
    ['', /found 0 fields/],
    ['* * * *', /found 4 fields/],
    ['* * * * * *', /found 6 fields/],
    ['60 * * * *', /minute 60 is out of range \(0-59\)/],
    ['* 24 * * *', /hour 24 is out of range/],
    ['* * 0 * *', /day of month 0 is out of range \(1-31\)/],
    ['* * * 13 *', /month 13 is out of range/],
    ['* * * * 8', /day of week 8 is out of range \(0-7\)/],
    ['*/0 * * * *', /step "0" must be a whole number of at least 1/],
    ['*/x * * * *', /step "x"/],
    ['5-1 * * * *', /runs backwards/],
    ['1-2-3 * * * *', /must be two values/],
    ['1,,2 * * * *', /empty list item/],
    ['* * * FOO *', /month "FOO" is not a number or a name JAN-DEC/],
    ['* * * * MONDAY', /day of week "MONDAY" is not a number or a name SUN-SAT/],
    ['1/2/3 * * * *', /more than one "\/"/],
    ['0 0 30 2 *', /no chosen month has a day 30/],
    ['0 0 31 4,6,9,11 *', /no chosen month has a day 31/],
  ])('%j is refused: %s', (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
    try {
      parseCron(expr);
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it('accepts the 30th of February when a weekday is also chosen (either matches)', () => {
    expect(() => parseCron('0 0 30 2 MON')).not.toThrow();
  });
});

describe('parseCron fields', () => {
  it.each([
    ['*/15 * * * *', 'minutes', [0, 15, 30, 45]],
    ['5/20 * * * *', 'minutes', [5, 25, 45]],
    ['10-20/5 * * * *', 'minutes', [10, 15, 20]],
    ['1,3,2 * * * *', 'minutes', [1, 2, 3]],
    ['0 9-11,14 * * *', 'hours', [9, 10, 11, 14]],
  ] as const)('%s gives %s %j', (expr, field, values) => {
    expect(parseCron(expr)[field]).toEqual(values);
  });

  it('reads month and weekday names in any case, and 7 as Sunday', () => {
    const spec = parseCron('0 0 * jan-Mar,DEC sun,7,Wed-fri');
    expect([...spec.months].sort((a, b) => a - b)).toEqual([1, 2, 3, 12]);
    expect([...spec.daysOfWeek].sort((a, b) => a - b)).toEqual([0, 3, 4, 5]);
  });

  it('counts a day field starting with * as unrestricted (the classic rule)', () => {
    expect(parseCron('0 0 */2 * 1')).toMatchObject({ domRestricted: false, dowRestricted: true });
    expect(parseCron('0 0 1-31 * *')).toMatchObject({ domRestricted: true, dowRestricted: false });
  });
});

describe('nextCronTime', () => {
  it.each([
    // [expression, from (UTC), the next three]
    ['*/20 * * * *', '2026-05-01T10:05:00Z', ['10:20', '10:40', '11:00']],
    ['0 */6 * * *', '2026-05-01T10:05:00Z', ['12:00', '18:00', '00:00']],
    ['30 2 * * *', '2026-05-01T02:30:00Z', ['02:30', '02:30', '02:30']],
    ['15 9-10 * * *', '2026-05-01T09:15:30Z', ['10:15', '09:15', '10:15']],
  ])('%s after %s', (expr, from, times) => {
    expect(next(expr, from, 'UTC', 3).map((t) => t.slice(11, 16))).toEqual(times);
  });

  it('is strictly after the given instant, seconds included', () => {
    expect(next('0 12 * * *', '2026-05-01T12:00:00Z')).toEqual(['2026-05-02T12:00:00.000Z']);
    expect(next('0 12 * * *', '2026-05-01T11:59:59.999Z')).toEqual(['2026-05-01T12:00:00.000Z']);
  });

  it('steps over month ends: the 31st only in months that have one', () => {
    expect(next('0 0 31 * *', '2026-01-31T00:00:00Z', 'UTC', 3)).toEqual([
      '2026-03-31T00:00:00.000Z',
      '2026-05-31T00:00:00.000Z',
      '2026-07-31T00:00:00.000Z',
    ]);
  });

  it('finds February 29 in the next leap year, skipping 2100', () => {
    expect(next('0 0 29 2 *', '2026-01-01T00:00:00Z')).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(next('0 0 29 2 *', '2096-03-01T00:00:00Z')).toEqual(['2104-02-29T00:00:00.000Z']);
  });

  it('matches either day field when both are restricted', () => {
    // 2026-06-01 is a Monday: the 13th (a Saturday) and every Friday both count.
    expect(next('0 8 13 * FRI', '2026-06-01T00:00:00Z', 'UTC', 3)).toEqual([
      '2026-06-05T08:00:00.000Z',
      '2026-06-12T08:00:00.000Z',
      '2026-06-13T08:00:00.000Z',
    ]);
  });

  it('needs both day fields when one starts with *', () => {
    // Odd days that are Mondays: 2026-06-01, then 06-15, 06-29.
    expect(next('0 8 */2 * MON', '2026-05-31T00:00:00Z', 'UTC', 3)).toEqual([
      '2026-06-01T08:00:00.000Z',
      '2026-06-15T08:00:00.000Z',
      '2026-06-29T08:00:00.000Z',
    ]);
  });

  it('reads times on the wall clock of the zone', () => {
    expect(next('0 9 * * *', '2026-07-01T00:00:00Z', 'Europe/Berlin')).toEqual([
      '2026-07-01T07:00:00.000Z',
    ]);
    expect(next('0 9 * * *', '2026-01-01T00:00:00Z', 'America/New_York')).toEqual([
      '2026-01-01T14:00:00.000Z',
    ]);
  });

  it('refuses an unknown time zone', () => {
    expect(() => nextCronTime('0 9 * * *', 0, 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
});

describe('nextCronTime across DST', () => {
  it('runs a skipped 02:30 once, when the clock jumps (Berlin, spring forward)', () => {
    // 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    expect(next('30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin', 3)).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST, the first valid time after 02:30
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
  });

  it('runs a repeated 02:30 once, at its first occurrence (Berlin, fall back)', () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:30 happens twice.
    expect(next('30 2 * * *', '2026-10-24T12:00:00Z', 'Europe/Berlin', 3)).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST
      '2026-10-26T01:30:00.000Z', // 02:30 CET, the next day
      '2026-10-27T01:30:00.000Z',
    ]);
  });

  it('does not run the repeated time again from inside the repeated hour', () => {
    // From 02:40 CET (the second pass through 02:xx) the next 02:30 is the following day.
    expect(next('30 2 * * *', '2026-10-25T01:40:00Z', 'Europe/Berlin')).toEqual([
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('collapses times inside the gap into one run (New York, spring forward)', () => {
    // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00 UTC.
    expect(next('*/30 2-3 * * *', '2026-03-08T06:00:00Z', 'America/New_York', 3)).toEqual([
      '2026-03-08T07:00:00.000Z', // 02:00 and 02:30 both land on 03:00 EDT, once
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
      '2026-03-09T06:00:00.000Z', // 02:00 EDT the next day
    ]);
  });

  it('runs an hourly job once per wall hour through the repeated hour (New York, fall back)', () => {
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00 UTC; 01:xx happens twice.
    expect(next('0 * * * *', '2026-11-01T04:30:00Z', 'America/New_York', 3)).toEqual([
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T07:00:00.000Z', // 02:00 EST: 01:00 EST is not run a second time
      '2026-11-01T08:00:00.000Z',
    ]);
  });

  it('runs a 01:30 daily job once on the New York fall-back day', () => {
    expect(next('30 1 * * *', '2026-10-31T12:00:00Z', 'America/New_York', 2)).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-02T06:30:00.000Z', // 01:30 EST, the next day
    ]);
  });
});
