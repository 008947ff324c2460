/**
 * The "when" step: each choice as a schedule, the RPO it implies, the sentence that explains it,
 * the CLI words for the review's command (read back by the CLI's own parser), and the cron
 * preview: next runs in a fixed zone (Europe/Berlin, across the spring DST change) and errors.
 */
import { describe, expect, it } from 'vitest';
import { parseScheduleOption } from '../../../electron/cli/schedule-option';
import type { Schedule } from '../../../shared/jobs';
import { previewCron } from '../../../renderer/src/features/wizard/cron-preview';
import {
  describeRpo,
  impliedRpoHours,
  scheduleWords,
  toSchedule,
} from '../../../renderer/src/features/wizard/schedule';
import { INITIAL_DRAFT, type Draft } from '../../../renderer/src/features/wizard/wizard-store';

const draft = (patch: Partial<Draft>): Draft => ({ ...INITIAL_DRAFT, ...patch });

describe('toSchedule', () => {
  it('turns each choice into the job schedule', () => {
    expect(toSchedule(draft({ frequency: 'hourly' }))).toEqual({ kind: 'interval', minutes: 60 });
    expect(toSchedule(draft({ frequency: 'daily', at: '02:30' }))).toEqual({
      kind: 'daily',
      at: '02:30',
    });
    expect(toSchedule(draft({ frequency: 'weekly', days: [5, 1, 3], at: '21:00' }))).toEqual({
      kind: 'weekly',
      days: [1, 3, 5],
      at: '21:00',
    });
    expect(toSchedule(draft({ frequency: 'custom', customMinutes: 90 }))).toEqual({
      kind: 'interval',
      minutes: 90,
    });
    expect(
      toSchedule(draft({ frequency: 'custom', customKind: 'cron', cron: '  30  2 * *\t1-5 ' })),
    ).toEqual({ kind: 'cron', expression: '30 2 * * 1-5' });
    expect(toSchedule(draft({ frequency: 'manual' }))).toEqual({ kind: 'manual' });
  });
});

describe('impliedRpoHours: one interval plus slack', () => {
  it.each([
    ['hourly', 120, 3],
    ['daily', 120, 26],
    ['weekly', 120, 170],
    ['manual', 120, 168],
    // custom: twice the interval, in whole hours, at least 1
    ['custom', 90, 3],
    ['custom', 100, 4],
    ['custom', 5, 1],
    ['custom', 24 * 60, 48],
  ] as const)('%s (custom %i min) -> %i hours', (frequency, minutes, hours) => {
    expect(impliedRpoHours(frequency, minutes)).toBe(hours);
  });
});

describe('describeRpo', () => {
  it('says what could be lost and when Strata warns, in hours or days', () => {
    expect(describeRpo('daily', 26)).toBe(
      'If this disk failed, you could lose about a day of work. Strata warns you when the newest backup is older than 26 hours — also when the computer was off or the drive unplugged.',
    );
    expect(describeRpo('weekly', 170)).toContain('about a week of work');
    expect(describeRpo('weekly', 170)).toContain('older than 7 days');
    expect(describeRpo('custom', 48)).toContain('older than 2 days');
    expect(describeRpo('hourly', 1)).toContain('older than 1 hour —');
    expect(describeRpo('manual', 168)).toContain('since you last pressed “Back up now”');
  });
});

describe('scheduleWords', () => {
  const cases: [Schedule, string][] = [
    [{ kind: 'manual' }, 'manual'],
    [{ kind: 'interval', minutes: 60 }, 'hourly'],
    [{ kind: 'interval', minutes: 120 }, 'every 2h'],
    [{ kind: 'interval', minutes: 90 }, 'every 90m'],
    [{ kind: 'daily', at: '02:30' }, 'daily 02:30'],
    [{ kind: 'weekly', days: [1, 3], at: '21:00' }, 'weekly mon,wed 21:00'],
    [{ kind: 'cron', expression: '30 2 * * 1-5' }, 'cron "30 2 * * 1-5"'],
  ];
  it.each(cases)('%j is %s, and the CLI reads it back', (schedule, words) => {
    expect(scheduleWords(schedule)).toBe(words);
    expect(parseScheduleOption(words)).toEqual(schedule);
  });
});

describe('previewCron (Europe/Berlin; DST starts Sunday 29 March 2026 at 02:00)', () => {
  // Friday 27 March 2026, 13:00 in Berlin.
  const now = Date.parse('2026-03-27T12:00:00Z');
  const zone = 'Europe/Berlin';
  const iso = (ts: readonly number[]) => ts.map((t) => new Date(t).toISOString());

  it('daily at 02:30: the skipped 02:30 on the DST day runs at 03:00; RPO 24 h + 2', () => {
    const p = previewCron('30 2 * * *', now, zone);
    if (!p.ok) throw new Error(p.error);
    expect(iso(p.next)).toEqual([
      '2026-03-28T01:30:00.000Z', // Sat 02:30 CET
      '2026-03-29T01:00:00.000Z', // Sun 03:00 CEST: 02:30 does not exist
      '2026-03-30T00:30:00.000Z', // Mon 02:30 CEST
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    expect(p.longestGapMs).toBe(24 * 3_600_000);
    expect(p.rpoHours).toBe(26);
  });

  it('weekdays at 02:30: the weekend is the longest gap, 72 hours, so the RPO is 74', () => {
    const p = previewCron('30 2 * * MON-FRI', now, zone, 3);
    if (!p.ok) throw new Error(p.error);
    expect(iso(p.next)).toEqual([
      '2026-03-30T00:30:00.000Z',
      '2026-03-31T00:30:00.000Z',
      '2026-04-01T00:30:00.000Z',
    ]);
    expect(p.longestGapMs).toBe(72 * 3_600_000);
    expect(p.rpoHours).toBe(74);
  });

  it('every hour at :00 across the DST night: runs an hour apart, RPO 3 like "hourly"', () => {
    const p = previewCron('0 * * * *', now, zone);
    if (!p.ok) throw new Error(p.error);
    expect(iso(p.next)[0]).toBe('2026-03-27T13:00:00.000Z');
    expect(p.shortestGapMs).toBe(3_600_000);
    expect(p.rpoHours).toBe(3);
  });

  it.each([
    ['', 'Type a cron expression.'],
    ['61 * * * *', 'Minute 61 is out of range (0-59).'],
    ['1 2 3', 'Found 3 fields; a cron expression has five fields'],
    ['0 0 31 2 *', 'No chosen month has a day 31, so it would never run.'],
    ['0 9 * * FUNDAY', 'Day of week "FUNDAY" is not a number or a name SUN-SAT.'],
    ['*/2 * * * *', 'This runs more often than every 5 minutes'],
  ])('%j: %s', (expression, error) => {
    const p = previewCron(expression, now, zone);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.error).toContain(error);
  });
});
