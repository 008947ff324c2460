/**
 * What to do when a restored file's place is taken: the overwrite policies.
 */
import type { BigIntStats } from 'node:fs';
import type { RestoreNode } from '../repository/tree';

export const OVERWRITE_POLICIES = ['always', 'if-changed', 'if-newer', 'never'] as const;
export type OverwritePolicy = (typeof OVERWRITE_POLICIES)[number];

/**
 * Restored times are exact to about a microsecond, not a nanosecond (metadata.ts), so for
 * if-newer the snapshot's copy must be newer by more than that: a file an earlier restore wrote
 * with the snapshot's own time is not older than it.
 */
export const MTIME_SLACK_NS = 2_000n;

/** True when the file at `path` (described by `existing`) should be replaced by `node`. */
export async function shouldReplace(
  policy: OverwritePolicy,
  path: string,
  existing: BigIntStats,
  node: RestoreNode,
  contentIds: (path: string) => Promise<readonly string[] | undefined>,
): Promise<boolean> {
  switch (policy) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'if-newer':
      return BigInt(node.mtime) > existing.mtimeNs + MTIME_SLACK_NS;
    case 'if-changed': {
      if (!existing.isFile() || existing.size !== BigInt(node.size ?? -1)) return true;
      const ids = await contentIds(path);
      return ids?.join() !== (node.content ?? []).join();
    }
  }
}
