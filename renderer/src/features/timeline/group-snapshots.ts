/**
 * Snapshots grouped as people think of time (Back In Time): Today, Yesterday, This week,
 * Last week, then by month. Newest first; flattened into rows for the windowed list.
 */
import type { SnapshotView } from '../../../../shared/contract';

export type SnapshotRow =
  | { readonly kind: 'header'; readonly label: string }
  | { readonly kind: 'snapshot'; readonly snapshot: SnapshotView };

function startOfDay(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** The group a time falls in, seen from `now` (local time; weeks start on Monday). */
export function groupLabel(time: number, now: Date): string {
  const today = startOfDay(now);
  const day = 24 * 3600 * 1000;
  const weekStart = today - ((now.getDay() + 6) % 7) * day;
  if (time >= today) return 'Today';
  if (time >= today - day) return 'Yesterday';
  if (time >= weekStart) return 'This week';
  if (time >= weekStart - 7 * day) return 'Last week';
  return new Date(time).toLocaleDateString('en-GB', { month: 'long', year: 'numeric' });
}

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

export function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}
