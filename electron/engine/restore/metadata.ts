/**
 * Metadata after content: owner (only when running as root; otherwise files belong to whoever
 * restores), mode, then times, never following symlinks. Access times are not recorded at
 * backup (they would change every tree whenever a file is read), so atime is set to mtime.
 * Times go through Node's utimes, which takes seconds as a double: restored times are exact to
 * about a microsecond, not a nanosecond. Synchronous: these are tiny calls, and a threadpool
 * round trip for each would cost more than the call (restores of many small files).
 */
import { chmodSync, fchmodSync, fchownSync, futimesSync, lchownSync, lutimesSync } from 'node:fs';
import type { RestoreNode } from '../repository/tree';
import type { FileMeta } from '../workers/protocol';

const asRoot = process.getuid?.() === 0;

/** ns since the epoch (a decimal string) as seconds: exact to about a microsecond. */
export function seconds(ns: string): number {
  const n = BigInt(ns);
  return Number(n / 1_000_000_000n) + Number(n % 1_000_000_000n) / 1e9;
}

/** Applies owner, mode and times to a restored entry. */
export function applyMetadata(dest: string, node: RestoreNode): void {
  if (asRoot) lchownSync(dest, node.uid, node.gid);
  // Symlink modes mean nothing on Linux and chmod would follow the link.
  if (node.type !== 'symlink') chmodSync(dest, node.mode);
  lutimesSync(dest, seconds(node.atime ?? node.mtime), seconds(node.mtime));
}

/** applyMetadata for a regular file, from its FileMeta (PlannedFiles.meta). */
export function applyFileMetadata(dest: string, meta: FileMeta): void {
  if (asRoot) lchownSync(dest, meta.uid, meta.gid);
  chmodSync(dest, meta.mode);
  lutimesSync(dest, meta.atime, meta.mtime);
}

/**
 * applyMetadata through an open file (a regular file just written): no path is looked up
 * three more times, and the coordinator does not make the calls.
 */
export function applyMetadataToFile(fd: number, meta: FileMeta): void {
  if (asRoot) fchownSync(fd, meta.uid, meta.gid);
  fchmodSync(fd, meta.mode);
  futimesSync(fd, meta.atime, meta.mtime);
}
