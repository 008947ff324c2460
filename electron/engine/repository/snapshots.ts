/**
 * Listing and finding snapshots. Readers list snapshots before loading the index (invariant 2),
 * so a snapshot finished while we load still finds its blobs.
 */
import { StrataError } from '../../../shared/errors';
import type { LoadProblem, Repository } from './repository';
import { validateSnapshot, type Snapshot, type SnapshotRecord } from './snapshot';

/** Loads every snapshot, oldest first; damaged ones are returned as problems, not thrown. */
export async function listSnapshots(
  repo: Repository,
): Promise<{ snapshots: SnapshotRecord[]; problems: LoadProblem[] }> {
  const snapshots: SnapshotRecord[] = [];
  const problems: LoadProblem[] = [];
  for (const { name } of await repo.backend.list('snapshots')) {
    try {
      const bytes = await repo.loadFile('snapshots', name);
      snapshots.push({
        id: name,
        snapshot: validateSnapshot(JSON.parse(bytes.toString()), `snapshot ${name}`),
      });
    } catch (err) {
      if (err instanceof StrataError && err.code === 'NOT_FOUND') continue; // forgotten meanwhile
      if (err instanceof StrataError && err.code !== 'REPO_CORRUPT') throw err;
      problems.push({ kind: 'snapshot', name, message: (err as Error).message });
    }
  }
  snapshots.sort((a, b) => compareTime(a.snapshot, b.snapshot) || a.id.localeCompare(b.id));
  return { snapshots, problems };
}

function compareTime(a: Snapshot, b: Snapshot): number {
  return Date.parse(a.time) - Date.parse(b.time);
}

/** Filters for `latest`. */
export interface SnapshotFilter {
  readonly host?: string;
  readonly paths?: readonly string[];
  readonly tags?: readonly string[];
}

export function matchesFilter(s: Snapshot, f: SnapshotFilter): boolean {
  if (f.host !== undefined && s.host !== f.host) return false;
  if (f.paths && f.paths.length > 0) {
    const want = [...f.paths].sort().join('\0');
    if ([...s.paths].sort().join('\0') !== want) return false;
  }
  if (f.tags && !f.tags.every((t) => s.tags.includes(t))) return false;
  return true;
}

/**
 * Resolves `latest` (the newest snapshot matching the filter) or a unique id prefix.
 */
export function resolveSnapshot(
  all: readonly SnapshotRecord[],
  ref: string,
  filter: SnapshotFilter = {},
): SnapshotRecord {
  if (ref === 'latest') {
    const found = all.filter((r) => matchesFilter(r.snapshot, filter)).at(-1);
    if (!found)
      throw new StrataError('SNAPSHOT_NOT_FOUND', 'there is no snapshot yet (matching the filter)');
    return found;
  }
  if (!/^[0-9a-f]{1,64}$/.test(ref)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `"${ref}" is not a snapshot id (use hex digits or "latest")`,
    );
  }
  const found = all.filter((r) => r.id.startsWith(ref));
  if (found.length === 0)
    throw new StrataError('SNAPSHOT_NOT_FOUND', `no snapshot has an id starting with ${ref}`);
  if (found.length > 1) {
    throw new StrataError(
      'AMBIGUOUS_ID',
      `${found.length} snapshots have ids starting with ${ref}: give more digits`,
    );
  }
  return found[0] as SnapshotRecord;
}
