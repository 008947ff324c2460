/**
 * The cached snapshot list of each destination, and the removal of forgotten snapshots from
 * the path index.
 *
 * Destinations get a small integer id here (`dest`) so the millions of version rows do not
 * repeat a string. Removing snapshots keeps the intervals exact: rows whose span no longer
 * covers any snapshot are deleted, and when the newest snapshots go, the rows that were alive
 * in the new newest one are opened again (last_seq = OPEN_SEQ), which is the state the next
 * snapshot is compared with.
 */
import type Database from 'better-sqlite3';
import type { BackupSummary, SnapshotRecord } from '../../engine/repository/snapshot';
import { StrataError } from '../../../shared/errors';
import { OPEN_SEQ } from './migrations';
import type { CachedSnapshot, DestinationUsage } from './types';

interface SnapshotRow {
  id: string;
  seq: number;
  time: string;
  host: string;
  username: string;
  paths: string;
  tags: string;
  tree: string;
  summary: string | null;
  pinned: number;
  indexed: number;
}

/** The same order as listSnapshots: time, then id. */
export function compareSnapshots(
  a: { time: string; id: string },
  b: { time: string; id: string },
): number {
  return Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id);
}

export class SnapshotRows {
  constructor(private readonly db: Database.Database) {}

  /** The integer id of a destination, if it has ever been synced. */
  dest(destinationId: string): number | undefined {
    const row = this.db.prepare('SELECT id FROM destinations WHERE key = ?').get(destinationId) as
      { id: number } | undefined;
    return row?.id;
  }

  /** The integer id of a destination, made when missing. */
  ensureDest(destinationId: string): number {
    this.db.prepare('INSERT OR IGNORE INTO destinations (key) VALUES (?)').run(destinationId);
    return this.dest(destinationId)!;
  }

  /** Like dest(), but NOT_FOUND for a destination never synced. */
  requireDest(destinationId: string): number {
    const dest = this.dest(destinationId);
    if (dest === undefined) {
      throw new StrataError('NOT_FOUND', `the catalog knows no destination ${destinationId}`);
    }
    return dest;
  }

  destinations(): { id: string; synced: string | null }[] {
    return this.db.prepare('SELECT key AS id, synced FROM destinations ORDER BY key').all() as {
      id: string;
      synced: string | null;
    }[];
  }

  /** Records what the repository takes on the destination (storedSize at a sync). */
  setStored(dest: number, bytes: number): void {
    this.db
      .prepare('UPDATE destinations SET stored_bytes = ?, stored_measured = ? WHERE id = ?')
      .run(bytes, new Date().toISOString(), dest);
  }

  /** Snapshot count and sizes from the cached summaries; undefined for a destination never synced. */
  usage(destinationId: string): DestinationUsage | undefined {
    const dest = this.dest(destinationId);
    if (dest === undefined) return undefined;
    const stored = this.db
      .prepare(
        'SELECT stored_bytes AS bytes, stored_measured AS measured FROM destinations WHERE id = ?',
      )
      .get(dest) as { bytes: number | null; measured: string | null };
    const totals = this.db
      .prepare(
        "SELECT count(*) AS n, coalesce(sum(json_extract(summary, '$.totalBytes')), 0) AS total " +
          'FROM snapshots WHERE dest = ?',
      )
      .get(dest) as { n: number; total: number };
    const newest = this.db
      .prepare(
        "SELECT coalesce(json_extract(summary, '$.totalBytes'), 0) AS total FROM snapshots " +
          'WHERE dest = ? ORDER BY seq DESC LIMIT 1',
      )
      .get(dest) as { total: number } | undefined;
    return {
      destinationId,
      snapshots: totals.n,
      newestBytes: newest?.total ?? 0,
      allBytes: totals.total,
      storedBytes: stored.bytes,
      measured: stored.measured,
    };
  }

  markSynced(dest: number): void {
    this.db
      .prepare('UPDATE destinations SET synced = ? WHERE id = ?')
      .run(new Date().toISOString(), dest);
  }

  /** Oldest first. */
  list(destinationId: string): CachedSnapshot[] {
    const dest = this.dest(destinationId);
    if (dest === undefined) return [];
    const rows = this.db
      .prepare('SELECT * FROM snapshots WHERE dest = ? ORDER BY seq')
      .all(dest) as SnapshotRow[];
    return rows.map((r) => toCached(destinationId, r));
  }

