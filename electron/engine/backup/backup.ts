/**
 * One backup, start to finish: choose the parent, archive the sources, store the last packs and
 * index, then write the snapshot (always last: a snapshot that exists is complete).
 *
 * The snapshot's root tree holds the sources at their full absolute paths, so `/home/ann/docs`
 * is browsed and restored as home/ann/docs; the folders above a source keep their metadata.
 */
import { lstat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { StrataError } from '../../../shared/errors';
import { STRATA_VERSION } from '../../../shared/version';
import { whoAmI, type Repository } from '../repository/repository';
import { Session } from '../repository/locks';
import { loadMarks } from '../repository/marks';
import { BlobSaver } from '../repository/saver';
import { SNAPSHOT_VERSION, type BackupSummary, type Snapshot } from '../repository/snapshot';
import { listSnapshots, matchesFilter, resolveSnapshot } from '../repository/snapshots';
import { encodeTree, findNode, type Tree, type TreeNode } from '../repository/tree';
import { Archiver, type Counts, type Later, type PauseGate } from './archiver';
import type { ChangeOptions } from './change-detection';
import { makeExcluder } from './excludes';
import { metaFromStat } from './node-meta';
import { watchHeap } from '../memory';
import { WorkerPool } from '../workers/pool';
import { ProgressTracker, type BackupProgress, type BackupWarning } from './progress';
import { scanTotals } from './scan';

export interface BackupOptions extends ChangeOptions {
  readonly paths: readonly string[];
  readonly excludes?: readonly string[];
  readonly tags?: readonly string[];
  readonly host?: string;
  /** The snapshot's time (imports, tests); defaults to now. */
  readonly time?: Date;
  /** A parent snapshot id or prefix; by default the latest with the same host and paths. */
  readonly parent?: string;
  readonly dryRun?: boolean;
  readonly packSize?: number;
  /** Worker threads; default one per core, 0 runs everything on the calling thread. */
  readonly workers?: number;
  readonly signal?: AbortSignal;
  /** Pauses the backup between batches of files (the runner's pause / resume). */
  readonly pause?: PauseGate;
  readonly onProgress?: (p: BackupProgress) => void;
  readonly onWarning?: (w: BackupWarning) => void;
  /** How often to report progress, in milliseconds. */
  readonly progressEveryMs?: number;
}

export interface BackupResult {
  /** Undefined for a dry run. */
  readonly snapshotId?: string;
  readonly parent?: string;
  readonly summary: BackupSummary;
  readonly warnings: readonly BackupWarning[];
}

/** Absolute, deduplicated sources; one inside another is covered by the outer one. */
export function normaliseSources(paths: readonly string[]): string[] {
  if (paths.length === 0)
    throw new StrataError('INVALID_ARGUMENT', 'give at least one path to back up');
  const abs = [...new Set(paths.map((p) => resolve(p)))].sort();
  return abs.filter((p) => !abs.some((q) => q !== p && (q === sep || p.startsWith(q + sep))));
}

/** A folder in the snapshot's root that is not itself a source: a step on the way to one. */
interface PathStep {
  readonly children: Map<string, PathStep | string>;
}

function buildSteps(sources: readonly string[]): PathStep {
  const root: PathStep = { children: new Map() };
  for (const source of sources) {
    const parts = source.split(sep).filter((p) => p !== '');
    let step = root;
    parts.forEach((part, i) => {
      if (i === parts.length - 1) {
        step.children.set(part, source);
      } else {
        let next = step.children.get(part);
        if (typeof next !== 'object') {
          next = { children: new Map() };
          step.children.set(part, next);
        }
        step = next;
      }
    });
  }
  return root;
}

/**
 * Backs up `options.paths`. The repository must be freshly opened: the backup's view of the
 * index leaves out packs a prune marked, which an index loaded earlier would still hold.
 *
 * A session marker announces the backup to prunes for as long as it runs (locks.ts); it is
 * written before anything is read, and says which marks the view was built from.
 */
export async function backup(repo: Repository, options: BackupOptions): Promise<BackupResult> {
  if (repo.indexFiles.size > 0) {
    throw new StrataError('INVALID_ARGUMENT', 'a backup needs a freshly opened repository');
  }
  const session = options.dryRun ? undefined : await Session.start(repo, 'backup');
  try {
    return await backupIn(repo, options, session);
  } finally {
    await session?.end().catch(() => undefined);
  }
}

/**
 * Before the snapshot is written: if the session marker may have gone stale (the process was
 * stopped or the machine slept for longer than the lock timeout) and a prune has run since,
 * packs this backup relies on may be gone. Then no snapshot is written.
 */
async function assertViewStillSafe(repo: Repository, seen: number | null): Promise<void> {
  const now = await loadMarks(repo);
  if (seen !== null && now.damaged.length === 0 && now.generation === seen) return;
  throw new StrataError(
    'SESSION_EXPIRED',
    'the backup was paused for longer than the lock timeout while a prune ran, so data it relied on may have been removed; no snapshot was written. Run the backup again: it reuses what this one stored.',
  );
}

async function backupIn(
  repo: Repository,
  options: BackupOptions,
  session: Session | undefined,
): Promise<BackupResult> {
  const startedAt = new Date();
  const sources = normaliseSources(options.paths);
  for (const source of sources) {
    try {
      await lstat(source);
    } catch (err) {
      throw new StrataError('NOT_FOUND', `cannot back up ${source}: ${(err as Error).message}`);
    }
  }
  const who = whoAmI();
  const host = options.host ?? who.host;
  // Marks, then snapshots, then the index: a parent listed here was not unused when the marks
  // were made, so its trees are in the view.
  const marks = await loadMarks(repo);
  const seen = marks.damaged.length > 0 ? null : marks.generation;
  const { snapshots } = await listSnapshots(repo);
  await repo.loadIndex({ marked: new Set(marks.packs.keys()), excludeMarked: true });
  await session?.setSeenGeneration(seen);
  const parent = options.parent
    ? resolveSnapshot(snapshots, options.parent)
    : snapshots.filter((r) => matchesFilter(r.snapshot, { host, paths: sources })).at(-1);
  const parentStartNs = parent
    ? BigInt(Date.parse(parent.snapshot.summary.started)) * 1_000_000n
    : undefined;

  const warnings: BackupWarning[] = [];
  const counts: Counts = {
    filesNew: 0,
    filesChanged: 0,
    filesUnchanged: 0,
    dirsNew: 0,
    dirsChanged: 0,
    dirsUnchanged: 0,
    filesChangedDuringBackup: 0,
    totalBytes: 0,
    bytesRead: 0,
  };
  const progress = new ProgressTracker();
  const saver = new BlobSaver(repo, { packSize: options.packSize, dryRun: options.dryRun });
  const exclude = makeExcluder(options.excludes ?? []);
  const pool = new WorkerPool(repo.key, repo.config.chunker, repo.index, { size: options.workers });
  const archiver = new Archiver({
    repo,
    saver,
    pool,
    exclude,
    counts,
    progress,
    change: options,
    parentStartNs,
    signal: options.signal,
    pause: options.pause,
    warn: (w) => {
      warnings.push(w);
      options.onWarning?.(w);
    },
  });

  let timer: NodeJS.Timeout | undefined;
  if (options.onProgress) {
    const report = options.onProgress;
    void scanTotals(sources, exclude, options.signal).then((t) => {
      progress.filesTotal = t.files;
      progress.bytesTotal = t.bytes;
    });
    timer = setInterval(
      () => report(progress.snapshot('backing-up')),
      options.progressEveryMs ?? 250,
    );
  }
  let rootTree: string;
  const stopWatching = watchHeap();
  try {
    const parentRoot = parent
      ? await archiver.parentTree({ type: 'dir', subtree: parent.snapshot.tree } as TreeNode, sep)
      : undefined;
    // Backing up "/" covers everything: the root folder itself is the snapshot's root tree.
    const whole = sources.length === 1 && sources[0] === sep;
    const walked = whole
      ? await archiver.walkDir(sep, '', parentRoot)
      : await walkStep(archiver, saver, buildSteps(sources), '', parentRoot);
    await archiver.send();
    const root = await walked.later;
    if (root === undefined) throw new StrataError('PERMISSION_DENIED', `cannot list ${sep}`);
    rootTree = root;
    options.onProgress?.(progress.snapshot('finishing'));
    await saver.flush();
    // Interrupted while finishing: what is stored stays indexed, but no snapshot is written.
    if (options.signal?.aborted) throw new StrataError('INTERRUPTED', 'the backup was interrupted');
  } catch (err) {
    // Keep what is already stored findable, so the next run need not upload it again.
    if (!options.dryRun) await saver.flush().catch(() => undefined);
    throw err;
  } finally {
    stopWatching();
    if (timer) clearInterval(timer);
    await pool.close();
  }

  const summary: BackupSummary = {
    ...counts,
    warnings: warnings.length,
    blobsAdded: saver.stats.blobsAdded,
    bytesAdded: saver.stats.bytesAdded,
    bytesStored: saver.stats.bytesStored,
    started: startedAt.toISOString(),
    finished: new Date().toISOString(),
  };
  const snapshot: Snapshot = {
    version: SNAPSHOT_VERSION,
    time: (options.time ?? startedAt).toISOString(),
    host,
    username: who.username,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    paths: sources,
    tags: [...(options.tags ?? [])],
    excludes: [...(options.excludes ?? [])],
    parent: parent?.id,
    tree: rootTree,
    program: `strata ${STRATA_VERSION}`,
    summary,
  };
  if (session?.lost()) await assertViewStillSafe(repo, seen);
  const snapshotId = options.dryRun
    ? undefined
    : await repo.saveFile('snapshots', Buffer.from(JSON.stringify(snapshot)));
  // Paused between the check and the write: the snapshot may name deleted packs. It is ours
  // and not yet reported, so it is taken back.
  if (snapshotId && session?.lost()) {
    await assertViewStillSafe(repo, seen).catch(async (err: unknown) => {
      await repo.backend.remove({ kind: 'snapshots', name: snapshotId }).catch(() => undefined);
      throw err;
    });
  }
  options.onProgress?.(progress.snapshot('done'));
  return { snapshotId, parent: parent?.id, summary, warnings };
}

/**
 * Walks one step of the path to the sources (the root, then home, then home/ann, ...); the
 * inner promise resolves to the step's tree id once it is saved.
 */
async function walkStep(
  archiver: Archiver,
  saver: BlobSaver,
  step: PathStep,
  path: string,
  parent: Tree | undefined,
): Promise<Later<string>> {
  const parts: Promise<TreeNode | undefined>[] = [];
  try {
    for (const [name, next] of [...step.children].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const full = `${path}${sep}${name}`;
      const old = parent && findNode(parent, name);
      const st = await lstat(full, { bigint: true });
      if (typeof next === 'string') {
        parts.push((await archiver.walkEntry(full, name, '', st, old)).later);
      } else {
        const meta = metaFromStat(name, st);
        const subtree = await walkStep(
          archiver,
          saver,
          next,
          full,
          await archiver.parentTree(old, full),
        );
        parts.push(subtree.later.then((id) => ({ ...meta, subtree: id })));
      }
    }
  } catch (err) {
    for (const p of parts) p.catch(() => undefined);
    throw err;
  }
  return {
    later: Promise.all(parts).then(async (nodes) => {
      const kept = nodes.filter((n): n is TreeNode => n !== undefined);
      return (await saver.save('tree', encodeTree({ nodes: kept }))).id;
    }),
  };
}
