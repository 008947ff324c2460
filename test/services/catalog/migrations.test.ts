/**
 * Opening the catalog file: migrations from empty, a newer catalog refused untouched, a
 * damaged one set aside and replaced, WAL and foreign keys on.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, SCHEMA_VERSION } from '../../../electron/services/catalog';
import { tempDir } from '../../helpers/cli';

describe('catalog file and migrations', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let file: string;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('strata-catalog-mig-'));
    file = join(dir, 'sub', 'catalog.db');
  });
  afterEach(() => cleanup());

  it('runs every migration from empty, once, in WAL mode with foreign keys on', () => {
    const c = Catalog.open(file);
    expect(c.fresh).toBe(true);
    expect(c.setAside).toBeUndefined();
    c.close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual([
      'destinations',
      'jobs',
      'paths',
      'run_log',
      'runs',
      'snapshots',
      'versions',
    ]);
    db.close();
    const again = Catalog.open(file);
    expect(again.fresh).toBe(false);
    expect(again.stats()).toMatchObject({ paths: 1, versions: 0 });
    again.close();
  });

  it('refuses a catalog from a newer Strata and leaves it as it is', () => {
    Catalog.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const bytes = readFileSync(file);
    expect(() => Catalog.open(file)).toThrow(
      new RegExp(`written by a newer Strata \\(catalog schema ${SCHEMA_VERSION + 1}`),
    );
    expect(readFileSync(file)).toEqual(bytes);
  });

  it('sets a damaged file aside with a timestamp and starts afresh', () => {
    const garbage = Buffer.alloc(4096, 7);
    Catalog.open(file).close();
    writeFileSync(file, garbage);
    const c = Catalog.open(file);
    expect(c.setAside).toBeDefined();
    expect(c.setAside!.path).toMatch(/catalog\.db\.damaged-\d{4}-\d\d-\d\dT/);
    expect(c.setAside!.reason).toMatch(/not a database/i);
    expect(readFileSync(c.setAside!.path)).toEqual(garbage);
    expect(c.fresh).toBe(true);
    expect(c.listJobs()).toEqual([]);
    c.close();
  });

  it('sets aside a SQLite file that is not a catalog', () => {
    const db = new Database(file.replace('sub/', ''));
    db.exec('CREATE TABLE jobs (x)');
    db.close();
    const c = Catalog.open(file.replace('sub/', ''));
    expect(c.setAside?.reason).toMatch(/already exists/);
    expect(existsSync(c.setAside!.path)).toBe(true);
    c.close();
  });
});
