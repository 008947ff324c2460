/**
 * Restores a snapshot (or the parts an include selects) into a target folder.
 *
 * Order: folders, file contents pack by pack (restore/content.ts, on worker threads),
 * hardlinks, symlinks, then folder metadata deepest first, so writing into a folder does not
 * undo its restored times. Nothing is written outside the target: names are checked
 * (sanitize.ts), every folder on the way is checked to be a real folder and not a symlink, and
 * files are created with O_EXCL and O_NOFOLLOW, so neither a hostile snapshot nor a symlink
 * already in the target can redirect a write. A damaged blob damages only the files that use
 * it; everything else is restored. The small filesystem calls are synchronous on purpose (see
 * metadata.ts).
 */
import { linkSync, lstatSync, mkdirSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import { withSession } from '../repository/locks';
import { loadIndexForReading } from '../repository/marks';
import type { Repository } from '../repository/repository';
import type { SnapshotRecord } from '../repository/snapshot';
import { watchHeap } from '../memory';
import { restoreWorkers, WorkerPool } from '../workers/pool';
import { createFiles } from '../workers/tasks';
import { writeContents, type FileJobs } from './content';
import { applyFileMetadata, applyMetadata } from './metadata';
import { shouldReplace, type OverwritePolicy } from './overwrite';
import { planRestore, type PlannedEntry, type RestorePlan } from './planner';

export interface RestoreOptions {
  readonly target: string;
  readonly includes?: readonly string[];
  readonly overwrite?: OverwritePolicy;
  readonly verify?: boolean;
  /** Worker threads; default one per core, 0 runs everything on the calling thread. */
  readonly workers?: number;
  readonly onProgress?: (p: { filesDone: number; bytesDone: number; bytesTotal: number }) => void;
}

export interface RestoreProblem {
  readonly path: string;
  readonly message: string;
}

export interface RestoreResult {
  readonly files: number;
  readonly dirs: number;
  readonly links: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly verified: number;
  /** Entries not restored, or restored damaged: the restore is incomplete when any exist. */
  readonly problems: readonly RestoreProblem[];
}

const lstatOrNone = (p: string) => lstatSync(p, { bigint: true, throwIfNoEntry: false });
/** The snapshot path of an entry's folder ('' for the top). */
const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));

/**
 * Restores (part of) a snapshot. A session marker tells prunes a restore is reading, so packs
 * it may use are not deleted under it.
 */
export async function restore(
  repo: Repository,
  snap: SnapshotRecord,
  options: RestoreOptions,
): Promise<RestoreResult> {
  return withSession(repo, 'restore', async (session) => {
    const { generation } = await loadIndexForReading(repo);
    await session.setSeenGeneration(generation);
    return restoreIn(repo, snap, options);
  });
}

async function restoreIn(
  repo: Repository,
  snap: SnapshotRecord,
  options: RestoreOptions,
): Promise<RestoreResult> {
  await mkdir(options.target, { recursive: true });
  const target = await realpath(options.target);
  // No watchHeap while planning: the plan is live to the end, and collecting as it grew
  // raised the peak (218 vs 205 MiB on the 1 GiB bench). It starts once the plan is made.
  const plan = await planRestore(repo, snap.snapshot.tree, target, options.includes ?? []);
  // The folders on the way to an include are planned whatever it matches: count the selected.
  if ((options.includes ?? []).length > 0 && plan.selected === 0) {
    throw new StrataError(
      'NOT_FOUND',
      `nothing in snapshot ${snap.id.slice(0, 8)} matches ${options.includes!.join(', ')}`,
    );
  }
  const size = options.workers ?? workersFor(plan) ?? restoreWorkers();
  const pool = new WorkerPool(repo.key, repo.config.chunker, repo.index, { size });
  // The plan is small now (planner.ts): collecting the content phase's garbage as it goes
  // lowers the peak (-12 MiB on the 1 GiB bench).
  const stopWatching = watchHeap();
  try {
    return await new Restorer(repo, pool, plan, options).run();
  } finally {
    stopWatching();
    await pool.close();
  }
}

/** Files of several blobs are created before their contents, this many per worker task. */
const CREATE_BATCH = 256;

/** Below both, one worker thread does the job: a second costs ~20-40 MiB and saves little. */
const SMALL_BYTES = 64 * 1024 * 1024;
const SMALL_FILES = 2048;

/**
 * Worker threads for a restore by default: one per core, but one for a small restore. (A large
 * one keeps two busy: opening, checking and decompressing blobs and creating files took ~11 s
 * of one worker's CPU for the 1 GiB bench, against ~3 s on the coordinator.)
 */
