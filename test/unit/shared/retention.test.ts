/**
 * Retention policies over synthetic times: restic's rules, calendar edges (month, year, ISO
 * week, DST), time zones, keep-within, tags, pins, unlimited counts, empty policies, groups.
 */
import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import {
  applyPolicy,
  describeGroup,
  describePolicy,
  findPreset,
  groupSnapshots,
  isEmptyPolicy,
  parseDuration,
  parseGroupBy,
  RETENTION_PRESETS,
  validatePolicy,
  type PolicyItem,
  type RetentionPolicy,
} from '../../../shared/retention';
import { formatInZone, isoWeek, subtractDuration } from '../../../shared/retention-time';

interface Snap extends PolicyItem {
  readonly id: string;
}

/** Snapshots named by their time (the id is the ISO time, so verdicts read easily). */
function snaps(...times: string[]): Snap[] {
  return times.map((time) => ({ id: time, time, tags: [] }));
}

function verdict(
  items: readonly PolicyItem[],
  policy: RetentionPolicy,
  timeZone = 'UTC',
  now = Date.parse('2030-01-01T00:00:00Z'),
) {
  const decisions = applyPolicy(items, policy, { timeZone, now });
  return {
    kept: decisions.filter((d) => d.keep).map((d) => d.item.id),
    removed: decisions.filter((d) => !d.keep).map((d) => d.item.id),
    reasons: Object.fromEntries(decisions.map((d) => [d.item.id, d.reasons])),
  };
}

function expectInvalid(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StrataError);
  expect((caught as StrataError).code).toBe('INVALID_ARGUMENT');
  expect((caught as StrataError).message).toMatch(message);
}

