/**
 * Opening the catalog's SQLite file.
 *
 * The catalog is a cache, so a damaged or unreadable file must never stop the app: it is moved
 * aside (renamed with a timestamp, kept for a bug report) and a fresh one is made, which the
 * caller then fills again from the repositories. A catalog from a newer Strata is the exception:
 * it is refused untouched (see migrations.ts).
 *
 * WAL lets the CLI read while the app writes; synchronous=NORMAL is safe with WAL (a power cut
 * may lose the last transactions, never corrupt the file), and losing them costs only a re-sync.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { isStrataError } from '../../../shared/errors';
import { migrate } from './migrations';

export interface OpenedDb {
  readonly db: Database.Database;
  /** Set when a damaged catalog was moved aside: where it went and why. */
  readonly setAside?: { readonly path: string; readonly reason: string };
  /** The schema version found (0: a new catalog, so everything must be synced). */
  readonly foundVersion: number;
}

function connect(file: string): { db: Database.Database; foundVersion: number } {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reading the schema touches page 1 and the schema table: a file that is not SQLite, or
    // whose header or schema is damaged, fails here rather than at some later query.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    const foundVersion = migrate(db, file);
    return { db, foundVersion };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** A name beside `file` for a damaged catalog: catalog.db -> catalog.db.damaged-2026...Z */
function asideName(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let name = `${file}.damaged-${stamp}`;
  for (let i = 2; existsSync(name); i++) name = `${file}.damaged-${stamp}-${i}`;
  return name;
}

/**
 * True for errors that mean the file itself is bad. Busy, locked, read-only or full are not: the
 * file may be fine and in use, and setting it aside would throw good data away.
 */
function isDamage(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  // SQLITE_ERROR from our own schema statements: a SQLite file that is not a Strata catalog.
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_ERROR';
}

/** Opens (creating if needed) and migrates the catalog at `file`; ':memory:' for tests. */
export function openDb(file: string): OpenedDb {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  try {
    return connect(file);
  } catch (err) {
    if (file === ':memory:' || isStrataError(err) || !isDamage(err)) throw err;
    const path = asideName(file);
    renameSync(file, path);
    // The WAL and shared-memory files belong to the damaged database: replaying them into a new
    // one would be wrong, so they go with it.
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, path + suffix);
    }
    const reason = (err as Error).message;
    return { ...connect(file), setAside: { path, reason } };
  }
}
