/**
 * `prune`: gives back the space of forgotten snapshots, in two phases, never racing a backup.
 *
 * Each run (holding the prune lock, which only other prunes respect):
 * 1. reads the marks (marks.ts), lists snapshots, then loads the index preferring unmarked
 *    copies of blobs, and walks every snapshot to learn which blobs are used (usage.ts);
 * 2. resurrects marked packs that a snapshot uses again (a backup that ran meanwhile);
 * 3. marks packs nothing uses (also packs no index names: left by a crash) and repacks the used
 *    blobs of packs whose unused share is above `maxUnused`, marking the old packs;
 * 4. deletes packs marked by an EARLIER run, at least `delayMs` ago, provided that: no live
 *    session (backup, restore, check) loaded its view before the mark (its marker's
 *    seenGeneration is older or unknown), the snapshots written since step 1 do not use them,
 *    and this prune's own lock never went stale. The index files naming them are rewritten
 *    first (index-rewrite.ts), so no index ever names a missing pack;
 * 5. stores the new marks;
 * 6. removes temp files a crash left (Backend.sweepTemp: untouched for a day).
 *
 * Why a backup never loses data: a backup writes its marker before reading the marks; this
 * prune stored the marks it deletes by before listing markers. So either the backup's view
 * excludes the marked packs (it saw the marks: it stores its own copies), or its marker was
 * listed and deletion waits for it, or it finished and its snapshot, listed after the
 * markers, resurrects what it uses.
 *
 * Every step can be interrupted: packs written by an interrupted repack are found unused or
 * duplicated next time, marks are rewritten whole, deletions resume from the marks.
 */
import { StrataError } from '../../../shared/errors';
import { STALE_TEMP_MS } from '../backends/backend';
import { acquirePruneLock, describeLock, liveSessions, type Session } from '../repository/locks';
import { loadMarks, nextGeneration, saveMarks, type PackMark } from '../repository/marks';
import type { Repository } from '../repository/repository';
import { listSnapshots } from '../repository/snapshots';
import type { SnapshotRecord } from '../repository/snapshot';
import { rewriteIndexFiles } from './index-rewrite';
import { repack } from './repack';
import { UsedBlobs } from './usage';

export interface PruneProgress {
  readonly phase: 'snapshots' | 'index' | 'usage' | 'repack' | 'delete' | 'marks';
  readonly done: number;
  readonly total: number;
}

export interface PruneOptions {
  /** Repack a pack when more than this share of it is unused (default 0.05). */
  readonly maxUnused?: number;
  /** Marked packs are deleted by a later prune at least this long after (default 1 hour). */
  readonly delayMs?: number;
  readonly dryRun?: boolean;
  readonly onProgress?: (p: PruneProgress) => void;
}

export interface PackCount {
  packs: number;
  bytes: number;
}

export interface PruneResult {
  readonly dryRun: boolean;
  readonly snapshots: number;
  readonly packs: number;
  readonly repositoryBytes: number;
  readonly usedBytes: number;
  readonly marked: PackCount;
  readonly resurrected: PackCount;
  readonly repacked: PackCount & { blobs: number; copiedBytes: number; newPacks: number };
  readonly deleted: PackCount & { indexFilesRewritten: number };
  /** Marked packs kept for now, and why. */
  readonly waiting: PackCount & { reasons: string[]; deleteAfter?: string };
  /** Temp files a crash left (older than a day): removed, or with dryRun only counted. */
  readonly leftovers: PackCount;
  readonly problems: string[];
}

const DEFAULT_DELAY_MS = 60 * 60 * 1000;
/** Backups leave an index file every 32 packs; past this many files a prune merges them. */
const COMPACT_INDEX_FILES = 256;

function zero(): PackCount {
  return { packs: 0, bytes: 0 };
}

export async function prune(repo: Repository, options: PruneOptions = {}): Promise<PruneResult> {
  if (options.dryRun) return pruneWith(repo, undefined, options);
  const lock = await acquirePruneLock(repo);
  try {
    return await pruneWith(repo, lock, options);
  } finally {
    await lock.end().catch(() => {});
  }
}

