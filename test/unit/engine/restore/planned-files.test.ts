/**
 * The restore plan's file table (restore/planned-files.ts): what goes in comes out exactly,
 * through the columns, for as many files as it grows to hold.
 */
import { describe, expect, it } from 'vitest';
import { PlannedFiles } from '../../../../electron/engine/restore/planned-files';
import type { RestoreNode } from '../../../../electron/engine/repository/tree';

const id = (n: number) => n.toString(16).padStart(8, '0').repeat(8);

function node(i: number): RestoreNode {
  return {
    type: 'file',
    mode: [0o644, 0o600, 0o4755, 0o444][i % 4]!,
    uid: 1000 + (i % 7),
    gid: 4_000_000_000 + i, // above 2^31: kept unsigned
    mtime: (1_733_000_000_123_456_789n + BigInt(i)).toString(),
    atime: i % 10 === 0 ? '1700000000000000001' : undefined,
    links: 1 + (i % 3),
    size: i * 1000,
    content: Array.from({ length: i % 4 }, (_, k) => id(i * 4 + k)),
    target: undefined,
  };
}

describe('PlannedFiles', () => {
  it('gives back every node exactly, past several growths', () => {
    const files = new PlannedFiles('/target');
    const count = 5000;
    for (let i = 0; i < count; i++) expect(files.add(`/d${i % 9}/f${i}`, node(i))).toBe(i);
    expect(files.length).toBe(count);
    for (let i = 0; i < count; i++) {
      expect(files.node(i)).toEqual(node(i));
      expect(files.path(i)).toBe(`/d${i % 9}/f${i}`);
      expect(files.dest(i)).toBe(`/target/d${i % 9}/f${i}`);
      expect(files.size(i)).toBe(i * 1000);
      expect(files.blobCount(i)).toBe(i % 4);
    }
    const ids = [...files].map((e) => e.node.content).flat();
    expect(ids.length).toBe(Array.from({ length: count }, (_, i) => i % 4).reduce((a, b) => a + b));
  });

  it('keeps times to the nanosecond, before 1970 too, and gives workers seconds', () => {
    const files = new PlannedFiles('/t');
    const times = ['0', '-1', '-1500000000', '-86400000000001', '253402300799999999999'];
    times.forEach((mtime, i) => files.add(`/f${i}`, { ...node(1), mtime, atime: undefined }));
    times.forEach((mtime, i) => {
      expect(files.node(i).mtime).toBe(mtime);
      const meta = files.meta(i);
      expect(meta.mtime).toBeCloseTo(Number(BigInt(mtime)) / 1e9, 5);
      expect(meta.atime).toBe(meta.mtime);
    });
    files.add('/a', node(10));
    expect(files.meta(times.length).atime).toBeCloseTo(1_700_000_000, 5);
    expect(files.meta(times.length)).toMatchObject({ uid: 1003, gid: 4_000_000_010, mode: 0o4755 });
  });

  it('keeps what does not fit the columns as it was: odd ids, odd times, no size', () => {
    const files = new PlannedFiles('/t');
    const odd = { ...node(3), content: ['not-hex', id(1), 'ABCD'.repeat(16)], size: undefined };
    files.add('/odd', { ...odd, mtime: 'yesterday' });
    const back = files.node(0);
    expect(back.content).toEqual(['not-hex', id(1), 'abcd'.repeat(16)]);
    expect(typeof files.blobId(0, 0)).toBe('string');
    expect(files.blobId(0, 1)).toBeInstanceOf(Uint8Array);
    expect(back.mtime).toBe('yesterday');
    expect(back.size).toBeUndefined();
    expect(files.size(0)).toBe(0);
    // As before the table: such a time fails when it is applied, not when it is planned.
    expect(() => files.meta(0)).toThrow();
  });

  it('iterates entries whose node is made when asked', () => {
    const files = new PlannedFiles('/t');
    files.add('/x', node(2));
    const [entry] = [...files];
    expect(entry!.path).toBe('/x');
    expect(entry!.dest).toBe('/t/x');
    expect(entry!.node).toEqual(node(2));
    expect(entry!.node).not.toBe(entry!.node);
  });
});
