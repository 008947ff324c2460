/**
 * The paths dictionary: every path any indexed snapshot ever held, once, as (id, parent, name).
 * Versions refer to paths by id, so a path shared by 100 snapshots (or by two destinations of
 * one job) is stored once. The root is id 1 (parent 0, name '').
 */
import type Database from 'better-sqlite3';
import { splitPath } from '../../engine/repository/walk';

export const ROOT_PATH_ID = 1;

export class PathDictionary {
  private readonly childStmt: Database.Statement<[number, string], { id: number }>;
  private readonly insertStmt: Database.Statement<[number, string]>;
  private readonly rowStmt: Database.Statement<[number], { parent_id: number; name: string }>;

  constructor(db: Database.Database) {
    this.childStmt = db.prepare('SELECT id FROM paths WHERE parent_id = ? AND name = ?');
    this.insertStmt = db.prepare('INSERT INTO paths (parent_id, name) VALUES (?, ?)');
    this.rowStmt = db.prepare('SELECT parent_id, name FROM paths WHERE id = ?');
  }

  child(parentId: number, name: string): number | undefined {
    return this.childStmt.get(parentId, name)?.id;
  }

  /** The id of a child, made when missing (call inside a write transaction). */
  ensureChild(parentId: number, name: string): number {
    return (
      this.child(parentId, name) ?? Number(this.insertStmt.run(parentId, name).lastInsertRowid)
    );
  }

  /** The id of a '/'-separated path ('' or '/' is the root), if any snapshot ever held it. */
  lookup(path: string): number | undefined {
    let id: number | undefined = ROOT_PATH_ID;
    for (const name of splitPath(path)) {
      id = this.child(id, name);
      if (id === undefined) return undefined;
    }
    return id;
  }

  /** The full path of an id ('/a/b'), using and filling `cache` (parents are shared). */
  fullPath(id: number, cache = new Map<number, string>()): string {
    if (id === ROOT_PATH_ID) return '';
    const hit = cache.get(id);
    if (hit !== undefined) return hit;
    const row = this.rowStmt.get(id);
    if (!row) throw new Error(`path ${id} is missing from the catalog`);
    const path = `${this.fullPath(row.parent_id, cache)}/${row.name}`;
    cache.set(id, path);
    return path;
  }
}
