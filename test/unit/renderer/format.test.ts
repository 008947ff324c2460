/** The numbers people care about, in words; dates and times in a fixed zone (Europe/Berlin). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseName,
  formatAge,
  formatBytes,
  formatCount,
  formatDate,
  formatDuration,
  formatTime,
} from '../../../renderer/src/components/format';

const zoneBefore = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

describe('formatBytes (powers of 1024)', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [1023, '1023 bytes'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [9.9 * 1024, '9.9 KB'],
    [10 * 1024 - 1, '10 KB'], // 9.999 KB rounds to 10: no "10.0"
    [10 * 1024, '10 KB'],
    [1024 ** 2 - 1, '1.0 MB'], // 1023.999 KB: not "1024 KB"
    [5 * 1024 ** 3 + 512 * 1024 ** 2, '5.5 GB'],
    [2 * 1024 ** 6, '2048 PB'],
    [-1, '—'],
    [Number.NaN, '—'],
  ])('%d -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatCount', () => {
  it('picks the word by number and groups thousands', () => {
    expect(formatCount(1, 'file', 'files')).toBe('1 file');
    expect(formatCount(0, 'file', 'files')).toBe('0 files');
    expect(formatCount(1234567, 'file', 'files')).toBe('1,234,567 files');
  });
});

describe('formatDuration (rounded to the unit that matters)', () => {
  it.each([
    [0, '0 seconds'],
    [1_000, '1 second'],
    [59_400, '59 seconds'],
    [59_600, '1 minute'], // 60 s rounds up to a minute
    [95_000, '2 minutes'],
    [3_570_000, '1 hour'], // 59.5 min -> 60 -> 1 hour
    [90 * 60_000, '1.5 hours'],
    [47 * 3_600_000, '47 hours'],
    [48 * 3_600_000, '2 days'],
    [-5_000, '0 seconds'],
  ])('%d ms -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatAge', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('says just now within 45 seconds, else ago or in', () => {
    expect(formatAge(now - 44_000, now)).toBe('just now');
    expect(formatAge(now + 44_000, now)).toBe('just now');
    expect(formatAge(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(formatAge(now + 20 * 60_000, now)).toBe('in 20 minutes');
  });
});

describe('formatDate and formatTime (Berlin wall clock)', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('shows the weekday in the current year and the year otherwise', () => {
    // 13:05 UTC on Wednesday 4 November 2026 is 14:05 in Berlin (CET).
    expect(formatDate('2026-11-04T13:05:00Z', now)).toBe('Wed 4 Nov, 14:05');
    expect(formatDate(Date.parse('2025-11-04T13:05:00Z'), now)).toBe('4 Nov 2025, 14:05');
    // Summer time: 30 June 22:30 UTC is already 1 July, 00:30 CEST.
    expect(formatDate('2026-06-30T22:30:00Z', now)).toBe('Wed 1 Jul, 00:30');
  });

  it('formatTime gives the clock to the second', () => {
    expect(formatTime('2026-06-30T22:30:09Z')).toBe('00:30:09');
  });
});

describe('baseName', () => {
  it.each([
    ['/home/ann/Documents', 'Documents'],
    ['/home/ann/Documents/', 'Documents'],
    ['C:\\Users\\ann\\Pictures', 'Pictures'],
    ['/', '/'],
    ['notes.txt', 'notes.txt'],
  ])('%s -> %s', (path, name) => {
    expect(baseName(path)).toBe(name);
  });
});
