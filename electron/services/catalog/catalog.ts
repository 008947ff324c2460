/**
 * The catalog: a local SQLite cache of jobs, runs, each destination's snapshots and a path
 * index for browsing, file history and search.
 *
 * It is a cache, never the authority (ENGINE.md invariant 5): everything but jobs and runs is
 * rebuilt from the repositories, and nothing here decides what is deleted remotely. Its
 * methods are synchronous where SQLite is (fast, but they block the thread): the app's main
 * process uses it through CatalogClient, which runs it in a worker; the CLI may use it directly.
 */
import type Database from 'better-sqlite3';
import type { Job } from '../../../shared/jobs';
import type { Repository } from '../../engine/repository/repository';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { StrataError } from '../../../shared/errors';
import { Browser } from './browse';
import { JobsTable } from './jobs';
import { openDb } from './open-db';
import { PathIndex, type TreeSource } from './path-index';
import { PathDictionary } from './paths';
import { RunsTable } from './runs';
import { compareSnapshots, SnapshotRows } from './snapshot-rows';
import { Syncer } from './sync';
import type {
  CachedSnapshot,
  DestinationUsage,
  CatalogStats,
  FileVersion,
  FolderEntry,
  LogLine,
  Run,
  RunEnd,
  RunStart,
  SearchHit,
  SyncResult,
} from './types';

/** Opens a destination's repository (the caller knows where it is and its password). */
export type OpenRepo = (destinationId: string) => Promise<Repository>;

export class Catalog {
  /** Where a damaged catalog file was moved when this one was made in its place. */
  readonly setAside?: { readonly path: string; readonly reason: string };
  /** True when the file was new (or replaced): every destination needs a sync. */
  readonly fresh: boolean;
  private readonly jobsTable: JobsTable;
  private readonly runsTable: RunsTable;
  private readonly rows: SnapshotRows;
  private readonly browser: Browser;
  private readonly syncer: Syncer;
  /** Syncs one at a time: each plans against the state the one before left. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Database.Database,
    opened: ReturnType<typeof openDb>,
  ) {
    if (opened.setAside) this.setAside = opened.setAside;
    this.fresh = opened.foundVersion === 0;
    const paths = new PathDictionary(db);
    this.jobsTable = new JobsTable(db);
    this.runsTable = new RunsTable(db);
    this.rows = new SnapshotRows(db);
    this.browser = new Browser(db, paths, this.rows);
    this.syncer = new Syncer(db, this.rows, new PathIndex(db, paths));
  }

  /** Opens the catalog at `file` (':memory:' for tests), moving a damaged one aside. */
  static open(file: string): Catalog {
    const opened = openDb(file);
    return new Catalog(opened.db, opened);
  }

  close(): void {
    this.db.close();
  }

  // Jobs

  listJobs(): Job[] {
    return this.jobsTable.list();
  }
  getJob(id: string): Job | undefined {
    return this.jobsTable.get(id);
  }
  /** Validates with shared/jobs.ts (INVALID_ARGUMENT saying what is wrong) and stores. */
  putJob(job: unknown): Job {
    return this.jobsTable.put(job);
  }
  /** Removes a job and its runs. */
  removeJob(id: string): boolean {
    return this.jobsTable.remove(id);
  }

  // Runs

  startRun(start: RunStart): number {
    return this.runsTable.start(start);
  }
  finishRun(id: number, end: RunEnd): Run {
    return this.runsTable.finish(id, end);
  }
  getRun(id: number): Run | undefined {
    return this.runsTable.get(id);
  }
  listRuns(jobId?: string, limit?: number): Run[] {
    return this.runsTable.list(jobId, limit);
  }
  appendLog(runId: number, lines: readonly LogLine[]): void {
    this.runsTable.appendLog(runId, lines);
  }
  runLog(runId: number): LogLine[] {
    return this.runsTable.log(runId);
  }

  // Snapshots and the path index

  destinations(): { id: string; synced: string | null }[] {
    return this.rows.destinations();
  }
  snapshots(destinationId: string): CachedSnapshot[] {
    return this.rows.list(destinationId);
  }

  /** When the newest cached snapshot of a destination was made, without listing them all. */
  newestSnapshotTime(destinationId: string): string | undefined {
    return this.rows.newestTime(destinationId);
  }

  /** Snapshot count, sizes and what the repository takes, as of the destination's last sync. */
  usage(destinationId: string): DestinationUsage | undefined {
    return this.rows.usage(destinationId);
  }

  /** Makes the cached snapshots of a destination what its repository holds. */
  syncSnapshots(destinationId: string, repo: Repository): Promise<SyncResult> {
    return this.serial(() => this.syncer.sync(destinationId, repo));
  }

  /**
   * Indexes one snapshot newer than every cached one, with trees from any source (the
   * benchmark synthesizes them; syncSnapshots is the normal way in).
   */
  indexSnapshot(
    destinationId: string,
    record: SnapshotRecord,
    trees: TreeSource,
    pinned = false,
  ): Promise<void> {
    return this.serial(async () => {
      const dest = this.rows.ensureDest(destinationId);
      const newest = this.rows.list(destinationId).at(-1);
      if (newest && compareSnapshots({ time: record.snapshot.time, id: record.id }, newest) <= 0) {
        throw new StrataError(
          'INVALID_ARGUMENT',
          `snapshot ${record.id} is not newer than the newest one cataloged`,
        );
      }
      const problem = await this.syncer.add(dest, record, trees, pinned);
      if (problem) throw new StrataError('REPO_CORRUPT', problem.message);
    });
  }

  /**
   * Drops the cached snapshots and path index of each destination and syncs it again from its
   * repository: what "restore on a new machine" and a stale catalog use. Jobs and runs stay.
   */
  async rebuild(destinations: readonly string[], openRepo: OpenRepo): Promise<SyncResult[]> {
    const results: SyncResult[] = [];
    for (const id of destinations) {
      const repo = await openRepo(id);
      results.push(
        await this.serial(() => {
          const dest = this.rows.dest(id);
          if (dest !== undefined) this.db.transaction(() => this.rows.clear(dest))();
          return this.syncer.sync(id, repo);
        }),
      );
    }
    return results;
  }

  listFolder(destinationId: string, snapshotId: string, path: string): FolderEntry[] {
    return this.browser.listFolder(destinationId, snapshotId, path);
  }
  fileVersions(destinationId: string, path: string): FileVersion[] {
    return this.browser.fileVersions(destinationId, path);
  }
  search(destinationId: string | null, pattern: string, limit?: number): SearchHit[] {
    return this.browser.search(destinationId, pattern, limit);
  }

  /** Row counts and file size, for the benchmark and diagnostics. */
  stats(): CatalogStats {
    const count = (table: string): number =>
      (this.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const pageSize = this.db.pragma('page_size', { simple: true }) as number;
    return {
      jobs: count('jobs'),
      runs: count('runs'),
      snapshots: count('snapshots'),
      paths: count('paths'),
      versions: count('versions'),
      bytes: pages * pageSize,
    };
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
