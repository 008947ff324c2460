/**
 * Syncing a destination's cached snapshots with its repository. The repository decides: a
 * snapshot it lists is added (and indexed), one it no longer lists is dropped. One it lists but
 * cannot read is kept if cached (a damaged file is not a forgotten snapshot) and reported.
 *
 * Snapshots are numbered in time order, so one older than the newest already indexed (a backup
 * from another computer with a slow clock, a copy from elsewhere) cannot be slotted in: the
 * destination's index is then rebuilt from the repository. That is rare and costs a re-walk
 * (skipping unchanged subtrees as always), never a wrong answer.
 */
import type Database from 'better-sqlite3';
import { isStrataError } from '../../../shared/errors';
import { listPins } from '../../engine/repository/pins';
import type { Repository } from '../../engine/repository/repository';
import { storedSize } from '../../engine/repository/stored-size';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { listSnapshots } from '../../engine/repository/snapshots';
import type { PathIndex, TreeSource } from './path-index';
import { compareSnapshots, type SnapshotRows } from './snapshot-rows';
import type { SyncResult } from './types';

type Problem = SyncResult['problems'][number];

export class Syncer {
  constructor(
    private readonly db: Database.Database,
    private readonly rows: SnapshotRows,
    private readonly index: PathIndex,
  ) {}

  async sync(destinationId: string, repo: Repository): Promise<SyncResult> {
    // Snapshots before the index (invariant 2): a snapshot finished meanwhile finds its blobs.
    const listed = await listSnapshots(repo);
    const pins = await listPins(repo);
    const problems: Problem[] = [...listed.problems, ...pins.problems].map((p) => ({
      name: `${p.kind} ${p.name}`,
      message: p.message,
    }));
    const unreadable = new Set(listed.problems.map((p) => p.name));
    const present = new Set(listed.snapshots.map((r) => r.id));

    const dest = this.rows.ensureDest(destinationId);
    const cached = this.rows.list(destinationId);
    const known = new Set(cached.map((c) => c.id));
    const forgotten = cached.filter((c) => !present.has(c.id) && !unreadable.has(c.id));
    this.db.transaction(() =>
      this.rows.remove(
        dest,
        forgotten.map((c) => c.id),
      ),
    )();

    let fresh = listed.snapshots.filter((r) => !known.has(r.id));
    const kept = cached.filter((c) => !forgotten.includes(c));
    const newest = kept.at(-1);
    const reindexed =
      newest !== undefined &&
      fresh.some((r) => compareSnapshots({ time: r.snapshot.time, id: r.id }, newest) < 0);
    if (reindexed) {
      this.db.transaction(() => this.rows.clear(dest))();
      fresh = listed.snapshots;
    }
    if (fresh.length > 0) {
      const indexProblems = await repo.loadIndex();
      problems.push(...indexProblems.map((p) => ({ name: `index ${p.name}`, message: p.message })));
    }
    for (const record of fresh) {
      const problem = await this.add(dest, record, repo, pins.pinned.has(record.id));
      if (problem) problems.push(problem);
    }
    // Measured after the snapshots so the size includes everything they name.
    const stored = await storedSize(repo.backend);
    this.db.transaction(() => {
      this.rows.setPins(dest, pins.pinned);
      this.rows.setStored(dest, stored.bytes);
      this.rows.markSynced(dest);
    })();
    return {
      added: fresh.length,
      removed: forgotten.length + (reindexed ? kept.length : 0),
      reindexed,
      problems,
    };
  }

  /**
   * Indexes a snapshot newer than every one cached. A snapshot whose trees cannot be read is
   * cached as not indexed (listed, not browsable) and returned as a problem; any other error
   * (the destination went away) stops the sync, leaving the snapshots indexed so far.
   */
  async add(
    dest: number,
    record: SnapshotRecord,
    trees: TreeSource,
    pinned: boolean,
  ): Promise<Problem | undefined> {
    const previousRoot = this.rows.newestIndexedTree(dest);
    try {
      const plan = await this.index.plan(dest, record.snapshot.tree, previousRoot, trees);
      this.db.transaction(() => {
        const seq = (this.rows.newest(dest)?.seq ?? 0) + 1;
        this.rows.insert(dest, seq, record, pinned, true);
        this.index.apply(dest, seq, plan);
      })();
      return undefined;
    } catch (err) {
      if (!isStrataError(err, 'REPO_CORRUPT')) throw err;
      this.db.transaction(() => {
        const seq = (this.rows.newest(dest)?.seq ?? 0) + 1;
        this.rows.insert(dest, seq, record, pinned, false);
      })();
      return { name: `snapshot ${record.id}`, message: (err as Error).message };
    }
  }
}