describe('count rules (UTC)', () => {
  const cases: {
    name: string;
    times: string[];
    policy: RetentionPolicy;
    kept: string[];
  }[] = [
    {
      name: 'keep-last keeps the newest N',
      times: ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z'],
      policy: { keepLast: 2 },
      kept: ['2026-01-03T10:00:00Z', '2026-01-02T10:00:00Z'],
    },
    {
      name: 'keep-daily keeps the newest of each day',
      times: [
        '2026-01-01T08:00:00Z',
        '2026-01-01T20:00:00Z',
        '2026-01-02T09:00:00Z',
        '2026-01-02T23:59:59Z',
        '2026-01-04T00:00:00Z',
      ],
      policy: { keepDaily: 2 },
      kept: ['2026-01-04T00:00:00Z', '2026-01-02T23:59:59Z'],
    },
    {
      name: 'days without a snapshot do not use up the count',
      times: ['2026-01-01T12:00:00Z', '2026-01-10T12:00:00Z', '2026-01-20T12:00:00Z'],
      policy: { keepDaily: 2 },
      kept: ['2026-01-20T12:00:00Z', '2026-01-10T12:00:00Z'],
    },
    {
      name: 'keep-hourly: the newest of each hour',
      times: ['2026-01-01T10:05:00Z', '2026-01-01T10:55:00Z', '2026-01-01T11:00:00Z'],
      policy: { keepHourly: 2 },
      kept: ['2026-01-01T11:00:00Z', '2026-01-01T10:55:00Z'],
    },
    {
      name: 'keep-monthly across a month boundary one minute apart',
      times: ['2026-01-15T00:00:00Z', '2026-01-31T23:59:00Z', '2026-02-01T00:00:00Z'],
      policy: { keepMonthly: 1 },
      kept: ['2026-02-01T00:00:00Z'],
    },
    {
      name: 'keep-yearly across New Year',
      times: ['2024-03-01T00:00:00Z', '2024-12-31T23:00:00Z', '2025-01-01T01:00:00Z'],
      policy: { keepYearly: 1 },
      kept: ['2025-01-01T01:00:00Z'],
    },
    {
      name: 'ISO week: Sunday Dec 28 2025 is week 52, Monday Dec 29 is already 2026-W01',
      times: [
        '2025-12-28T12:00:00Z',
        '2025-12-29T12:00:00Z',
        '2026-01-01T12:00:00Z',
        '2026-01-04T12:00:00Z',
        '2026-01-05T12:00:00Z',
      ],
      policy: { keepWeekly: 3 },
      kept: ['2026-01-05T12:00:00Z', '2026-01-04T12:00:00Z', '2025-12-28T12:00:00Z'],
    },
    {
      name: 'ISO week 53: Dec 31 2020 and Jan 3 2021 share a week, Jan 4 2021 starts W01',
      times: [
        '2020-12-20T12:00:00Z',
        '2020-12-31T12:00:00Z',
        '2021-01-03T12:00:00Z',
        '2021-01-04T12:00:00Z',
      ],
      policy: { keepWeekly: 2 },
      kept: ['2021-01-04T12:00:00Z', '2021-01-03T12:00:00Z'],
    },
    {
      name: 'a week spanning two years is one bucket (Dec 30 2024 and Jan 2 2025: 2025-W01)',
      times: ['2024-12-20T12:00:00Z', '2024-12-30T12:00:00Z', '2025-01-02T12:00:00Z'],
      policy: { keepWeekly: 5 },
      kept: ['2025-01-02T12:00:00Z', '2024-12-20T12:00:00Z'],
    },
    {
      name: 'rules add up: last 1 and daily 2',
      times: ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-02T11:00:00Z'],
      policy: { keepLast: 1, keepDaily: 2 },
      kept: ['2026-01-02T11:00:00Z', '2026-01-01T10:00:00Z'],
    },
    {
      name: 'unlimited (-1) keeps the newest of every day',
      times: [
        '2026-01-01T10:00:00Z',
        '2026-01-01T11:00:00Z',
        '2026-01-05T09:00:00Z',
        '2026-01-05T10:00:00Z',
        '2026-03-01T10:00:00Z',
      ],
      policy: { keepDaily: -1 },
      // The oldest is kept too: an unlimited count never runs out (restic's oldest rule).
      kept: [
        '2026-03-01T10:00:00Z',
        '2026-01-05T10:00:00Z',
        '2026-01-01T11:00:00Z',
        '2026-01-01T10:00:00Z',
      ],
    },
    {
      name: 'keep-last -1 keeps everything',
      times: ['2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z'],
      policy: { keepLast: -1 },
      kept: ['2026-01-01T10:00:01Z', '2026-01-01T10:00:00Z'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const all = snaps(...c.times);
      const v = verdict(all, c.policy);
      expect(v.kept).toEqual(c.kept);
      expect(v.removed.sort()).toEqual(c.times.filter((t) => !c.kept.includes(t)).sort());
    });
  }

  it('lists every snapshot newest first, whatever the input order', () => {
    const times = ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-01T00:00:00Z'];
    const ids = applyPolicy(snaps(...times), { keepLast: 1 }, { timeZone: 'UTC' }).map(
      (d) => d.item.id,
    );
    expect(ids).toEqual([...times].sort().reverse());
  });

  it('breaks ties in time by id, so the listing order cannot change the verdict', () => {
    const a = { id: 'aaaa', time: '2026-01-01T00:00:00Z', tags: [] };
    const b = { id: 'bbbb', time: '2026-01-01T00:00:00Z', tags: [] };
    expect(verdict([a, b], { keepLast: 1 }).kept).toEqual(['aaaa']);
    expect(verdict([b, a], { keepLast: 1 }).kept).toEqual(['aaaa']);
  });

  it('names the rules that keep each snapshot', () => {
    const v = verdict(snaps('2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z'), {
      keepLast: 1,
      keepDaily: 5,
      keepMonthly: 1,
    });
    expect(v.reasons['2026-01-02T10:00:00Z']).toEqual([
      'last snapshot',
      'daily snapshot',
      'monthly snapshot',
    ]);
    expect(v.reasons['2026-01-01T10:00:00Z']).toEqual(['daily snapshot']);
  });
});

describe("restic's oldest-snapshot rule", () => {
  const times = [
    '2026-01-01T08:00:00Z', // the oldest, same day as the next
    '2026-01-01T12:00:00Z',
    '2026-01-02T10:00:00Z',
  ];

  it('keeps the oldest snapshot while the count has some left', () => {
    const v = verdict(snaps(...times), { keepDaily: 5 });
    expect(v.removed).toEqual([]);
    expect(v.reasons['2026-01-01T08:00:00Z']).toEqual(['oldest daily snapshot']);
    expect(v.reasons['2026-01-01T12:00:00Z']).toEqual(['daily snapshot']);
  });

  it('does not once the count is used up', () => {
    const v = verdict(snaps(...times), { keepDaily: 2 });
    expect(v.removed).toEqual(['2026-01-01T08:00:00Z']);
  });
});

