/**
 * Restore planning: walk the snapshot's trees, keep what the include filters select, drop (and
 * report) entries with unsafe or duplicate names, and sort everything into the order the
 * restorer needs: folders, files, hardlinks, symlinks; folder metadata last.
 *
 * Shaped by memory: the plan lives to the end of the restore, one entry per selected file (a
 * million, for some). Files are kept in columns (planned-files.ts); other entries keep one flat
 * path string and a RestoreNode (no name, ctime, inode or device strings). Destinations are
 * computed when asked, not stored. Paths built by concatenation or path.join are trees of
 * string pieces in V8 (~12 objects a file): Array.join makes them flat.
 */
import { join } from 'node:path';
import type { Repository } from '../repository/repository';
import { restoreNode, type RestoreNode } from '../repository/tree';
import { PlannedFiles } from './planned-files';
import { printableName, unsafeNameReason } from './sanitize';

export interface PlannedEntry {
  /** Where it goes, inside the target (computed on each access: keep it if used often). */
  readonly dest: string;
  /** Its path in the snapshot, '/'-separated, for messages and filters. */
  readonly path: string;
  readonly node: RestoreNode;
}

export interface PlannedLink extends PlannedEntry {
  /** The snapshot path of the first file of its hardlink group: this one links to it. */
  readonly primary: string;
}

/** A planned entry: the destination is derived from the target and the (checked) path. */
class Entry implements PlannedEntry {
  constructor(
    private readonly target: string,
    readonly path: string,
    readonly node: RestoreNode,
  ) {}

  get dest(): string {
    return join(this.target, this.path);
  }
}

class Link extends Entry implements PlannedLink {
  constructor(
    target: string,
    path: string,
    node: RestoreNode,
    readonly primary: string,
  ) {
    super(target, path, node);
  }
}

export interface RestorePlan {
  readonly dirs: PlannedEntry[];
  /** Regular files (the first of each hardlink group), in columns: entries made when asked. */
  readonly files: PlannedFiles;
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
    files: new PlannedFiles(target),
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

  const walk = async (treeId: string, path: string): Promise<void> => {
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
      // Array.join: one flat string, not a tree of pieces (see the header).
      const childPath = [path, node.name].join('/');
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
      const entry = () => new Entry(target, childPath, restoreNode(node));
      switch (node.type) {
        case 'dir':
          plan.dirs.push(entry());
          if (node.subtree) await walk(node.subtree, childPath);
          break;
        case 'file': {
          const key = node.links > 1 ? `${node.dev}:${node.inode}` : undefined;
          const primary = key ? linkGroups.get(key) : undefined;
          if (primary !== undefined)
            plan.hardlinks.push(new Link(target, childPath, restoreNode(node), primary));
          else {
            if (key) linkGroups.set(key, childPath);
            plan.files.add(childPath, node);
          }
          break;
        }
        case 'symlink':
          plan.symlinks.push(entry());
          break;
        default:
          plan.special.push(entry());
      }
    }
  };
  await walk(rootTree, '');
  return plan;
}
