/**
 * Grouping snapshots before a policy is applied, as restic's `--group-by`: each group (by
 * default one per host and set of paths) gets the policy on its own, so a laptop's daily
 * snapshot never counts against a server's.
 */
import { StrataError } from './errors';

export type GroupBy = 'host' | 'paths' | 'tags';

/** restic's default, `--group-by host,paths`. */
export const DEFAULT_GROUP_BY: readonly GroupBy[] = ['host', 'paths'];

const GROUP_BY: readonly GroupBy[] = ['host', 'paths', 'tags'];

/** What grouping reads from a snapshot. */
export interface GroupItem {
  readonly host: string;
  readonly paths: readonly string[];
  readonly tags: readonly string[];
}

/** The values a group shares; only the fields grouped by are set (paths and tags sorted). */
export interface GroupKey {
  readonly host?: string;
  readonly paths?: readonly string[];
  readonly tags?: readonly string[];
}

export interface SnapshotGroup<T extends GroupItem> {
  readonly key: GroupKey;
  readonly items: readonly T[];
}

/** Reads `host,paths,tags` (any subset; '' for one group of everything). */
export function parseGroupBy(text: string): GroupBy[] {
  const out: GroupBy[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (!GROUP_BY.includes(name as GroupBy)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot group by "${name}": use host, paths and/or tags separated by commas, or '' for no grouping`,
      );
    }
    if (!out.includes(name as GroupBy)) out.push(name as GroupBy);
  }
  return out;
}

function keyOf(item: GroupItem, groupBy: readonly GroupBy[]): GroupKey {
  return {
    ...(groupBy.includes('host') ? { host: item.host } : {}),
    ...(groupBy.includes('paths') ? { paths: [...item.paths].sort() } : {}),
    ...(groupBy.includes('tags') ? { tags: [...new Set(item.tags)].sort() } : {}),
  };
}

/** Splits items into groups, ordered by key; items keep their order within a group. */
export function groupSnapshots<T extends GroupItem>(
  items: readonly T[],
  groupBy: readonly GroupBy[] = DEFAULT_GROUP_BY,
): SnapshotGroup<T>[] {
  const groups = new Map<string, { key: GroupKey; items: T[] }>();
  for (const item of items) {
    const key = keyOf(item, groupBy);
    const text = JSON.stringify([key.host, key.paths, key.tags]);
    const group = groups.get(text) ?? { key, items: [] };
    group.items.push(item);
    groups.set(text, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => group);
}

/** "host laptop, paths /home/a, tags (none)" or "all snapshots" for a group of everything. */
export function describeGroup(key: GroupKey): string {
  const parts: string[] = [];
  if (key.host !== undefined) parts.push(`host ${key.host}`);
  if (key.paths !== undefined) parts.push(`paths ${key.paths.join(' ') || '(none)'}`);
  if (key.tags !== undefined) parts.push(`tags ${key.tags.join(',') || '(none)'}`);
  return parts.length > 0 ? parts.join(', ') : 'all snapshots';
}