async function pruneWith(
  repo: Repository,
  lock: Session | undefined,
  options: PruneOptions,
): Promise<PruneResult> {
  const maxUnused = options.maxUnused ?? 0.05;
  const delayMs = options.delayMs ?? DEFAULT_DELAY_MS;
  const dryRun = lock === undefined;
  const progress = options.onProgress ?? (() => {});
  const problems: string[] = [];
  const now = Date.now();
  const nowIso = new Date(now).toISOString();

  // 1. Marks, snapshots, index, usage (snapshots before the index: invariant 2).
  const marks = await loadMarks(repo);
  const generation = nextGeneration(marks.generation);
  const oldMarks = new Map<string, PackMark>(marks.packs);
  if (marks.damaged.length > 0) {
    // The lost file may have resurrected or marked packs we cannot see: start every mark over.
    for (const d of marks.damaged) problems.push(`marks file ${d.name}: ${d.message}`);
    for (const id of oldMarks.keys()) oldMarks.set(id, { generation, time: nowIso });
  }
  progress({ phase: 'snapshots', done: 0, total: 0 });
  const first = await listSnapshots(repo);
  if (first.problems.length > 0) {
    const p = first.problems[0]!;
    throw new StrataError(
      'REPO_CORRUPT',
      `snapshot ${p.name} cannot be read (${p.message}), so prune cannot know what it uses; nothing was deleted. Run "strata check".`,
    );
  }
  progress({ phase: 'index', done: 0, total: 0 });
  const indexProblems = await repo.loadIndex({ marked: new Set(oldMarks.keys()) });
  if (indexProblems.length > 0) {
    const p = indexProblems[0]!;
    throw new StrataError(
      'REPO_CORRUPT',
      `index file ${p.name} cannot be read (${p.message}); the packs it names would look unused, so nothing was deleted. Run "strata check".`,
    );
  }
  const stored = new Map((await repo.backend.list('data')).map((f) => [f.name, f.size]));
  const usage = new UsedBlobs(repo);
  await usage.walk(first.snapshots, (done) =>
    progress({ phase: 'usage', done, total: first.snapshots.length }),
  );
  usage.assertComplete();
  const perPack = usage.perPack();
  const usedOf = (pack: string) => {
    const no = repo.index.packNo(pack);
    return no === undefined ? 0 : perPack.bytes[no]!;
  };
  assertUsedPacksStored(repo, usage, stored);

  // 2 and 3. Classify every stored pack.
  const resurrected = zero();
  const marked = zero();
  const newMarks = new Map<string, PackMark>();
  const toRepack = new Set<string>();
  let usedBytes = 0;
  let repositoryBytes = 0;
  const blobCounts = repo.index.packIds();
  for (const [pack, size] of stored) {
    repositoryBytes += size;
    const used = usedOf(pack);
    usedBytes += used;
    const wasMarked = oldMarks.get(pack);
    if (wasMarked) {
      if (used > 0) {
        resurrected.packs++;
        resurrected.bytes += size;
      } else newMarks.set(pack, wasMarked);
      continue;
    }
    if (used === 0) {
      newMarks.set(pack, { generation, time: nowIso });
      marked.packs++;
      marked.bytes += size;
      continue;
    }
    // Header and length field: 46 bytes per listed blob, a seal, 4 bytes.
    const overhead = (blobCounts.get(pack) ?? 0) * 46 + 32;
    if ((size - overhead - used) / size > maxUnused) toRepack.add(pack);
  }

  const repacked = { ...zero(), blobs: 0, copiedBytes: 0, newPacks: 0 };
  if (toRepack.size > 0) {
    const byPack = blobsOf(repo, usage, toRepack);
    if (dryRun) {
      for (const pack of toRepack) {
        repacked.packs++;
        repacked.bytes += stored.get(pack)!;
        repacked.blobs += byPack.get(pack)!.length;
        repacked.copiedBytes += usedOf(pack);
      }
    } else {
      const r = await repack(repo, byPack, (done) =>
        progress({ phase: 'repack', done, total: toRepack.size }),
      );
      for (const f of r.failed) problems.push(`pack ${f.pack} was not repacked: ${f.message}`);
      for (const pack of r.done) {
        newMarks.set(pack, { generation, time: nowIso });
        repacked.packs++;
        repacked.bytes += stored.get(pack)!;
      }
      Object.assign(repacked, { blobs: r.blobs, copiedBytes: r.bytes, newPacks: r.packsWritten });
    }
  }

  // 4. Deletion of packs marked by earlier runs.
  const deleted = { ...zero(), indexFilesRewritten: 0 };
  const waiting = {
    ...zero(),
    reasons: [] as string[],
    deleteAfter: undefined as string | undefined,
  };
  const candidates = new Set<string>();
  let tooYoung = 0;
  let earliest = Infinity;
  for (const [pack, m] of newMarks) {
    if (m.generation >= generation) continue; // marked by this run
    const due = Date.parse(m.time) + delayMs;
    if (due > now) {
      tooYoung++;
      earliest = Math.min(earliest, due);
    } else candidates.add(pack);
  }
  if (tooYoung > 0) {
    const when = new Date(earliest).toISOString();
    waiting.reasons.push(
      `${tooYoung} pack(s) marked less than the delay ago (the first may go after ${when})`,
    );
    waiting.deleteAfter = when;
  }
  if (candidates.size > 0) {
    await holdBackForSessions(repo, candidates, newMarks, waiting.reasons);
    if (candidates.size > 0) {
      const back = await holdBackForNewSnapshots(repo, first.snapshots, usage, candidates);
      for (const pack of back) {
        newMarks.delete(pack); // used again: resurrected
        resurrected.packs++;
        resurrected.bytes += stored.get(pack) ?? 0;
      }
    }
    if (candidates.size > 0 && lock?.lost()) {
      waiting.reasons.push(
        'this prune was suspended for longer than the lock timeout, so it deletes nothing this time',
      );
      candidates.clear();
    }
  }
  if (candidates.size > 0 && !dryRun) {
    const compact = repo.indexFiles.size > COMPACT_INDEX_FILES;
    const rewrite = await rewriteIndexFiles(repo, candidates, compact);
    deleted.indexFilesRewritten = rewrite.removed;
    let done = 0;
    for (const pack of candidates) {
      await repo.backend.remove({ kind: 'data', name: pack }).catch((err: unknown) => {
        if (!(err instanceof StrataError && err.code === 'NOT_FOUND')) throw err;
      });
      progress({ phase: 'delete', done: ++done, total: candidates.size });
    }
  }
  for (const pack of candidates) {
    deleted.packs++;
    deleted.bytes += stored.get(pack) ?? 0;
    newMarks.delete(pack);
  }
  for (const [pack, m] of newMarks) {
    if (m.generation < generation) {
      waiting.packs++;
      waiting.bytes += stored.get(pack) ?? 0;
    }
  }

  // 5. The new marks (also when nothing changed but old or damaged files need tidying).
  if (!dryRun) {
    const changed =
      marked.packs + resurrected.packs + repacked.packs + deleted.packs > 0 ||
      marks.files.length + marks.damaged.length > 1 ||
      marks.damaged.length > 0 ||
      newMarks.size !== marks.packs.size;
    if (changed) {
      progress({ phase: 'marks', done: 0, total: 1 });
      await saveMarks(repo, generation, newMarks, [
        ...marks.files,
        ...marks.damaged.map((d) => d.name),
      ]);
    }
  }

  // 6. A crash's temp files, by age (see Backend.sweepTemp): held by the
  // prune lock like the rest, though backups do not wait for it: age alone says a file is dead.
  const sweep = await repo.backend.sweepTemp?.({ olderThanMs: STALE_TEMP_MS, remove: !dryRun });
  const leftovers = { packs: sweep?.files ?? 0, bytes: sweep?.bytes ?? 0 };

  return {
    dryRun,
    snapshots: first.snapshots.length,
    packs: stored.size,
    repositoryBytes,
    usedBytes,
    marked,
    resurrected,
    repacked,
    deleted,
    waiting,
    leftovers,
    problems,
  };
}

