import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseSubset,
  partOf,
  selectPacks,
  shareOf,
  type PackHistory,
} from '../../../../electron/engine/maintenance/pack-selection';

const packIds = (n: number) => Array.from({ length: n }, () => randomBytes(32).toString('hex'));

/** A seeded generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Run {
  readonly read: string[];
  readonly history: { verified: Map<string, number>; damaged: Set<string> };
}

/** Runs `runs` partial checks in a row, recording the packs found good as check does. */
function rotate(packs: string[], percent: number, runs: number, bad = new Set<string>()): Run[] {
  const history = { verified: new Map<string, number>(), damaged: new Set<string>() };
  const out: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const read = selectPacks({
      packs,
      subset: { kind: 'percent', percent },
      history,
      random: seeded(r + 1),
    });
    for (const p of read) {
      if (bad.has(p)) history.damaged.add(p);
      else history.verified.set(p, 1000 + r);
    }
    out.push({
      read,
      history: { verified: new Map(history.verified), damaged: new Set(history.damaged) },
    });
  }
  return out;
}

describe('parseSubset', () => {
  it.each([
    ['25%', { kind: 'percent', percent: 25 }],
    ['0.5%', { kind: 'percent', percent: 0.5 }],
    ['.5%', { kind: 'percent', percent: 0.5 }],
    ['100%', { kind: 'percent', percent: 100 }],
    ['1/4', { kind: 'part', n: 1, t: 4 }],
    ['4/4', { kind: 'part', n: 4, t: 4 }],
    ['1/1', { kind: 'part', n: 1, t: 1 }],
  ])('reads %s', (spec, want) => {
    expect(parseSubset(spec)).toEqual(want);
  });

  it.each(['0%', '100.1%', '-5%', '%', '5', '0/4', '5/4', '1/0', 'a/b', '1/4/5', '25 %', ''])(
    'refuses %j with INVALID_ARGUMENT',
    (spec) => {
      expect(() => parseSubset(spec)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    },
  );
});

describe('shareOf', () => {
  it('rounds up, without floating-point error pushing an exact share up', () => {
    expect(shareOf(8, 25)).toBe(2);
    expect(shareOf(10, 25)).toBe(3);
    expect(shareOf(100, 7)).toBe(7);
    expect(shareOf(1000, 0.1)).toBe(1);
    expect(shareOf(5, 0.1)).toBe(1);
    expect(shareOf(5, 100)).toBe(5);
    expect(shareOf(0, 50)).toBe(0);
  });
});

describe('N%: rotation through the record', () => {
  it.each([
    [8, 25],
    [10, 25],
    [97, 10],
    [50, 33.3],
    [200, 7],
    [13, 1],
    [3, 50],
    [40, 100],
  ])(
    '%i packs at %d%%: runs read disjoint sets and cover every pack in ceil(100/N) runs',
    (n, percent) => {
      const packs = packIds(n);
      const runs = Math.ceil(100 / percent);
      const history = rotate(packs, percent, runs);
      const seen = new Set<string>();
      for (const { read } of history) {
        // Each run reads its share, packs no earlier run read first (the last run may top up
        // its share with the oldest).
        expect(read.length).toBe(shareOf(n, percent));
        const fresh = read.filter((p) => !seen.has(p));
        expect(fresh.length).toBe(Math.min(read.length, n - seen.size));
        expect(new Set(read).size).toBe(read.length);
        for (const p of read) seen.add(p);
      }
      expect(seen.size).toBe(n);
      expect([...seen].sort()).toEqual([...packs].sort());
    },
  );

  it('once all are covered, reads the least recently verified first', () => {
    const packs = packIds(8);
    const [first, second, , , fifth] = rotate(packs, 25, 5);
    // Run 5 finds every pack verified: runs 1's two packs are the oldest.
    expect(new Set(fifth!.read)).toEqual(new Set(first!.read));
    expect(fifth!.read).not.toEqual(expect.arrayContaining(second!.read));
  });

  it('breaks ties at random', () => {
    const packs = packIds(20);
    const history: PackHistory = { verified: new Map(), damaged: new Set() };
    const picks = new Set<string>();
    for (let seed = 1; seed <= 10; seed++) {
      const read = selectPacks({
        packs,
        subset: { kind: 'percent', percent: 10 },
        history,
        random: seeded(seed),
      });
      picks.add([...read].sort().join());
    }
    expect(picks.size).toBeGreaterThan(5);
  });

  it('re-reads a pack found damaged every run, on top of the share, without slowing coverage', () => {
    const packs = packIds(8);
    const bad = packs[3]!;
    const runs = rotate(packs, 25, 4, new Set([bad]));
    const found = runs.findIndex((r) => r.read.includes(bad));
    expect(found).toBeGreaterThanOrEqual(0);
    for (const r of runs.slice(found)) expect(r.read).toContain(bad);
    // Never recorded as verified, always as damaged once found.
    for (const r of runs) expect(r.history.verified.has(bad)).toBe(false);
    expect(runs.at(-1)!.history.damaged).toEqual(new Set([bad]));
    // The good packs still rotate: read once each, all of them in 4 runs.
    const good = runs.flatMap((r) => r.read.filter((p) => p !== bad));
    expect(new Set(good).size).toBe(good.length);
    expect(good.length).toBe(7);
  });

  it('never reads skipped packs (marked for deletion) and takes the share of the rest', () => {
    const packs = packIds(10);
    const skip = new Set(packs.slice(0, 4));
    const read = selectPacks({
      packs,
      subset: { kind: 'percent', percent: 50 },
      history: { verified: new Map(), damaged: new Set() },
      skip,
    });
    expect(read).toHaveLength(3);
    for (const p of read) expect(skip.has(p)).toBe(false);
  });
});

describe('n/t: a fixed partition by pack id', () => {
  it.each([1, 2, 3, 4, 7, 16])('t=%i: parts are disjoint and together hold every pack', (t) => {
    const packs = packIds(300);
    const empty: PackHistory = { verified: new Map(), damaged: new Set() };
    const parts = Array.from({ length: t }, (_, i) =>
      selectPacks({ packs, subset: { kind: 'part', n: i + 1, t }, history: empty }),
    );
    const all = parts.flat();
    expect(all.length).toBe(packs.length);
    expect(new Set(all)).toEqual(new Set(packs));
    // SHA-256 ids spread evenly: no part is empty with 300 packs.
    for (const part of parts) expect(part.length).toBeGreaterThan(0);
  });

  it('follows the documented rule and ignores the record', () => {
    expect(partOf('00000000' + 'a'.repeat(56), 4)).toBe(1);
    expect(partOf('00000003' + 'a'.repeat(56), 4)).toBe(4);
    expect(partOf('ffffffff' + 'a'.repeat(56), 4)).toBe(4); // 4294967295 mod 4 = 3
    expect(partOf('0000000a' + 'a'.repeat(56), 3)).toBe(2); // 10 mod 3 = 1
    const packs = packIds(40);
    const history: PackHistory = {
      verified: new Map(packs.slice(0, 20).map((p) => [p, 1])),
      damaged: new Set(packs.slice(20, 25)),
    };
    const none: PackHistory = { verified: new Map(), damaged: new Set() };
    const subset = { kind: 'part', n: 2, t: 3 } as const;
    expect(selectPacks({ packs, subset, history })).toEqual(
      selectPacks({ packs, subset, history: none }),
    );
  });
});
