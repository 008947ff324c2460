import type { BigIntStats } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  RACY_WINDOW_NS,
  changedWhileReading,
  isUnchanged,
  type ChangeOptions,
} from '../../../../electron/engine/backup/change-detection';
import type { TreeNode } from '../../../../electron/engine/repository/tree';

const SECOND = 1_000_000_000n;
/** The parent backup started scanning here. */
const PARENT_START = 1_700_000_000n * SECOND;
/** Comfortably older than the racy window. */
const OLD_MTIME = PARENT_START - 3600n * SECOND + 123_456_789n;
const OLD_CTIME = PARENT_START - 1800n * SECOND + 987_654_321n;

interface StatFields {
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint;
}

const BASE: StatFields = { size: 4096n, mtimeNs: OLD_MTIME, ctimeNs: OLD_CTIME, ino: 424242n };

/** A BigIntStats-like object with only what the predicates read. */
function stat(over: Partial<StatFields> = {}): BigIntStats {
  const f = { ...BASE, ...over };
  return {
    ...f,
    mtimeMs: f.mtimeNs / 1_000_000n,
    ctimeMs: f.ctimeNs / 1_000_000n,
    isFile: () => true,
    isDirectory: () => false,
    isSymbolicLink: () => false,
  } as unknown as BigIntStats;
}

/** The tree node a backup would have recorded for `stat(over)`. */
function node(over: Partial<StatFields> = {}, extra: Partial<TreeNode> = {}): TreeNode {
  const f = { ...BASE, ...over };
  return {
    name: 'file.txt',
    type: 'file',
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    mtime: f.mtimeNs.toString(),
    atime: f.mtimeNs.toString(),
    ctime: f.ctimeNs.toString(),
    inode: f.ino.toString(),
    dev: '2049',
    links: 1,
    size: Number(f.size),
    content: ['aa'.repeat(32)],
    ...extra,
  };
}

