/**
 * The timeline's groups (Today, Yesterday, This week, Last week, then months) in a fixed zone,
 * Europe/Berlin, across the spring DST change, a month end and a year end. Expected labels were
 * worked out by hand from a calendar; times are written in UTC with their Berlin wall time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotView } from '../../../shared/contract';
import {
  groupLabel,
  groupSnapshots,
  joinPath,
  parentPath,
} from '../../../renderer/src/features/timeline/group-snapshots';

const zoneBefore = process.env.TZ;
beforeAll(() => {
  // Node re-reads TZ when it is assigned: local-time Date methods now use Berlin.
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

const at = (iso: string): number => Date.parse(iso);

describe('groupLabel across a year end (Berlin, CET = UTC+1)', () => {
  // Saturday 2 January 2027, 12:00 in Berlin; the week began Monday 28 December 2026.
  const now = new Date('2027-01-02T11:00:00Z');
  it.each([
    ['2027-01-02T10:30:00Z', 'Today'], // Sat 11:30
    ['2027-01-01T23:00:00Z', 'Today'], // Sat 00:00, the first minute of today
    ['2027-01-01T22:59:00Z', 'Yesterday'], // Fri 1 Jan 23:59
    ['2026-12-31T23:00:00Z', 'Yesterday'], // Fri 1 Jan 00:00
    ['2026-12-31T22:59:00Z', 'This week'], // Thu 31 Dec 23:59
    ['2026-12-27T23:00:00Z', 'This week'], // Mon 28 Dec 00:00
    ['2026-12-27T22:59:00Z', 'Last week'], // Sun 27 Dec 23:59
    ['2026-12-20T23:00:00Z', 'Last week'], // Mon 21 Dec 00:00
    ['2026-12-20T22:59:00Z', 'December 2026'], // Sun 20 Dec 23:59
    ['2026-11-30T12:00:00Z', 'November 2026'],
    ['2025-12-31T12:00:00Z', 'December 2025'],
  ])('%s is %s', (time, label) => {
    expect(groupLabel(at(time), now)).toBe(label);
  });
});

describe('groupLabel across the spring DST change (Sunday 29 March 2026 has 23 hours)', () => {
  it('Yesterday starts at Sunday’s midnight, not 24 hours before today’s', () => {
    // Monday 30 March 10:00 CEST; Sunday began at 2026-03-28T23:00Z (CET).
    const monday = new Date('2026-03-30T08:00:00Z');
    expect(groupLabel(at('2026-03-28T23:00:00Z'), monday)).toBe('Yesterday'); // Sun 00:00
    // Saturday 28 March 23:30 CET: 24 h before Monday's midnight would call this Yesterday.
    expect(groupLabel(at('2026-03-28T22:30:00Z'), monday)).toBe('Last week');
  });

  it('Last week starts at Monday 23 March’s midnight in CET, although today is in CEST', () => {
    // Thursday 2 April 10:00 CEST: this week since Mon 30 Mar, last week since Mon 23 Mar.
    const thursday = new Date('2026-04-02T08:00:00Z');
    expect(groupLabel(at('2026-04-01T21:59:00Z'), thursday)).toBe('Yesterday'); // Wed 1 Apr 23:59
    expect(groupLabel(at('2026-03-29T22:00:00Z'), thursday)).toBe('This week'); // Mon 30 00:00 CEST
    expect(groupLabel(at('2026-03-29T21:59:00Z'), thursday)).toBe('Last week'); // Sun 29 23:59
    expect(groupLabel(at('2026-03-22T23:00:00Z'), thursday)).toBe('Last week'); // Mon 23 00:00 CET
    // Sunday 22 March 23:30 CET: seven 24-hour days back from Monday would say Last week.
    expect(groupLabel(at('2026-03-22T22:30:00Z'), thursday)).toBe('March 2026');
    expect(groupLabel(at('2026-02-28T12:00:00Z'), thursday)).toBe('February 2026');
  });
});

function snap(id: string, time: string): SnapshotView {
  return {
    destinationId: 'd',
    id,
    time,
    host: 'h',
    paths: ['/x'],
    tags: [],
    pinned: false,
    indexed: true,
  };
}

describe('groupSnapshots', () => {
  it('sorts newest first and puts one header before each group', () => {
    const now = new Date('2027-01-02T11:00:00Z');
    const rows = groupSnapshots(
      [
        snap('c', '2026-12-15T12:00:00Z'),
        snap('a', '2027-01-02T09:00:00Z'),
        snap('d', '2026-11-02T12:00:00Z'),
        snap('b', '2027-01-02T08:00:00Z'),
        snap('e', '2026-12-30T12:00:00Z'),
      ],
      now,
    );
    expect(rows.map((r) => (r.kind === 'header' ? `# ${r.label}` : r.snapshot.id))).toEqual([
      '# Today',
      'a',
      'b',
      '# This week',
      'e',
      '# December 2026',
      'c',
      '# November 2026',
      'd',
    ]);
  });

  it('gives no rows for no snapshots', () => {
    expect(groupSnapshots([], new Date())).toEqual([]);
  });
});

describe('snapshot paths', () => {
  it('parentPath goes up one folder and stops at the root', () => {
    expect(parentPath('/home/ann/docs')).toBe('/home/ann');
    expect(parentPath('/home')).toBe('/');
    expect(parentPath('/')).toBe('/');
  });

  it('joinPath adds a name below a folder, one slash at the root', () => {
    expect(joinPath('/', 'home')).toBe('/home');
    expect(joinPath('/home', 'ann')).toBe('/home/ann');
  });
});
