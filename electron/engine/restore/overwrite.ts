/**
 * What to do when a restored file's place is taken: the overwrite policies.
 */
import type { Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { chunkStream, type Chunker } from '../chunker/fastcdc';
import { keyedId, type MasterKey } from '../crypto/master-key';
import type { TreeNode } from '../repository/tree';

export const OVERWRITE_POLICIES = ['always', 'if-changed', 'if-newer', 'never'] as const;
export type OverwritePolicy = (typeof OVERWRITE_POLICIES)[number];

/**
 * Restored times are exact to about a microsecond, not a nanosecond (metadata.ts), so for
 * if-newer the snapshot's copy must be newer by more than that: a file an earlier restore wrote
 * with the snapshot's own time is not older than it.
 */
export const MTIME_SLACK_NS = 2_000n;

/** The content ids a local file would have: used by if-changed and by --verify. */
export async function contentIds(
  key: MasterKey,
  chunker: Chunker,
  path: string,
): Promise<{ ids: string[]; size: number }> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const ids: string[] = [];
    const read = (b: Buffer, o: number, l: number, p: number) =>
      fh.read(b, o, l, p).then((r) => r.bytesRead);
    for await (const chunk of chunkStream(chunker, read, size)) ids.push(keyedId(key, chunk));
    return { ids, size };
  } finally {
    await fh.close();
  }
}

/** True when the file at `path` (described by `existing`) should be replaced by `node`. */
export async function shouldReplace(
  policy: OverwritePolicy,
  path: string,
  existing: Stats,
  node: TreeNode,
  key: MasterKey,
  chunker: Chunker,
): Promise<boolean> {
  switch (policy) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'if-newer': {
      const { mtimeNs } = await lstat(path, { bigint: true });
      return BigInt(node.mtime) > mtimeNs + MTIME_SLACK_NS;
    }
    case 'if-changed': {
      if (!existing.isFile() || existing.size !== node.size) return true;
      const { ids } = await contentIds(key, chunker, path);
      return ids.join() !== (node.content ?? []).join();
    }
  }
}
