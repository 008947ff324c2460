/**
 * The path index: which entry each path had in each snapshot, stored as intervals.
 *
 * A destination's snapshots are numbered in time order (seq). A row of `versions` says "path P
 * had this entry (type, size, mtime, content key) in every snapshot from first_seq to last_seq";
 * a row still present in the newest indexed snapshot has last_seq = OPEN_SEQ. Indexing a new
 * snapshot therefore writes only what changed: an unchanged entry's open row simply stays open
 * (no update at all), a changed or vanished entry's row is closed at the previous seq, and a
 * new or changed entry gets a new open row. Storage grows with changes, not snapshots x files.
 *
 * The new snapshot is compared with the catalog's own open rows, folder by folder. A folder
 * whose subtree id is unchanged is identical all the way down (tree ids are hashes of their
 * content, children's tree ids included), so it is skipped without loading its tree: a backup
 * that changed 1% of files costs the catalog the folders on the way to those files.
 *
 * Indexing has two phases so the async tree loading never holds a write transaction open:
 * plan() reads trees and the current open rows and lists the writes; apply() does them all in
 * one synchronous transaction together with the snapshot's own row. A crash between snapshots
 * leaves a catalog that is simply missing the later ones.
 */
import type Database from 'better-sqlite3';
import type { Tree } from '../../engine/repository/tree';
import { OPEN_SEQ } from './migrations';
import { DIR_TYPE, entryOf, sameContent, sameEntry, type Entry } from './entry';
import { ROOT_PATH_ID, type PathDictionary } from './paths';

/** Where trees come from: a Repository, or anything that can produce trees by id. */
export interface TreeSource {
  loadTree(id: string): Promise<Tree>;
}

/** A path id (> 0) or, for a path new to the dictionary, -(1 + its index in newPaths). */
type PathRef = number;

interface OpenRow extends Entry {
  readonly pathId: number;
  readonly firstSeq: number;
}

export interface IndexPlan {
  readonly newPaths: { parent: PathRef; name: string }[];
  readonly inserts: { path: PathRef; entry: Entry }[];
  /** Open rows to close at the previous seq: (path id, first seq). */
  readonly closes: [number, number][];
  /** Folders whose open descendants all close (the folder vanished or stopped being one). */
  readonly closeBelow: number[];
}

export class PathIndex {
  private readonly openChildren: Database.Statement<[number, number, number], OpenRow>;

  constructor(
    private readonly db: Database.Database,
    private readonly paths: PathDictionary,
  ) {
    this.openChildren = db.prepare(
      'SELECT v.path_id AS pathId, p.name AS name, v.first_seq AS firstSeq, v.type AS type, ' +
        'v.size AS size, v.mtime AS mtime, v.content AS content ' +
        'FROM paths p JOIN versions v ON v.path_id = p.id ' +
        'WHERE p.parent_id = ? AND v.dest = ? AND v.last_seq = ?',
    );
  }

  /**
   * Lists the writes that make `rootTree` the newest indexed snapshot of `dest`, given that the
   * open rows describe `previousRoot` (undefined: nothing indexed yet).
   */
  async plan(
    dest: number,
    rootTree: string,
    previousRoot: string | undefined,
    trees: TreeSource,
  ): Promise<IndexPlan> {
    const plan: IndexPlan = { newPaths: [], inserts: [], closes: [], closeBelow: [] };
    if (rootTree !== previousRoot) await this.planFolder(dest, rootTree, ROOT_PATH_ID, trees, plan);
    return plan;
  }

  private async planFolder(
    dest: number,
    treeId: string,
    folder: PathRef,
    trees: TreeSource,
    plan: IndexPlan,
  ): Promise<void> {
    const tree = await trees.loadTree(treeId);
    const before = new Map<string, OpenRow & { name: string }>();
    if (folder > 0) {
      for (const row of this.openChildren.all(folder, dest, OPEN_SEQ) as (OpenRow & {
        name: string;
      })[]) {
        before.set(row.name, row);
      }
    }
    const seen = new Set<string>();
    for (const node of tree.nodes) {
      // A damaged or hostile tree may repeat a name; the first entry is the one browsed.
      if (seen.has(node.name)) continue;
      seen.add(node.name);
      const entry = entryOf(node);
      const old = before.get(node.name);
      before.delete(node.name);
      if (old && sameEntry(old, entry)) continue; // unchanged, and so is everything below it
      let ref: PathRef;
      if (old) {
        plan.closes.push([old.pathId, old.firstSeq]);
        if (old.type === DIR_TYPE && entry.type !== DIR_TYPE) plan.closeBelow.push(old.pathId);
        ref = old.pathId;
      } else {
        ref = (folder > 0 ? this.paths.child(folder, node.name) : undefined) ?? 0;
        if (ref === 0) ref = -plan.newPaths.push({ parent: folder, name: node.name });
      }
      plan.inserts.push({ path: ref, entry });
      // A folder whose subtree is unchanged (only its own times moved) keeps its children.
      const sameBelow = old !== undefined && sameContent(old, entry);
      if (node.type === 'dir' && node.subtree && !sameBelow) {
        await this.planFolder(dest, node.subtree, ref, trees, plan);
      }
    }
    for (const gone of before.values()) {
      plan.closes.push([gone.pathId, gone.firstSeq]);
      if (gone.type === DIR_TYPE) plan.closeBelow.push(gone.pathId);
    }
  }

  /** Does the plan's writes for snapshot `seq` (call inside the transaction that adds it). */
  apply(dest: number, seq: number, plan: IndexPlan): void {
    const previous = seq - 1;
    // Every open row below a folder, found by walking the dictionary down from it.
    const closeBelow = this.db.prepare(
      'WITH RECURSIVE below(id) AS (SELECT id FROM paths WHERE parent_id = ? ' +
        'UNION ALL SELECT p.id FROM paths p JOIN below b ON p.parent_id = b.id) ' +
        'UPDATE versions SET last_seq = ? ' +
        'WHERE dest = ? AND last_seq = ? AND path_id IN (SELECT id FROM below)',
    );
    for (const folder of plan.closeBelow) closeBelow.run(folder, previous, dest, OPEN_SEQ);
    const close = this.db.prepare(
      'UPDATE versions SET last_seq = ? WHERE path_id = ? AND dest = ? AND first_seq = ?',
    );
    for (const [pathId, firstSeq] of plan.closes) close.run(previous, pathId, dest, firstSeq);

    const ids: number[] = [];
    const resolve = (ref: PathRef): number => (ref > 0 ? ref : ids[-ref - 1]!);
    for (const p of plan.newPaths) ids.push(this.paths.ensureChild(resolve(p.parent), p.name));
    const insert = this.db.prepare(
      'INSERT INTO versions (path_id, dest, first_seq, last_seq, type, size, mtime, content) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const { path, entry: e } of plan.inserts) {
      insert.run(resolve(path), dest, seq, OPEN_SEQ, e.type, e.size, e.mtime, e.content);
    }
  }
}
