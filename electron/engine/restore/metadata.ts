/**
 * Metadata after content: owner (only when running as root; otherwise files belong to whoever
 * restores), mode, then times, never following symlinks. Access times are not recorded at
 * backup (they would change every tree whenever a file is read), so atime is set to mtime.
 * Times go through Node's utimes, which
 * takes seconds as a double: restored times are exact to about a microsecond, not a nanosecond.
 */
import { chmod, lchown, lutimes } from 'node:fs/promises';
import type { TreeNode } from '../repository/tree';

const asRoot = process.getuid?.() === 0;

function seconds(ns: string): number {
  const n = BigInt(ns);
  return Number(n / 1_000_000_000n) + Number(n % 1_000_000_000n) / 1e9;
}

/** Applies owner, mode and times to a restored entry. */
export async function applyMetadata(dest: string, node: TreeNode): Promise<void> {
  if (asRoot) await lchown(dest, node.uid, node.gid);
  // Symlink modes mean nothing on Linux and chmod would follow the link.
  if (node.type !== 'symlink') await chmod(dest, node.mode);
  await lutimes(dest, seconds(node.atime ?? node.mtime), seconds(node.mtime));
}
