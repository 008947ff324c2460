/**
 * Metadata after content: owner (only when running as root; otherwise files belong to whoever
 * restores), mode, then times, never following symlinks. Access times are not recorded at
 * backup (they would change every tree whenever a file is read), so atime is set to mtime.
 * Times go through Node's utimes, which takes seconds as a double: restored times are exact to
 * about a microsecond, not a nanosecond. Times before 1970 go as numeric strings (timeArg).
 * Synchronous: these are tiny calls, and a threadpool
 * round trip for each would cost more than the call (restores of many small files).
 */
import { chmodSync, fchmodSync, fchownSync, futimesSync, lchownSync, lutimesSync } from 'node:fs';
import type { RestoreNode } from '../repository/tree';
import type { FileMeta } from '../workers/protocol';

const asRoot = process.getuid?.() === 0;

/**
 * A time for Node's utimes family. Node turns every negative number into "now" (its
 * toUnixTimestamp), so a file dated before 1970 was restored with the time of the restore;
 * a numeric string is passed on as it is, and libuv sets negative times correctly.
 */
function timeArg(seconds: number): number | string {
  return seconds < 0 ? String(seconds) : seconds;
}

/** ns since the epoch (a decimal string) as seconds: exact to about a microsecond. */
export function seconds(ns: string): number {
  const n = BigInt(ns);
  return Number(n / 1_000_000_000n) + Number(n % 1_000_000_000n) / 1e9;
}

/** Applies owner, mode and times to a restored entry. */
export function applyMetadata(dest: string, node: RestoreNode): void {
  const mtime = seconds(node.mtime);
  const atime = node.atime === undefined ? mtime : seconds(node.atime);
  // Symlink modes mean nothing on Linux and chmod would follow the link.
  byPath(
    dest,
    { uid: node.uid, gid: node.gid, mode: node.mode, atime, mtime },
    node.type !== 'symlink',
  );
}

/** applyMetadata for a regular file, from its FileMeta (PlannedFiles.meta). */
export function applyFileMetadata(dest: string, meta: FileMeta): void {
  byPath(dest, meta, true);
}

function byPath(dest: string, meta: FileMeta, chmod: boolean): void {
  if (asRoot) lchownSync(dest, meta.uid, meta.gid);
  if (chmod) chmodSync(dest, meta.mode);
  lutimesSync(dest, timeArg(meta.atime), timeArg(meta.mtime));
}

/**
 * applyMetadata through an open file (a regular file just written): no path is looked up
 * three more times, and the coordinator does not make the calls.
 */
export function applyMetadataToFile(fd: number, meta: FileMeta): void {
  if (asRoot) fchownSync(fd, meta.uid, meta.gid);
  fchmodSync(fd, meta.mode);
  futimesSync(fd, timeArg(meta.atime), timeArg(meta.mtime));
}
