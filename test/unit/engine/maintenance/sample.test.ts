import { describe, expect, it } from 'vitest';
import { FileSample, type SampledFile } from '../../../../electron/engine/maintenance/sample';
import type { TreeNode } from '../../../../electron/engine/repository/tree';

const file = (i: number, size = 10): SampledFile => ({
  path: `/f${String(i).padStart(4, '0')}`,
  node: { name: `f${i}`, type: 'file', size } as TreeNode,
});

describe('FileSample', () => {
  it('keeps everything when there are fewer files than asked for', () => {
    const s = new FileSample(10);
    for (let i = 0; i < 4; i++) s.offer(file(i));
    expect(s.result().map((f) => f.path)).toEqual(['/f0000', '/f0001', '/f0002', '/f0003']);
    expect(s.offered).toBe(4);
  });

  it('with n >= 2 always holds the largest file, wherever it comes', () => {
    for (const at of [0, 37, 99]) {
      const s = new FileSample(3);
      for (let i = 0; i < 100; i++) s.offer(file(i, i === at ? 1e9 : 10));
      const got = s.result();
      expect(got).toHaveLength(3);
      expect(got.map((f) => f.path)).toContain(file(at).path);
      expect(new Set(got.map((f) => f.path)).size).toBe(3);
    }
  });

  it('with n = 1 is one uniform pick, not always the largest', () => {
    const picked = new Set<string>();
    for (let r = 0; r < 50; r++) {
      const s = new FileSample(1);
      for (let i = 0; i < 10; i++) s.offer(file(i, i === 9 ? 1e9 : 10));
      picked.add(s.result()[0]!.path);
    }
    expect(picked.size).toBeGreaterThan(3);
  });

  it('picks uniformly: every file is chosen about equally often', () => {
    const counts = new Array<number>(20).fill(0);
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      const s = new FileSample(4);
      for (let i = 0; i < 20; i++) s.offer(file(i, i === 0 ? 1000 : 10));
      for (const f of s.result()) counts[Number(f.path.slice(2))]!++;
    }
    // File 0 is the largest: always in. The other 19 share the other 3 places.
    expect(counts[0]).toBe(runs);
    const expected = (runs * 3) / 19;
    for (const c of counts.slice(1)) {
      expect(c).toBeGreaterThan(expected * 0.8);
      expect(c).toBeLessThan(expected * 1.2);
    }
  });
});