describe('isUnchanged', () => {
  it('trusts a file whose size, times and inode all match and are old enough', () => {
    expect(isUnchanged(node(), stat(), PARENT_START)).toBe(true);
  });

  interface Case {
    readonly what: string;
    readonly now: Partial<StatFields>;
    readonly opts?: ChangeOptions;
    readonly expected: boolean;
  }
  const cases: Case[] = [
    { what: 'size grew', now: { size: 4097n }, expected: false },
    { what: 'size shrank to 0', now: { size: 0n }, expected: false },
    { what: 'mtime moved by 1 ns', now: { mtimeNs: OLD_MTIME + 1n }, expected: false },
    { what: 'mtime went back', now: { mtimeNs: OLD_MTIME - SECOND }, expected: false },
    { what: 'ctime moved by 1 ns', now: { ctimeNs: OLD_CTIME + 1n }, expected: false },
    { what: 'inode differs', now: { ino: 424243n }, expected: false },
    // ignoreCtime ignores ctime, and only ctime.
    {
      what: 'ctime moved, ignoreCtime',
      now: { ctimeNs: OLD_CTIME + 5n },
      opts: { ignoreCtime: true },
      expected: true,
    },
    {
      what: 'mtime moved, ignoreCtime',
      now: { mtimeNs: OLD_MTIME + 5n },
      opts: { ignoreCtime: true },
      expected: false,
    },
    {
      what: 'size moved, ignoreCtime',
      now: { size: 1n },
      opts: { ignoreCtime: true },
      expected: false,
    },
    {
      what: 'inode differs, ignoreCtime',
      now: { ino: 1n },
      opts: { ignoreCtime: true },
      expected: false,
    },
    // ignoreInode ignores the inode, and only the inode (rustic shipped this inverted).
    {
      what: 'inode differs, ignoreInode',
      now: { ino: 1n },
      opts: { ignoreInode: true },
      expected: true,
    },
    { what: 'inode same, ignoreInode', now: {}, opts: { ignoreInode: true }, expected: true },
    {
      what: 'ctime moved, ignoreInode',
      now: { ctimeNs: OLD_CTIME + 5n },
      opts: { ignoreInode: true },
      expected: false,
    },
    {
      what: 'mtime moved, ignoreInode',
      now: { mtimeNs: OLD_MTIME + 5n },
      opts: { ignoreInode: true },
      expected: false,
    },
    {
      what: 'size moved, ignoreInode',
      now: { size: 1n },
      opts: { ignoreInode: true },
      expected: false,
    },
    {
      what: 'inode and ctime moved, both ignored',
      now: { ino: 9n, ctimeNs: OLD_CTIME + 9n },
      opts: { ignoreCtime: true, ignoreInode: true },
      expected: true,
    },
    {
      what: 'mtime moved, both ignored',
      now: { mtimeNs: OLD_MTIME + 9n },
      opts: { ignoreCtime: true, ignoreInode: true },
      expected: false,
    },
    {
      what: 'explicit false options',
      now: { ino: 9n },
      opts: { ignoreCtime: false, ignoreInode: false },
      expected: false,
    },
  ];
  it.each(cases)('$what -> $expected', ({ now, opts, expected }) => {
    expect(isUnchanged(node(), stat(now), PARENT_START, opts)).toBe(expected);
  });

  it('never trusts a missing old node, another type, a flagged or sizeless node', () => {
    expect(isUnchanged(undefined, stat(), PARENT_START)).toBe(false);
    for (const type of ['dir', 'symlink', 'fifo', 'socket', 'chardev', 'blockdev'] as const) {
      expect(isUnchanged(node({}, { type }), stat(), PARENT_START), type).toBe(false);
    }
    expect(isUnchanged(node({}, { changed: true }), stat(), PARENT_START)).toBe(false);
    expect(isUnchanged(node({}, { changed: false }), stat(), PARENT_START)).toBe(true);
    expect(isUnchanged(node({}, { size: undefined }), stat(), PARENT_START)).toBe(false);
  });

  it('never trusts anything without a parent start time', () => {
    expect(isUnchanged(node(), stat(), undefined)).toBe(false);
    expect(isUnchanged(node(), stat(), undefined, { ignoreCtime: true, ignoreInode: true })).toBe(
      false,
    );
  });

  describe('racy timestamps (within the window before the parent started)', () => {
    const at = (delta: bigint) => PARENT_START + delta;
    const racy: [string, bigint, boolean][] = [
      ['1 ns before the start', at(-1n), false],
      ['1 s before the start', at(-SECOND), false],
      ['exactly the window before the start', at(-RACY_WINDOW_NS), false],
      ['1 ns older than the window', at(-RACY_WINDOW_NS - 1n), true],
      ['3 s before the start', at(-3n * SECOND), true],
      ['at the start', at(0n), false],
      ['after the start', at(5n * SECOND), false],
    ];

    it('has a two-second window', () => {
      expect(RACY_WINDOW_NS).toBe(2n * SECOND);
    });

    it.each(racy)('mtime %s -> %s', (_what, mtimeNs, expected) => {
      const fields = { mtimeNs, ctimeNs: OLD_CTIME };
      expect(isUnchanged(node(fields), stat(fields), PARENT_START)).toBe(expected);
    });

    it.each(racy)('ctime %s -> %s', (_what, ctimeNs, expected) => {
      const fields = { mtimeNs: OLD_MTIME, ctimeNs };
      expect(isUnchanged(node(fields), stat(fields), PARENT_START)).toBe(expected);
    });

    it('a racy ctime does not matter when ctime is ignored; a racy mtime still does', () => {
      const racyCtime = { ctimeNs: PARENT_START - SECOND };
      expect(
        isUnchanged(node(racyCtime), stat(racyCtime), PARENT_START, { ignoreCtime: true }),
      ).toBe(true);
      const racyMtime = { mtimeNs: PARENT_START - SECOND };
      expect(
        isUnchanged(node(racyMtime), stat(racyMtime), PARENT_START, {
          ignoreCtime: true,
          ignoreInode: true,
        }),
      ).toBe(false);
    });
  });
});

describe('changedWhileReading', () => {
  it('is false when nothing moved', () => {
    expect(changedWhileReading(stat(), stat())).toBe(false);
  });

  it.each<[string, Partial<StatFields>]>([
    ['size', { size: 4095n }],
    ['mtime', { mtimeNs: OLD_MTIME + 1n }],
    ['ctime', { ctimeNs: OLD_CTIME + 1n }],
    ['inode', { ino: 1n }],
  ])('is true when the %s moved', (_what, over) => {
    expect(changedWhileReading(stat(), stat(over))).toBe(true);
    expect(changedWhileReading(stat(over), stat())).toBe(true);
  });
});
