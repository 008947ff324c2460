import { describe, expect, it } from 'vitest';
import { describeSchedule, parseScheduleOption } from '../../../electron/cli/schedule-option';

describe('--schedule', () => {
  it('maps each form onto a Schedule', () => {
    expect(parseScheduleOption('manual')).toEqual({ kind: 'manual' });
    expect(parseScheduleOption('hourly')).toEqual({ kind: 'interval', minutes: 60 });
    expect(parseScheduleOption('every 30m')).toEqual({ kind: 'interval', minutes: 30 });
    expect(parseScheduleOption('every 2h')).toEqual({ kind: 'interval', minutes: 120 });
    expect(parseScheduleOption('every 1d')).toEqual({ kind: 'interval', minutes: 1440 });
    expect(parseScheduleOption('daily 02:30')).toEqual({ kind: 'daily', at: '02:30' });
    expect(parseScheduleOption('daily@2:30')).toEqual({ kind: 'daily', at: '02:30' });
    expect(parseScheduleOption('weekly mon,wed 21:00')).toEqual({
      kind: 'weekly',
      days: [1, 3],
      at: '21:00',
    });
    expect(parseScheduleOption('weekly@Friday,mon@07:05')).toEqual({
      kind: 'weekly',
      days: [1, 5],
      at: '07:05',
    });
    expect(parseScheduleOption('weekly mon-fri 08:00')).toMatchObject({ days: [1, 2, 3, 4, 5] });
    expect(parseScheduleOption('weekly sat-sun 08:00')).toMatchObject({ days: [0, 6] });
    expect(parseScheduleOption('cron "*/30 * * * *"')).toEqual({
      kind: 'cron',
      expression: '*/30 * * * *',
    });
    expect(parseScheduleOption('cron 0 3 * * 1-5')).toEqual({
      kind: 'cron',
      expression: '0 3 * * 1-5',
    });
  });

  it('says what is wrong', () => {
    const bad: [string, RegExp][] = [
      ['sometimes', /not a schedule Strata knows/],
      ['every 4m', /at least 5 minutes/],
      ['every often', /30m, 2h or 1d/],
      ['daily', /not a schedule/],
      ['daily 24:00', /HH:MM/],
      ['weekly 21:00', /not a schedule/],
      ['weekly moon 21:00', /"moon" is not a day/],
      ['cron "* * *"', /found 3 fields/],
      ['every 40d', /at most 31 days/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseScheduleOption(text), text).toThrow(message);
    }
  });

  it('reads back in words', () => {
    const words = (t: string) => describeSchedule(parseScheduleOption(t));
    expect(words('manual')).toBe('by hand only');
    expect(words('hourly')).toBe('hourly');
    expect(words('every 30m')).toBe('every 30 minutes');
    expect(words('every 2h')).toBe('every 2 hours');
    expect(words('every 1d')).toBe('every day');
    expect(words('daily 02:30')).toBe('daily at 02:30');
    expect(words('weekly mon,wed 21:00')).toBe('Mon, Wed at 21:00');
    expect(words('weekly sun-sat 21:00')).toBe('daily at 21:00');
    expect(words('cron "*/30 * * * *"')).toBe('cron */30 * * * *');
  });
});
