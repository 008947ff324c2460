/**
 * The incremental fast path: is this file the same as in the parent snapshot?
 *
 * Same type, size, mtime, ctime and inode (the last two can be ignored per source: network and
 * FUSE filesystems have unstable inodes, `chmod -R` bumps every ctime). A file whose recorded
 * times lie within RACY_WINDOW of the moment the parent backup started is never trusted: it
 * may have changed again within the filesystem's timestamp granularity ("racy git").
 * rustic shipped an inverted inode test here; keep this predicate small and tested.
 */
import type { BigIntStats } from 'node:fs';
import type { TreeNode } from '../repository/tree';

/** Two seconds: FAT's mtime granularity, the coarsest we may meet. */
export const RACY_WINDOW_NS = 2_000_000_000n;

export interface ChangeOptions {
  readonly ignoreCtime?: boolean;
  readonly ignoreInode?: boolean;
}

/**
 * True when `st` describes the same file content as `old`. `parentStartNs` is when the parent
 * backup started scanning (nanoseconds since the epoch), for the racy-timestamp guard.
 */
export function isUnchanged(
  old: TreeNode | undefined,
  st: BigIntStats,
  parentStartNs: bigint | undefined,
  opts: ChangeOptions = {},
): boolean {
  if (!old || old.type !== 'file' || old.changed || old.size === undefined) return false;
  if (BigInt(old.size) !== st.size) return false;
  if (old.mtime !== st.mtimeNs.toString()) return false;
  if (!opts.ignoreCtime && old.ctime !== st.ctimeNs.toString()) return false;
  if (!opts.ignoreInode && old.inode !== st.ino.toString()) return false;
  if (parentStartNs === undefined) return false;
  const limit = parentStartNs - RACY_WINDOW_NS;
  if (BigInt(old.mtime) >= limit) return false;
  if (!opts.ignoreCtime && BigInt(old.ctime) >= limit) return false;
  return true;
}

/** True when a file's size or times moved while it was read. */
export function changedWhileReading(before: BigIntStats, after: BigIntStats): boolean {
  return (
    before.size !== after.size ||
    before.mtimeNs !== after.mtimeNs ||
    before.ctimeNs !== after.ctimeNs ||
    before.ino !== after.ino
  );
}
