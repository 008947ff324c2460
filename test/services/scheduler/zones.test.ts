import { describe, expect, it } from 'vitest';
import { nextCronTime } from '../../../shared/cron';
import { wallToInstant } from '../../../shared/zoned-time';
import { localParts } from '../../../shared/retention-time';

const at = (iso: string) => Date.parse(iso);

describe('wall-clock times through a year of DST changes', () => {
  // Lord Howe moves its clock by 30 minutes; Kolkata never changes; Santiago is southern.
  it.each([
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'America/Santiago',
  ])('%s: every result is later than the last and on a time the expression names', (tz) => {
    let t = at('2026-01-01T00:00:00Z');
    let jumps = 0;
    for (let i = 0; i < 2000; i++) {
      const next = nextCronTime('15 */4 * * *', t, tz);
      expect(next).toBeGreaterThan(t);
      const p = localParts(next, tz);
      if (p.minute !== 15 || p.hour % 4 !== 0) jumps++; // a skipped time, run at the jump
      t = next;
    }
    expect(jumps).toBeLessThanOrEqual(2);
  });

  it('resolves a skipped time to the jump and a repeated one to its first occurrence', () => {
    const tz = 'Australia/Lord_Howe'; // 2026-10-04 02:00 -> 02:30; 2026-04-05 02:00 -> 01:30
    expect(
      new Date(wallToInstant({ year: 2026, month: 10, day: 4 }, 2, 10, tz)).toISOString(),
    ).toBe(
      '2026-10-03T15:30:00.000Z', // 02:30 +11:00
    );
    expect(new Date(wallToInstant({ year: 2026, month: 4, day: 5 }, 1, 45, tz)).toISOString()).toBe(
      '2026-04-04T14:45:00.000Z', // 01:45 +11:00, not 01:45 +10:30
    );
  });
});
