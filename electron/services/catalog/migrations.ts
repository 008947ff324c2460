/**
 * Numbered schema migrations, recorded in `PRAGMA user_version`.
 *
 * Migration n takes a catalog from version n-1 to n inside one transaction, so a crash leaves
 * either the old schema or the new one. Migrations are only ever appended: a released one is
 * never edited. A catalog written by a newer Strata is refused, not touched: it may hold jobs
 * this version cannot read, and moving it aside would lose them.
 */
import type Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';

/** The open end of an interval: "still there in the newest indexed snapshot". */
export const OPEN_SEQ = 2_147_483_647;

const MIGRATIONS: readonly string[] = [
  // 1: jobs, runs and their logs, the snapshot cache and the path index.
  `
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    updated TEXT NOT NULL
  );

  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    destination_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('backup', 'prune', 'verify', 'check')),
    started TEXT NOT NULL,
    finished TEXT,
    outcome TEXT CHECK (outcome IN ('ok', 'warning', 'failed', 'cancelled')),
    counts TEXT,
    bytes TEXT,
    warnings INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    snapshot_id TEXT
  );
  CREATE INDEX runs_by_job ON runs(job_id, started);

  CREATE TABLE run_log (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    level TEXT NOT NULL,
    time TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE destinations (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    synced TEXT
  );

  CREATE TABLE snapshots (
    dest INTEGER NOT NULL REFERENCES destinations(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    time TEXT NOT NULL,
    host TEXT NOT NULL,
    username TEXT NOT NULL,
    paths TEXT NOT NULL,
    tags TEXT NOT NULL,
    tree TEXT NOT NULL,
    summary TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    -- 0: its trees could not be read, so the path index says nothing about it.
    indexed INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (dest, id),
    UNIQUE (dest, seq)
  ) WITHOUT ROWID;

  CREATE TABLE paths (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (parent_id, name)
  );
  INSERT INTO paths (id, parent_id, name) VALUES (1, 0, '');

  CREATE TABLE versions (
    path_id INTEGER NOT NULL,
    dest INTEGER NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    type INTEGER NOT NULL,
    size INTEGER,
    mtime INTEGER,
    content BLOB,
    PRIMARY KEY (path_id, dest, first_seq)
  ) WITHOUT ROWID;
  `,
  // 2: what each destination's repository takes there, measured at each sync.
  `
  ALTER TABLE destinations ADD COLUMN stored_bytes INTEGER;
  ALTER TABLE destinations ADD COLUMN stored_measured TEXT;
  `,
];

/** The schema version this Strata writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the catalog up to SCHEMA_VERSION; returns the version it found. */
export function migrate(db: Database.Database, file: string): number {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > SCHEMA_VERSION) {
    throw new StrataError(
      'REPO_VERSION_UNSUPPORTED',
      `the catalog ${file} was written by a newer Strata (catalog schema ${found}; this version ` +
        `knows up to ${SCHEMA_VERSION}). Update Strata, or move the file away: the snapshots ` +
        'are rebuilt from the repositories, and jobs can be imported again.',
    );
  }
  for (let v = found; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      // user_version cannot be bound as a parameter; v + 1 is our own integer.
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return found;
}
