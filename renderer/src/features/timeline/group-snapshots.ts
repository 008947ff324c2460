/**
 * Snapshots grouped as people think of time (Back In Time): Today, Yesterday, This week,
 * Last week, then by month. Newest first; flattened into rows for the windowed list.
 */
import type { SnapshotView } from '../../../../shared/contract';

export type SnapshotRow =
  | { readonly kind: 'header'; readonly label: string }
  | { readonly kind: 'snapshot'; readonly snapshot: SnapshotView };

/** Local midnight `days` days after `d`'s day: calendar arithmetic, so DST days count as one. */
function startOfDay(d: Date, days = 0): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + days).getTime();
}

/**
 * The group a time falls in, seen from `now` (local time; weeks start on Monday).
 *
 * Day starts are local midnights found by calendar arithmetic, not by subtracting 24 hours:
 * around a DST change a day is 23 or 25 hours long.
 */
export function groupLabel(time: number, now: Date): string {
  const sinceMonday = (now.getDay() + 6) % 7;
  if (time >= startOfDay(now)) return 'Today';
  if (time >= startOfDay(now, -1)) return 'Yesterday';
  if (time >= startOfDay(now, -sinceMonday)) return 'This week';
  if (time >= startOfDay(now, -sinceMonday - 7)) return 'Last week';
  return new Date(time).toLocaleDateString('en-GB', { month: 'long', year: 'numeric' });
}

/** Snapshots newest first, with a header row before each group. */
export function groupSnapshots(
  snapshots: readonly SnapshotView[],
  now = new Date(),
): SnapshotRow[] {
  const sorted = [...snapshots].sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  const rows: SnapshotRow[] = [];
  let last = '';
  for (const snapshot of sorted) {
    const label = groupLabel(Date.parse(snapshot.time), now);
    if (label !== last) rows.push({ kind: 'header', label });
    last = label;
    rows.push({ kind: 'snapshot', snapshot });
  }
  return rows;
}

/** The parent of a snapshot path ("/a/b" -> "/a"; "/" stays "/"). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A child's path in a snapshot folder ("/a" + "b" -> "/a/b"; "/" + "b" -> "/b"). */
export function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}