  /** The time of a destination's newest cached snapshot (seq is time order). */
  newestTime(destinationId: string): string | undefined {
    const dest = this.dest(destinationId);
    if (dest === undefined) return undefined;
    const row = this.db
      .prepare('SELECT time FROM snapshots WHERE dest = ? ORDER BY seq DESC LIMIT 1')
      .get(dest) as { time: string } | undefined;
    return row?.time;
  }

  newest(dest: number): { seq: number; tree: string } | undefined {
    return this.db
      .prepare('SELECT seq, tree FROM snapshots WHERE dest = ? ORDER BY seq DESC LIMIT 1')
      .get(dest) as { seq: number; tree: string } | undefined;
  }

  /** The tree the open rows describe: the newest snapshot that was indexed. */
  newestIndexedTree(dest: number): string | undefined {
    const row = this.db
      .prepare(
        'SELECT tree FROM snapshots WHERE dest = ? AND indexed = 1 ORDER BY seq DESC LIMIT 1',
      )
      .get(dest) as { tree: string } | undefined;
    return row?.tree;
  }

  insert(dest: number, seq: number, r: SnapshotRecord, pinned: boolean, indexed: boolean): void {
    const s = r.snapshot;
    this.db
      .prepare(
        'INSERT INTO snapshots (dest, id, seq, time, host, username, paths, tags, tree, ' +
          'summary, pinned, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        dest,
        r.id,
        seq,
        s.time,
        s.host,
        s.username ?? '',
        JSON.stringify(s.paths),
        JSON.stringify(s.tags ?? []),
        s.tree,
        s.summary ? JSON.stringify(s.summary) : null,
        pinned ? 1 : 0,
        indexed ? 1 : 0,
      );
  }

  setPins(dest: number, pinned: ReadonlySet<string>): void {
    const set = this.db.prepare('UPDATE snapshots SET pinned = ? WHERE dest = ? AND id = ?');
    for (const { id } of this.db.prepare('SELECT id FROM snapshots WHERE dest = ?').all(dest) as {
      id: string;
    }[]) {
      set.run(pinned.has(id) ? 1 : 0, dest, id);
    }
  }

  /** Removes snapshots and what only they held from the index (call in a transaction). */
  remove(dest: number, ids: readonly string[]): void {
    if (ids.length === 0) return;
    const del = this.db.prepare('DELETE FROM snapshots WHERE dest = ? AND id = ?');
    for (const id of ids) del.run(dest, id);
    const newest = this.newest(dest)?.seq ?? 0;
    this.db.prepare('DELETE FROM versions WHERE dest = ? AND first_seq > ?').run(dest, newest);
    this.db
      .prepare('UPDATE versions SET last_seq = ? WHERE dest = ? AND last_seq >= ? AND last_seq < ?')
      .run(OPEN_SEQ, dest, newest, OPEN_SEQ);
    this.db
      .prepare(
        'DELETE FROM versions WHERE dest = ? AND NOT EXISTS (SELECT 1 FROM snapshots s ' +
          'WHERE s.dest = versions.dest AND s.seq BETWEEN versions.first_seq AND versions.last_seq)',
      )
      .run(dest);
    this.dropUnusedPaths();
  }

  /** Forgets a destination's snapshots and path index (call in a transaction). */
  clear(dest: number): void {
    this.db.prepare('DELETE FROM versions WHERE dest = ?').run(dest);
    this.db.prepare('DELETE FROM snapshots WHERE dest = ?').run(dest);
    this.dropUnusedPaths();
  }

  /** Paths no version refers to any more (their parents are kept by their own versions). */
  private dropUnusedPaths(): void {
    this.db
      .prepare(
        'DELETE FROM paths WHERE id > 1 AND NOT EXISTS ' +
          '(SELECT 1 FROM versions v WHERE v.path_id = paths.id)',
      )
      .run();
  }
}

function toCached(destinationId: string, r: SnapshotRow): CachedSnapshot {
  return {
    destinationId,
    id: r.id,
    seq: r.seq,
    time: r.time,
    host: r.host,
    username: r.username,
    paths: JSON.parse(r.paths) as string[],
    tags: JSON.parse(r.tags) as string[],
    tree: r.tree,
    summary: r.summary ? (JSON.parse(r.summary) as BackupSummary) : null,
    pinned: r.pinned === 1,
    indexed: r.indexed === 1,
  };
}