describe('time zones and DST', () => {
  it('the same instants fall on different days in UTC and in New York', () => {
    // 23:30Z on Mar 10 and 01:00Z on Mar 11 are both the evening of Mar 10 in New York (EDT).
    const all = snaps('2026-03-01T12:00:00Z', '2026-03-10T23:30:00Z', '2026-03-11T01:00:00Z');
    expect(verdict(all, { keepDaily: 5 }, 'UTC').removed).toEqual([]);
    expect(verdict(all, { keepDaily: 5 }, 'America/New_York').removed).toEqual([
      '2026-03-10T23:30:00Z',
    ]);
  });

  it('New Year in Berlin comes an hour before New Year in UTC', () => {
    const all = snaps('2023-05-01T00:00:00Z', '2024-12-31T23:00:00Z', '2025-06-01T00:00:00Z');
    // UTC: 2025, 2024 -> the 2023 snapshot is past the count.
    expect(verdict(all, { keepYearly: 2 }, 'UTC').kept).toEqual([
      '2025-06-01T00:00:00Z',
      '2024-12-31T23:00:00Z',
    ]);
    // Berlin: 2024-12-31T23:00Z is already 2025, so 2023 gets the second year.
    expect(verdict(all, { keepYearly: 2 }, 'Europe/Berlin').kept).toEqual([
      '2025-06-01T00:00:00Z',
      '2023-05-01T00:00:00Z',
    ]);
  });

  it('Tokyo puts the last evening of January (UTC) in February', () => {
    const all = snaps('2026-01-10T00:00:00Z', '2026-01-31T20:00:00Z', '2026-02-10T00:00:00Z');
    expect(verdict(all, { keepMonthly: 2 }, 'UTC').kept).toEqual([
      '2026-02-10T00:00:00Z',
      '2026-01-31T20:00:00Z',
    ]);
    expect(verdict(all, { keepMonthly: 2 }, 'Asia/Tokyo').kept).toEqual([
      '2026-02-10T00:00:00Z',
      '2026-01-10T00:00:00Z',
    ]);
  });

  it('the hour repeated when DST ends is one hourly bucket on the wall clock', () => {
    // Berlin, Oct 25 2026: 00:30Z is 02:30 CEST, 01:30Z is 02:30 CET.
    const all = snaps('2026-10-24T12:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z');
    expect(formatInZone(Date.parse('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toBe(
      '2026-10-25 02:30:00',
    );
    expect(formatInZone(Date.parse('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toBe(
      '2026-10-25 02:30:00',
    );
    expect(verdict(all, { keepHourly: 10 }, 'UTC').removed).toEqual([]);
    expect(verdict(all, { keepHourly: 10 }, 'Europe/Berlin').removed).toEqual([
      '2026-10-25T00:30:00Z',
    ]);
  });

  it('the hour skipped when DST starts leaves neighbouring hours apart', () => {
    // Berlin, Mar 29 2026: 00:30Z is 01:30 CET, 01:30Z is 03:30 CEST.
    const all = snaps('2026-03-28T12:00:00Z', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z');
    expect(verdict(all, { keepHourly: 10 }, 'Europe/Berlin').removed).toEqual([]);
    expect(verdict(all, { keepDaily: 1 }, 'Europe/Berlin').kept).toEqual(['2026-03-29T01:30:00Z']);
  });

  it('keep-within counts calendar days: one day before DST starts is 23 hours', () => {
    // Newest: Mar 29 2026 12:00Z = 14:00 CEST. One day earlier on the wall clock is
    // Mar 28 14:00 CET = 13:00Z; in UTC it is 12:00Z.
    const all = snaps('2026-03-28T12:30:00Z', '2026-03-29T12:00:00Z');
    expect(verdict(all, { keepWithin: '1d' }, 'UTC').removed).toEqual([]);
    expect(verdict(all, { keepWithin: '1d' }, 'Europe/Berlin').removed).toEqual([
      '2026-03-28T12:30:00Z',
    ]);
  });

  it('rejects an unknown time zone clearly', () => {
    expectInvalid(
      () =>
        applyPolicy(snaps('2026-01-01T00:00:00Z'), { keepLast: 1 }, { timeZone: 'Mars/Olympus' }),
      /unknown time zone "Mars\/Olympus"/,
    );
  });
});

describe('ISO weeks', () => {
  const cases: [string, number, number][] = [
    ['2026-01-01', 2026, 1], // Thursday
    ['2025-12-29', 2026, 1], // Monday of 2026-W01
    ['2025-12-28', 2025, 52], // Sunday
    ['2020-12-31', 2020, 53],
    ['2021-01-03', 2020, 53], // Sunday of 2020-W53
    ['2021-01-04', 2021, 1],
    ['2027-01-01', 2026, 53], // Friday: 2026 has 53 weeks
    ['2024-12-30', 2025, 1],
    ['2016-01-03', 2015, 53],
  ];
  for (const [date, year, week] of cases) {
    it(`${date} is ${year}-W${week}`, () => {
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      expect(isoWeek(y, m, d)).toEqual({ year, week });
    });
  }
});

describe('keep-within', () => {
  it('counts back from the newest snapshot, not from now', () => {
    const all = snaps('2020-01-01T00:00:00Z', '2020-01-02T12:00:00Z', '2020-01-03T00:00:00Z');
    const v = verdict(all, { keepWithin: '2d' }, 'UTC', Date.parse('2026-06-01T00:00:00Z'));
    expect(v.kept).toEqual(['2020-01-03T00:00:00Z', '2020-01-02T12:00:00Z']);
    expect(v.reasons['2020-01-02T12:00:00Z']).toEqual(['within 2d']);
  });

  it('keeps only what is strictly newer than the boundary', () => {
    const all = snaps('2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z', '2026-01-03T00:00:00Z');
    expect(verdict(all, { keepWithin: '2d' }).removed).toEqual(['2026-01-01T00:00:00Z']);
  });

  it('subtracts months on the calendar, overflowing like Go (Mar 31 - 1m = Mar 3)', () => {
    const boundary = subtractDuration(
      Date.parse('2026-03-31T10:00:00Z'),
      parseDuration('1m'),
      'UTC',
    );
    expect(new Date(boundary).toISOString()).toBe('2026-03-03T10:00:00.000Z');
    const all = snaps('2026-03-03T10:00:00Z', '2026-03-03T10:00:01Z', '2026-03-31T10:00:00Z');
    expect(verdict(all, { keepWithin: '1m' }).removed).toEqual(['2026-03-03T10:00:00Z']);
  });

  it('combines units: 1y2m3d4h', () => {
    const boundary = subtractDuration(
      Date.parse('2026-06-10T12:00:00Z'),
      parseDuration('1y2m3d4h'),
      'UTC',
    );
    expect(new Date(boundary).toISOString()).toBe('2025-04-07T08:00:00.000Z');
  });

  it('ignores snapshots from the future when finding the newest', () => {
    const now = Date.parse('2026-01-10T00:00:00Z');
    const all = snaps('2026-01-05T00:00:00Z', '2026-01-09T00:00:00Z', '2027-01-01T00:00:00Z');
    // The reference is Jan 9; the future snapshot is newer than the boundary and so kept too.
    expect(verdict(all, { keepWithin: '5d' }, 'UTC', now).removed).toEqual([]);
    expect(verdict(all, { keepWithin: '3d' }, 'UTC', now).removed).toEqual([
      '2026-01-05T00:00:00Z',
    ]);
  });
});

describe('tags and pins', () => {
  const item = (id: string, time: string, tags: string[] = [], pinned = false) => ({
    id,
    time,
    tags,
    pinned,
  });

  it('keep-tag keeps snapshots with any listed tag; "a,b" needs both', () => {
    const all = [
      item('new', '2026-01-05T00:00:00Z'),
      item('important', '2026-01-04T00:00:00Z', ['important']),
      item('a-only', '2026-01-03T00:00:00Z', ['a']),
      item('a-and-b', '2026-01-02T00:00:00Z', ['b', 'a']),
      item('plain', '2026-01-01T00:00:00Z', ['other']),
    ];
    const v = verdict(all, { keepLast: 1, keepTags: ['important', 'a,b'] });
    expect(v.kept).toEqual(['new', 'important', 'a-and-b']);
    expect(v.reasons.important).toEqual(['tag important']);
    expect(v.reasons['a-and-b']).toEqual(['tags a,b']);
  });

  it('a snapshot kept by a tag still uses up its bucket, as in restic', () => {
    const all = [
      item('d3', '2026-01-03T00:00:00Z', ['keep']),
      item('d2', '2026-01-02T00:00:00Z'),
      item('d1', '2026-01-01T00:00:00Z'),
    ];
    const v = verdict(all, { keepDaily: 1, keepTags: ['keep'] });
    expect(v.kept).toEqual(['d3']);
    expect(v.reasons.d3).toEqual(['tag keep', 'daily snapshot']);
  });

  it('pinned snapshots are always kept and use up buckets like tagged ones', () => {
    const all = [
      item('d3', '2026-01-03T00:00:00Z', [], true),
      item('d2', '2026-01-02T00:00:00Z'),
      item('d1-pinned', '2026-01-01T00:00:00Z', [], true),
      item('d0', '2025-12-31T00:00:00Z'),
    ];
    const v = verdict(all, { keepDaily: 1 });
    expect(v.kept).toEqual(['d3', 'd1-pinned']);
    expect(v.reasons.d3).toEqual(['pinned', 'daily snapshot']);
    expect(v.reasons['d1-pinned']).toEqual(['pinned']);
    expect(v.removed).toEqual(['d2', 'd0']);
  });
});

describe('empty and invalid policies', () => {
  it('an empty policy keeps everything and says so', () => {
    const all = [
      { id: 'a', time: '2026-01-01T00:00:00Z', tags: [] },
      { id: 'b', time: '2026-01-02T00:00:00Z', tags: [], pinned: true },
    ];
    for (const policy of [{}, { keepLast: 0, keepWithin: '0d', keepTags: [] }]) {
      expect(isEmptyPolicy(policy)).toBe(true);
      const v = verdict(all, policy);
      expect(v.removed).toEqual([]);
      expect(v.reasons).toEqual({ a: ['policy is empty'], b: ['pinned', 'policy is empty'] });
    }
  });

  it('an empty group gives an empty verdict', () => {
    expect(applyPolicy([], { keepLast: 1 }, { timeZone: 'UTC' })).toEqual([]);
  });

  it('rejects counts below -1, fractions, and empty tags', () => {
    expectInvalid(() => validatePolicy({ keepDaily: -2 }), /keep-daily must be a whole number/);
    expectInvalid(() => validatePolicy({ keepLast: 1.5 }), /keep-last/);
    expectInvalid(() => validatePolicy({ keepTags: [' , '] }), /keep-tag entry needs a tag/);
    expectInvalid(() => validatePolicy({ keepWithin: '3w' }), /unknown unit "w"/);
  });
});

describe('parseDuration', () => {
  const good: [string, object][] = [
    ['1y2m3d4h', { years: 1, months: 2, days: 3, hours: 4 }],
    ['4h1y', { years: 1, months: 0, days: 0, hours: 4 }],
    [' 7d ', { years: 0, months: 0, days: 7, hours: 0 }],
    ['0d', { years: 0, months: 0, days: 0, hours: 0 }],
  ];
  for (const [text, want] of good) {
    it(`reads "${text}"`, () => expect(parseDuration(text)).toEqual(want));
  }
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['7', /7 has no unit/],
    ['7w', /unknown unit "w"/],
    ['1d2d', /"d" appears twice/],
    ['-1d', /expected a number/],
    ['d', /expected a number/],
    ['1.5d', /"\." after 1; durations are whole numbers/],
    ['1D', /unknown unit "D"/],
  ];
  for (const [text, message] of bad) {
    it(`rejects "${text}"`, () => expectInvalid(() => parseDuration(text), message));
  }
});

describe('groups', () => {
  const s = (id: string, host: string, paths: string[], tags: string[] = []) => ({
    id,
    host,
    paths,
    tags,
  });
  const all = [
    s('1', 'laptop', ['/home', '/etc']),
    s('2', 'laptop', ['/etc', '/home'], ['x']),
    s('3', 'server', ['/srv']),
    s('4', 'laptop', ['/home']),
  ];

  it('groups by host and paths by default, paths in any order', () => {
    const groups = groupSnapshots(all);
    expect(groups.map((g) => g.items.map((i) => i.id))).toEqual([['1', '2'], ['4'], ['3']]);
    expect(groups[0]!.key).toEqual({ host: 'laptop', paths: ['/etc', '/home'] });
    expect(describeGroup(groups[0]!.key)).toBe('host laptop, paths /etc /home');
  });

  it("groups by tags, by host only, or not at all ('')", () => {
    expect(groupSnapshots(all, parseGroupBy('tags')).map((g) => g.items.length)).toEqual([1, 3]);
    expect(groupSnapshots(all, parseGroupBy('host')).map((g) => g.items.length)).toEqual([3, 1]);
    const one = groupSnapshots(all, parseGroupBy(''));
    expect(one).toHaveLength(1);
    expect(describeGroup(one[0]!.key)).toBe('all snapshots');
  });

  it('rejects unknown group names', () => {
    expectInvalid(() => parseGroupBy('host,colour'), /cannot group by "colour"/);
  });

  it('applies the policy to each group on its own', () => {
    const items = [
      { id: 'a1', host: 'a', paths: ['/'], tags: [], time: '2026-01-01T00:00:00Z' },
      { id: 'a2', host: 'a', paths: ['/'], tags: [], time: '2026-01-02T00:00:00Z' },
      { id: 'b1', host: 'b', paths: ['/'], tags: [], time: '2026-01-01T00:00:00Z' },
    ];
    const kept = groupSnapshots(items).flatMap((g) =>
      applyPolicy(g.items, { keepLast: 1 }, { timeZone: 'UTC' })
        .filter((d) => d.keep)
        .map((d) => d.item.id),
    );
    expect(kept).toEqual(['a2', 'b1']);
  });
});

describe('presets and descriptions', () => {
  it('every preset is a valid, non-empty policy with a unique id', () => {
    expect(new Set(RETENTION_PRESETS.map((p) => p.id)).size).toBe(RETENTION_PRESETS.length);
    for (const p of RETENTION_PRESETS) {
      validatePolicy(p.policy);
      expect(isEmptyPolicy(p.policy)).toBe(false);
      expect(p.label).not.toBe('');
      expect(p.description).not.toContain('\n');
    }
    expect(findPreset('time-machine').policy).toEqual({
      keepHourly: 24,
      keepDaily: 30,
      keepWeekly: -1,
    });
    expectInvalid(() => findPreset('forever'), /choose time-machine, keep-many, keep-some/);
  });

  it('the Time Machine-like preset on two months of hourly backups', () => {
    // Jan 1 00:00 to Mar 1 23:00 2026, one snapshot an hour; Mar 1 is a Sunday.
    const start = Date.parse('2026-01-01T00:00:00Z');
    const all = Array.from({ length: 24 * 60 }, (_, i) => {
      const time = new Date(start + i * 3_600_000).toISOString();
      return { id: time, time, tags: [] };
    });
    const v = verdict(all, findPreset('time-machine').policy);
    const by = (reason: string) => v.kept.filter((id) => v.reasons[id]!.includes(reason));
    // The last 24 hours; 30 days (Mar 1 back to Jan 31, each at 23:00).
    expect(by('hourly snapshot')).toEqual(
      Array.from(
        { length: 24 },
        (_, h) => `2026-03-01T${String(23 - h).padStart(2, '0')}:00:00.000Z`,
      ),
    );
    expect(by('daily snapshot')).toHaveLength(30);
    expect(by('daily snapshot').at(-1)).toBe('2026-01-31T23:00:00.000Z');
    // Before that, the newest of each ISO week (Sundays, 2026-W01 ends Jan 4), and the oldest
    // snapshot because the weekly count never runs out.
    const older = v.kept.filter((id) => id < '2026-01-31');
    expect(older).toEqual([
      '2026-01-25T23:00:00.000Z',
      '2026-01-18T23:00:00.000Z',
      '2026-01-11T23:00:00.000Z',
      '2026-01-04T23:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
    ]);
    expect(v.reasons['2026-01-01T00:00:00.000Z']).toEqual(['oldest weekly snapshot']);
    expect(v.kept).toHaveLength(24 + 29 + 5);
  });

  it('describes policies in plain words', () => {
    expect(describePolicy({})).toBe('Keeps every snapshot: the policy sets no rules.');
    expect(
      describePolicy({ keepLast: 3, keepDaily: -1, keepWithin: '1y2d', keepTags: ['a,b'] }),
    ).toBe(
      'Keeps the last 3 snapshots; the newest snapshot of every day; every snapshot from the ' +
        '1 year and 2 days before the newest one; every snapshot tagged "a" and "b". ' +
        'Pinned snapshots are always kept.',
    );
    expect(describePolicy({ keepWeekly: 1 })).toContain('the newest snapshot of the last week');
  });
});