/** A used blob whose pack is not stored: deleting anything else could lose the last copy. */
function assertUsedPacksStored(
  repo: Repository,
  usage: UsedBlobs,
  stored: ReadonlyMap<string, number>,
): void {
  const missing = new Set<number>();
  const packs = repo.index.packCount;
  for (let p = 0; p < packs; p++) if (!stored.has(repo.index.packName(p))) missing.add(p);
  if (missing.size === 0) return;
  for (let n = 0; n < usage.used.length; n++) {
    if (usage.used[n] && missing.has(repo.index.packOf(n))) {
      const pack = repo.index.packName(repo.index.packOf(n));
      throw new StrataError(
        'REPO_CORRUPT',
        `pack ${pack} holds blobs that snapshots use, but it is not stored; nothing was deleted. Run "strata check".`,
      );
    }
  }
}

/** The used blobs of the given packs, by pack, as index entry numbers. */
function blobsOf(
  repo: Repository,
  usage: UsedBlobs,
  packs: ReadonlySet<string>,
): Map<string, number[]> {
  const byNo = new Map<number, number[]>();
  for (const pack of packs) byNo.set(repo.index.packNo(pack)!, []);
  for (let n = 0; n < usage.used.length; n++) {
    if (usage.used[n]) byNo.get(repo.index.packOf(n))?.push(n);
  }
  return new Map([...byNo].map(([no, list]) => [repo.index.packName(no), list]));
}

