/**
 * Walking a snapshot's trees: every entry with its '/'-separated path, depth first.
 */
import { StrataError } from '../../../shared/errors';
import type { Repository } from './repository';
import { findNode, type Tree, type TreeNode } from './tree';

export interface WalkEntry {
  readonly path: string;
  readonly node: TreeNode;
}

export async function* walkTree(
  repo: Repository,
  treeId: string,
  prefix = '',
): AsyncGenerator<WalkEntry> {
  const tree = await repo.loadTree(treeId);
  for (const node of tree.nodes) {
    const path = `${prefix}/${node.name}`;
    yield { path, node };
    if (node.type === 'dir' && node.subtree) yield* walkTree(repo, node.subtree, path);
  }
}

/** Splits a snapshot path into names: "/home/ann/" -> ["home", "ann"]. */
export function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** The node at `path` in a snapshot; the root itself is returned as a folder node. */
export async function nodeAt(
  repo: Repository,
  rootTree: string,
  path: string,
): Promise<{ node?: TreeNode; tree?: Tree }> {
  let tree = await repo.loadTree(rootTree);
  let node: TreeNode | undefined;
  for (const name of splitPath(path)) {
    node = findNode(tree, name);
    if (!node) throw new StrataError('NOT_FOUND', `${path} is not in this snapshot`);
    if (node.type !== 'dir') return { node };
    tree = await repo.loadTree(node.subtree!);
  }
  return { node, tree };
}