function workersFor(plan: RestorePlan): number | undefined {
  let bytes = 0;
  for (let i = 0; i < plan.files.length; i++) bytes += plan.files.size(i);
  return bytes < SMALL_BYTES && plan.files.length < SMALL_FILES ? 1 : undefined;
}

class Restorer {
  private readonly policy: OverwritePolicy;
  private readonly problems: RestoreProblem[];
  /** Snapshot paths of folders not restored: nothing below them is either. */
  private readonly blocked: string[] = [];
  private readonly dirs: PlannedEntry[] = [];
  /**
   * Snapshot paths of folders this restore made: nothing was in them, so their files need no
   * look at what is in their place (an lstat each, on the coordinator). Something that
   * appears there meanwhile is not overwritten: files are created with O_EXCL.
   */
  private readonly made = new Set<string>();
  /** Plan files (by number) to write: the content phase's jobs. */
  private readonly toWrite: number[] = [];
  /** Per job: its worker creates it (content.ts FileJobs). */
  private create = new Uint8Array(0);
  /** Files (by number) left in place because their content already matches (if-changed). */
  private readonly kept: number[] = [];
  /** Files a hardlink may link to, by snapshot path (kept only when the plan has hardlinks). */
  private readonly primaries = new Map<string, string>();
  private skipped = 0;
  private links = 0;
  private bytesDone = 0;

  constructor(
    private readonly repo: Repository,
    private readonly pool: WorkerPool,
    private readonly plan: RestorePlan,
    private readonly options: RestoreOptions,
  ) {
    this.policy = options.overwrite ?? 'always';
    this.problems = [...plan.problems];
  }

  private notePrimary(f: number): void {
    const files = this.plan.files;
    if (this.plan.hardlinks.length > 0) this.primaries.set(files.path(f), files.dest(f));
  }

  private isBlocked(path: string): boolean {
    return this.blocked.some((b) => path.startsWith(b + '/'));
  }

  async run(): Promise<RestoreResult> {
    this.makeFolders();
    await this.makeFiles();
    const damaged = await this.writeContent();
    this.makeLinks();
    for (const s of this.plan.special) {
      this.problems.push({
        path: s.path,
        message: `not restored: ${s.node.type} entries are recorded but not recreated`,
      });
    }
    for (const d of [...this.dirs].reverse()) applyMetadata(d.dest, d.node);
    const verified = this.options.verify ? await this.verify(damaged) : 0;
    return {
      files: this.toWrite.length,
      dirs: this.dirs.length,
      links: this.links,
      bytes: this.bytesDone,
      skipped: this.skipped,
      verified,
      problems: this.problems,
    };
  }

  /** 1. Real folders only: whatever else is in a folder's place is replaced (or, with "never", the folder and all below it are skipped). */
  private makeFolders(): void {
    for (const d of this.plan.dirs) {
      if (this.isBlocked(d.path)) continue;
      const st = lstatOrNone(d.dest);
      if (st && !st.isDirectory()) {
        if (this.policy === 'never') {
          this.blocked.push(d.path);
          this.problems.push({
            path: d.path,
            message: 'not restored: something else is in its place (overwrite: never)',
          });
          continue;
        }
        unlinkSync(d.dest);
      }
      if (!st?.isDirectory()) {
        mkdirSync(d.dest, { mode: 0o700 });
        this.made.add(d.path);
      }
      this.dirs.push(d);
    }
  }

  /** 2. Files: decide per policy, then create them empty at their final size. */
  private async makeFiles(): Promise<void> {
    // if-changed compares content ids, computed by a worker as for --verify.
    const hash = async (path: string) => {
      const [h] = await this.pool.run({ kind: 'hash-files', paths: [path] });
      return h?.ok ? h.ids : undefined;
    };
    const files = this.plan.files;
    const create: number[] = [];
    for (let f = 0; f < files.length; f++) {
      const path = files.path(f);
      if (this.isBlocked(path)) continue;
      const dest = files.dest(f);
      const st = this.made.has(parentOf(path)) ? undefined : lstatOrNone(dest);
      if (st) {
        if (st.isDirectory()) {
          this.problems.push({ path, message: 'not restored: a folder is in its place' });
          continue;
        }
        if (!(await shouldReplace(this.policy, dest, st, files.node(f), hash))) {
          this.skipped++;
          // Same content: its metadata is refreshed, unless it is a hardlink (its other names
          // may lie outside the target, and they would change too).
          if (this.policy === 'if-changed' && st.isFile()) {
            this.notePrimary(f);
            if (st.nlink === 1n) this.kept.push(f);
          }
          continue;
        }
        unlinkSync(dest);
      }
      create.push(f);
    }
    // Creating files is the costliest step of restoring many small ones: workers do it, and
    // a file of one blob is created by the worker that writes it (content.ts).
    const single = create.filter((f) => files.blobCount(f) === 1);
    const early = create.filter((f) => files.blobCount(f) !== 1);
    const batches: number[][] = [];
    for (let i = 0; i < early.length; i += CREATE_BATCH) {
      batches.push(early.slice(i, i + CREATE_BATCH));
    }
    const toCreate = (batch: number[]) =>
      batch.map((f) => ({ path: files.dest(f), size: files.size(f) }));
    // One batch is created here: no worker is running yet, and waiting for the first one to
    // start (~100 ms) to create a few dozen files left both cores idle.
    const results =
      batches.length === 1
        ? [createFiles(toCreate(batches[0]!))]
        : await Promise.all(
            batches.map((batch) => this.pool.run({ kind: 'create-files', files: toCreate(batch) })),
          );
    batches.forEach((batch, b) =>
      batch.forEach((f, i) => {
        const failure = results[b]![i];
        if (failure) {
          this.problems.push({ path: files.path(f), message: `not restored: ${failure}` });
          return;
        }
        this.toWrite.push(f);
        this.notePrimary(f);
      }),
    );
    const first = this.toWrite.length;
    for (const f of single) {
      this.toWrite.push(f);
      this.notePrimary(f);
    }
    this.create = new Uint8Array(this.toWrite.length).fill(1, first);
  }

