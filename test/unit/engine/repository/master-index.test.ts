import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IndexView, MasterIndex } from '../../../../electron/engine/repository/master-index';
import { encodeIndexFile } from '../../../../electron/engine/repository/index-file';
import type { PackedBlob } from '../../../../electron/engine/repository/pack';

function blobs(n: number, type: 'data' | 'tree' = 'data'): PackedBlob[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomBytes(32).toString('hex'),
    type,
    offset: i * 100,
    length: 100,
    rawLength: 90 + (i % 7),
    compressed: i % 2 === 0,
  }));
}

describe('MasterIndex', () => {
  it('finds every blob it was given, with its pack and position, across growth', () => {
    const index = new MasterIndex(16);
    const packs = Array.from({ length: 20 }, () => ({
      id: randomBytes(32).toString('hex'),
      blobs: blobs(500),
    }));
    for (const p of packs) index.add(p);
    expect(index.size).toBe(10_000);
    for (const p of packs) {
      for (const b of p.blobs) {
        expect(index.get(b.id)).toEqual({
          type: 'data',
          pack: p.id,
          offset: b.offset,
          length: b.length,
          rawLength: b.rawLength,
          compressed: b.compressed,
        });
      }
    }
    expect(index.has(randomBytes(32).toString('hex'))).toBe(false);
    expect(index.get(randomBytes(32).toString('hex'))).toBeUndefined();
  });

  it('keeps the first copy of a blob stored twice and counts blobs per pack', () => {
    const index = new MasterIndex();
    const [b] = blobs(1, 'tree');
    index.add({ id: 'a'.repeat(64), blobs: [b!] });
    index.add({ id: 'b'.repeat(64), blobs: [{ ...b!, offset: 999 }] });
    expect(index.size).toBe(1);
    expect(index.get(b!.id)).toMatchObject({ pack: 'a'.repeat(64), type: 'tree', offset: 0 });
    expect([...index.packIds()]).toEqual([
      ['a'.repeat(64), 1],
      ['b'.repeat(64), 1],
    ]);
  });

  it('lists all entries with their ids', () => {
    const index = new MasterIndex();
    const bs = blobs(50);
    index.add({ id: 'c'.repeat(64), blobs: bs });
    const listed = new Map(index.entries());
    expect(listed.size).toBe(50);
    for (const b of bs) expect(listed.get(b.id)?.offset).toBe(b.offset);
  });

  it('is readable through a view over its shared buffers, and tells views when it grows', () => {
    const index = new MasterIndex(16);
    let view = new IndexView(index.buffers());
    index.onGrow((buffers) => (view = new IndexView(buffers)));
    const bs = blobs(100);
    index.add({ id: 'd'.repeat(64), blobs: bs });
    for (const b of bs) expect(view.hasId(Buffer.from(b.id, 'hex'))).toBe(true);
    expect(view.hasId(randomBytes(32))).toBe(false);
  });

  it('prefers a copy outside the packs a prune marked, in whatever order files come', () => {
    const shared = blobs(3);
    const marked = { id: 'a'.repeat(64), blobs: shared };
    const copy = { id: 'b'.repeat(64), blobs: shared.map((b) => ({ ...b, offset: b.offset + 7 })) };
    for (const order of [
      [marked, copy],
      [copy, marked],
    ]) {
      const index = new MasterIndex();
      index.preferOthersTo([marked.id]);
      const file = encodeIndexFile(order);
      index.addIndexFile(file);
      for (const b of shared) expect(index.get(b.id)!.pack).toBe(copy.id);
      expect(index.size).toBe(3);
    }
    // Only in a marked pack: still found there (restore and check can read it).
    const index = new MasterIndex();
    index.preferOthersTo([marked.id]);
    index.addIndexFile(encodeIndexFile([marked]));
    expect(index.get(shared[0]!.id)!.pack).toBe(marked.id);
  });

  it('leaves out the packs a filter skips, and says which packs a file names', () => {
    const a = { id: 'a'.repeat(64), blobs: blobs(2) };
    const b = { id: 'b'.repeat(64), blobs: blobs(2) };
    const index = new MasterIndex();
    const named = index.addIndexFile(encodeIndexFile([a, b]), (p) => p === a.id);
    expect(named).toEqual([a.id, b.id]);
    expect(index.has(a.blobs[0]!.id)).toBe(false);
    expect(index.has(b.blobs[0]!.id)).toBe(true);
    expect(index.packNo(a.id)).toBeUndefined();
  });
});
