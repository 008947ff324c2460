/**
 * Restore planning: walk the snapshot's trees, keep what the include filters select, drop (and
 * report) entries with unsafe or duplicate names, and sort everything into the order the
 * restorer needs: folders, files, hardlinks, symlinks; folder metadata last.
 */
import { join } from 'node:path';
import type { Repository } from '../repository/repository';
import type { TreeNode } from '../repository/tree';
import { printableName, unsafeNameReason } from './sanitize';

export interface PlannedEntry {
  /** Where it goes, inside the target. */
  readonly dest: string;
  /** Its path in the snapshot, '/'-separated, for messages and filters. */
  readonly path: string;
  readonly node: TreeNode;
}

export interface PlannedLink extends PlannedEntry {
  /** The snapshot path of the first file of its hardlink group: this one links to it. */
  readonly primary: string;
}

export interface RestorePlan {
  readonly dirs: PlannedEntry[];
  readonly files: PlannedEntry[];
  readonly hardlinks: PlannedLink[];
  readonly symlinks: PlannedEntry[];
  readonly special: PlannedEntry[];
  readonly problems: { path: string; message: string }[];
  /** Entries the includes select (not counting folders only on the way to them). */
  selected: number;
}

/** Normalises an include to a '/'-separated snapshot path without trailing slash. */
export function normaliseInclude(include: string): string {
  const parts = include.split(/[/\\]+/).filter((p) => p !== '' && p !== '.');
  return '/' + parts.join('/');
}

function isWithin(path: string, root: string): boolean {
  return root === '/' || path === root || path.startsWith(root + '/');
}

export async function planRestore(
  repo: Repository,
  rootTree: string,
  target: string,
  includes: readonly string[],
): Promise<RestorePlan> {
  const plan: RestorePlan = {
    dirs: [],
    files: [],
    hardlinks: [],
    symlinks: [],
    special: [],
    problems: [],
    selected: 0,
  };
  const wanted = includes.map(normaliseInclude);
  const selected = (p: string) => wanted.length === 0 || wanted.some((w) => isWithin(p, w));
  const onTheWay = (p: string) => wanted.some((w) => isWithin(w, p));
  const linkGroups = new Map<string, string>();

  const walk = async (treeId: string, path: string, dest: string): Promise<void> => {
    let tree;
    try {
      tree = await repo.loadTree(treeId, { cache: false });
    } catch (err) {
      plan.problems.push({ path: path || '/', message: (err as Error).message });
      return;
    }
    const seen = new Set<string>();
    for (const node of tree.nodes) {
      const reason =
        unsafeNameReason(node.name) ?? (seen.has(node.name) ? 'duplicate name' : undefined);
      const childPath = `${path}/${node.name}`;
      if (reason) {
        plan.problems.push({
          path: `${path}/${printableName(node.name)}`,
          message: `not restored: ${reason}`,
        });
        continue;
      }
      seen.add(node.name);
      const take = selected(childPath);
      if (!take && !(node.type === 'dir' && onTheWay(childPath))) continue;
      if (take) plan.selected++;
      const entry = { dest: join(dest, node.name), path: childPath, node };
      switch (node.type) {
        case 'dir':
          plan.dirs.push(entry);
          if (node.subtree) await walk(node.subtree, childPath, entry.dest);
          break;
        case 'file': {
          const key = node.links > 1 ? `${node.dev}:${node.inode}` : undefined;
          const primary = key ? linkGroups.get(key) : undefined;
          if (primary !== undefined) plan.hardlinks.push({ ...entry, primary });
          else {
            if (key) linkGroups.set(key, childPath);
            plan.files.push(entry);
          }
          break;
        }
        case 'symlink':
          plan.symlinks.push(entry);
          break;
        default:
          plan.special.push(entry);
      }
    }
  };
  await walk(rootTree, '', target);
  return plan;
}
