/**
 * Reading the path index: a folder of one snapshot, the versions of one path, a name search.
 *
 * A row is alive in snapshot s when first_seq <= s <= last_seq. Only snapshots that exist and
 * were indexed are ever reported: a row's span may cover seqs of forgotten snapshots (gaps) or
 * unindexed ones, which is harmless because answers are given in snapshots, not seqs.
 */
import type Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import { DIR_TYPE, typeName } from './entry';
import type { PathDictionary } from './paths';
import { ROOT_PATH_ID } from './paths';
import type { SnapshotRows } from './snapshot-rows';
import type { FileVersion, FolderEntry, SearchHit, SnapshotRef } from './types';

interface VersionRow {
  first_seq: number;
  last_seq: number;
  type: number;
  size: number | null;
  mtime: number | null;
  content: Buffer | null;
}

type Sequenced = SnapshotRef & { readonly seq: number };
const plain = (s: readonly Sequenced[]): SnapshotRef[] => s.map(({ id, time }) => ({ id, time }));

/** Indexed snapshots of a destination by seq, for turning spans into snapshot lists. */
class Timeline {
  constructor(private readonly snaps: readonly Sequenced[]) {}

  /** The snapshots with first <= seq <= last, oldest first. */
  within(first: number, last: number): Sequenced[] {
    const out: Sequenced[] = [];
    let lo = 0;
    let hi = this.snaps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.snaps[mid]!.seq < first) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.snaps.length && this.snaps[i]!.seq <= last; i++) {
      out.push(this.snaps[i]!);
    }
    return out;
  }
}

/** Names sorted as trees sort them (UTF-16 code units), so listings match walkTree. */
const byName = (a: FolderEntry, b: FolderEntry): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** A glob (`*`, `?`) or plain text (matched anywhere in the name) as a LIKE pattern. */
export function likePattern(pattern: string): string {
  const escaped = pattern.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (!/[*?]/.test(pattern)) return `%${escaped}%`;
  return escaped.replace(/\*/g, '%').replace(/\?/g, '_');
}

export class Browser {
  private readonly children: Database.Statement<[number, number, number, number]>;
  private readonly pathRows: Database.Statement<[number, number], VersionRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly paths: PathDictionary,
    private readonly rows: SnapshotRows,
  ) {
    this.children = db.prepare(
      'SELECT p.name AS name, v.type AS type, v.size AS size, v.mtime AS mtime ' +
        'FROM paths p JOIN versions v ON v.path_id = p.id ' +
        'WHERE p.parent_id = ? AND v.dest = ? AND v.first_seq <= ? AND v.last_seq >= ?',
    );
    this.pathRows = db.prepare(
      'SELECT first_seq, last_seq, type, size, mtime, content FROM versions ' +
        'WHERE path_id = ? AND dest = ? ORDER BY first_seq',
    );
  }

  private timeline(dest: number): Timeline {
    return new Timeline(
      this.db
        .prepare('SELECT id, time, seq FROM snapshots WHERE dest = ? AND indexed = 1 ORDER BY seq')
        .all(dest) as Sequenced[],
    );
  }

  /** The entries of a folder ('/' or '' for the top) in one snapshot, sorted by name. */
  listFolder(destinationId: string, snapshotId: string, path: string): FolderEntry[] {
    const dest = this.rows.requireDest(destinationId);
    const snap = this.db
      .prepare('SELECT seq, indexed FROM snapshots WHERE dest = ? AND id = ?')
      .get(dest, snapshotId) as { seq: number; indexed: number } | undefined;
    if (!snap) throw new StrataError('SNAPSHOT_NOT_FOUND', `no snapshot ${snapshotId} here`);
    if (snap.indexed !== 1) {
      throw new StrataError(
        'REPO_CORRUPT',
        `snapshot ${snapshotId} could not be read when it was cataloged; run "strata check"`,
      );
    }
    const { seq } = snap;
    const id = this.paths.lookup(path);
    const folder = id === undefined ? undefined : this.aliveAt(id, dest, seq);
    if (id === undefined || (id !== ROOT_PATH_ID && folder?.type !== DIR_TYPE)) {
      throw new StrataError('NOT_FOUND', `${path} is not a folder in snapshot ${snapshotId}`);
    }
    const rows = this.children.all(id, dest, seq, seq) as {
      name: string;
      type: number;
      size: number | null;
      mtime: number | null;
    }[];
    return rows.map((r) => ({ ...r, type: typeName(r.type) })).sort(byName);
  }

  private aliveAt(pathId: number, dest: number, seq: number): VersionRow | undefined {
    if (pathId === ROOT_PATH_ID) return undefined;
    return this.pathRows.all(pathId, dest).find((r) => r.first_seq <= seq && seq <= r.last_seq);
  }

  /** The distinct contents a path had, in order of first appearance, with their snapshots. */
  fileVersions(destinationId: string, path: string): FileVersion[] {
    const dest = this.rows.requireDest(destinationId);
    const id = this.paths.lookup(path);
    if (id === undefined) return [];
    const timeline = this.timeline(dest);
    const byContent = new Map<string, { row: VersionRow; snapshots: Sequenced[] }>();
    for (const row of this.pathRows.all(id, dest)) {
      const snapshots = timeline.within(row.first_seq, row.last_seq);
      if (snapshots.length === 0) continue;
      const key = `${row.type}:${row.content?.toString('hex') ?? ''}`;
      const seen = byContent.get(key);
      if (seen) {
        seen.snapshots.push(...snapshots);
        seen.row = row; // the newest row gives the newest mtime
      } else {
        byContent.set(key, { row, snapshots });
      }
    }
    return [...byContent.values()].map(({ row, snapshots }) => {
      snapshots.sort((a, b) => a.seq - b.seq);
      return {
        type: typeName(row.type),
        size: row.size,
        mtime: row.mtime,
        snapshots: plain(snapshots),
        first: snapshots[0]!.time,
        last: snapshots.at(-1)!.time,
      };
    });
  }

  /**
   * Paths whose name matches `pattern` (plain text anywhere in the name, or a glob with * and
   * ?; ASCII letters ignore case), in one destination or all, with the snapshots holding them.
   * A LIKE over the paths dictionary: each distinct path once, however many snapshots hold it.
   */
  search(destinationId: string | null, pattern: string, limit = 100): SearchHit[] {
    const dests = (
      destinationId === null ? this.rows.destinations().map((d) => d.id) : [destinationId]
    ).map((key) => ({ key, dest: this.rows.requireDest(key) }));
    const like = likePattern(pattern);
    const find = this.db.prepare(
      "SELECT p.id AS id FROM paths p WHERE p.name LIKE ? ESCAPE '\\' AND EXISTS " +
        '(SELECT 1 FROM versions v WHERE v.path_id = p.id AND v.dest = ?) LIMIT ?',
    );
    const names = new Map<number, string>();
    const hits: SearchHit[] = [];
    for (const { key, dest } of dests) {
      if (hits.length >= limit) break;
      const timeline = this.timeline(dest);
      const ids = find.all(like, dest, limit - hits.length) as { id: number }[];
      for (const { id } of ids) {
        const rows = this.pathRows.all(id, dest);
        const snapshots = rows.flatMap((r) => timeline.within(r.first_seq, r.last_seq));
        if (snapshots.length === 0) continue;
        hits.push({
          destinationId: key,
          path: this.paths.fullPath(id, names),
          type: typeName(rows.at(-1)!.type),
          snapshots: plain(snapshots),
        });
      }
    }
    return hits;
  }
}