  /** 3. Contents, pack by pack; each file's metadata as soon as it is complete. */
  private async writeContent(): Promise<Map<number, string>> {
    const files = this.plan.files;
    let filesDone = 0;
    let bytesTotal = 0;
    for (const f of this.toWrite) bytesTotal += files.size(f);
    const jobs: FileJobs = { files, list: this.toWrite, create: this.create };
    const { damaged, notCreated } = await writeContents(
      this.repo,
      this.pool,
      jobs,
      (j) => {
        filesDone++;
        this.options.onProgress?.({ filesDone, bytesDone: this.bytesDone, bytesTotal });
        const f = this.toWrite[j]!;
        if (!jobs.create[j]) applyFileMetadata(files.dest(f), files.meta(f));
      },
      (n) => {
        this.bytesDone += n;
      },
    );
    for (const [j, message] of damaged)
      this.problems.push({ path: files.path(this.toWrite[j]!), message: `damaged: ${message}` });
    for (const [j, message] of notCreated) {
      const path = files.path(this.toWrite[j]!);
      this.problems.push({ path, message: `not restored: ${message}` });
      this.primaries.delete(path);
    }
    for (const f of this.kept) applyFileMetadata(files.dest(f), files.meta(f));
    return damaged;
  }

  /** 4. Hardlinks to the first file of their group, 5. symlinks, stored as they were. */
  private makeLinks(): void {
    for (const h of this.plan.hardlinks) {
      if (this.isBlocked(h.path)) continue;
      const primary = this.primaries.get(h.primary);
      if (!primary) {
        this.problems.push({
          path: h.path,
          message: 'hardlink not restored: its first file was not restored',
        });
        continue;
      }
      if (!this.makeRoom(h.dest)) continue;
      linkSync(primary, h.dest);
      this.links++;
    }
    for (const s of this.plan.symlinks) {
      if (this.isBlocked(s.path) || !this.makeRoom(s.dest)) continue;
      symlinkSync(s.node.target ?? '', s.dest);
      applyMetadata(s.dest, s.node);
      this.links++;
    }
  }

  /** Clears the place for a link unless the policy keeps what is there; false when kept. */
  private makeRoom(dest: string): boolean {
    const st = lstatOrNone(dest);
    if (!st) return true;
    if (this.policy === 'never' || st.isDirectory()) {
      this.skipped++;
      return false;
    }
    rmSync(dest, { force: true });
    return true;
  }

  /** 7. Proves what was written: workers re-read each file and compare its content ids. */
  private async verify(damaged: ReadonlyMap<number, string>): Promise<number> {
    const files = this.plan.files;
    const check = this.toWrite.filter((_, j) => !damaged.has(j));
    const batches: number[][] = [];
    for (let i = 0; i < check.length; i += 64) batches.push(check.slice(i, i + 64));
    let verified = 0;
    await Promise.all(
      batches.map(async (batch) => {
        const paths = batch.map((f) => files.dest(f));
        const hashed = await this.pool.run({ kind: 'hash-files', paths });
        batch.forEach((f, i) => {
          const h = hashed[i]!;
          const node = files.node(f);
          if (h.ok && h.size === node.size && h.ids.join() === (node.content ?? []).join())
            verified++;
          else {
            const why = h.ok ? 'the restored file differs from the snapshot' : h.message;
            this.problems.push({ path: files.path(f), message: `verification failed: ${why}` });
          }
        });
      }),
    );
    return verified;
  }
}