/**
 * Keeps back every candidate marked after a live session loaded its view (or when the session
 * has not said which marks it saw yet). Markers are listed after the marks were stored.
 */
async function holdBackForSessions(
  repo: Repository,
  candidates: Set<string>,
  marks: ReadonlyMap<string, PackMark>,
  reasons: string[],
): Promise<void> {
  const sessions = await liveSessions(repo);
  if (sessions.length === 0) return;
  let oldestView = Infinity;
  let holder = sessions[0]!;
  for (const s of sessions) {
    const seen = s.seenGeneration ?? -Infinity;
    if (seen < oldestView) {
      oldestView = seen;
      holder = s;
    }
  }
  let held = 0;
  for (const pack of candidates) {
    if (marks.get(pack)!.generation > oldestView) {
      candidates.delete(pack);
      held++;
    }
  }
  if (held > 0)
    reasons.push(`${held} pack(s) may still be used by a running ${describeLock(holder)}`);
}

/**
 * Snapshots finished since the first listing (by backups whose markers are gone by now) may use
 * candidates: those are resurrected instead of deleted.
 */
async function holdBackForNewSnapshots(
  repo: Repository,
  before: readonly SnapshotRecord[],
  usage: UsedBlobs,
  candidates: Set<string>,
): Promise<Set<string>> {
  const back = new Set<string>();
  const { snapshots, problems } = await listSnapshots(repo);
  const known = new Set(before.map((s) => s.id));
  const added = snapshots.filter((s) => !known.has(s.id));
  if (problems.length > 0) {
    candidates.clear(); // cannot tell what the unreadable one uses: delete nothing
    return back;
  }
  if (added.length === 0) return back;
  await repo.loadIndex();
  await usage.walk(added);
  if (usage.missingCount > 0) {
    candidates.clear();
    return back;
  }
  const candidateNos = new Set<number>();
  for (const pack of candidates) {
    const no = repo.index.packNo(pack);
    if (no !== undefined) candidateNos.add(no);
  }
  for (let n = 0; n < usage.used.length; n++) {
    if (!usage.used[n] || !candidateNos.has(repo.index.packOf(n))) continue;
    const pack = repo.index.packName(repo.index.packOf(n));
    candidates.delete(pack);
    back.add(pack);
  }
  return back;
}
