/**
 * Differences between two snapshots, walking both trees in step and skipping any subtree whose
 * id is the same in both (identical content, nothing to compare).
 */
import type { Repository } from './repository';
import type { TreeNode } from './tree';
import { walkTree } from './walk';

export type ChangeKind = 'added' | 'removed' | 'modified' | 'metadata' | 'type';

export interface Change {
  readonly kind: ChangeKind;
  readonly path: string;
  readonly before?: TreeNode;
  readonly after?: TreeNode;
}

function sameContent(a: TreeNode, b: TreeNode): boolean {
  if (a.type === 'file') return (a.content ?? []).join() === (b.content ?? []).join();
  if (a.type === 'symlink') return a.target === b.target;
  return true;
}

function sameMetadata(a: TreeNode, b: TreeNode): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.mtime === b.mtime;
}

export async function* diffTrees(
  repo: Repository,
  a: string | undefined,
  b: string | undefined,
  prefix = '',
): AsyncGenerator<Change> {
  if (a === b) return;
  const left = a ? (await repo.loadTree(a)).nodes : [];
  const right = b ? (await repo.loadTree(b)).nodes : [];
  const names = [...new Set([...left.map((n) => n.name), ...right.map((n) => n.name)])].sort();
  for (const name of names) {
    const before = left.find((n) => n.name === name);
    const after = right.find((n) => n.name === name);
    const path = `${prefix}/${name}`;
    if (!before || !after) {
      const node = (before ?? after)!;
      const kind = before ? 'removed' : 'added';
      yield { kind, path, before, after };
      if (node.type === 'dir' && node.subtree) {
        for await (const e of walkTree(repo, node.subtree, path)) {
          yield { kind, path: e.path, before: before && e.node, after: after && e.node };
        }
      }
      continue;
    }
    if (before.type !== after.type) {
      yield { kind: 'type', path, before, after };
      continue;
    }
    if (before.type === 'dir') {
      if (!sameMetadata(before, after)) yield { kind: 'metadata', path, before, after };
      yield* diffTrees(repo, before.subtree, after.subtree, path);
    } else if (!sameContent(before, after)) yield { kind: 'modified', path, before, after };
    else if (!sameMetadata(before, after)) yield { kind: 'metadata', path, before, after };
  }
}
