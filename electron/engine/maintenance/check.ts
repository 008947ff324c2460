/**
 * `check`: is every snapshot complete and every stored byte what it should be?
 *
 * Structure: snapshots and index files open, every pack the index names exists and is long
 * enough, every tree of every snapshot opens and every blob it references is indexed.
 * With `readData`: every pack is read whole, its SHA-256 must equal its name, its header must
 * open and agree with the index, and every blob must open and match its id. Each problem names
 * the pack, index file or snapshot, and the files a damaged blob belongs to.
 * With `readDataSubset`: the same for a share of the packs (pack-selection.ts), remembered in
 * the local record (pack-record.ts) when a state folder is given.
 */
import { STALE_TEMP_MS, type TempSweep } from '../backends/backend';
import { SEAL_OVERHEAD } from '../crypto/aead';
import { openBlob, type BlobEntry } from '../repository/blob';
import { ENTRY_BYTES, parsePackHeader, sha256Hex } from '../repository/pack';
import type { Repository } from '../repository/repository';
import { withSession, type Session } from '../repository/locks';
import { loadIndexForReading } from '../repository/marks';
import { listSnapshots } from '../repository/snapshots';
import type { SnapshotRecord } from '../repository/snapshot';
import { coverage, loadPackRecord, savePackRecord, type PackRecord } from './pack-record';
import { selectPacks, type DataSubset } from './pack-selection';

export interface CheckProblem {
  readonly kind: 'snapshot' | 'index' | 'pack' | 'tree' | 'blob' | 'file';
  readonly name: string;
  readonly message: string;
}

export interface CheckOptions {
  readonly readData?: boolean;
  /** Read only these packs' data (ignored with readData, which reads them all). */
  readonly readDataSubset?: DataSubset;
  /** The repository's local state folder: the record of packs read is kept there. */
  readonly stateDir?: string;
  readonly onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /** For tests: the clock and the tie-breaker of pack selection. */
  readonly now?: () => number;
  readonly random?: () => number;
}

/** What a data check (whole or partial) read, and what the record says now. */
export interface DataCheckSummary {
  /** Ids of the packs read, in the order read. */
  readonly read: readonly string[];
  /** Packs never read and found good (by this computer's record). */
  readonly neverVerified: number;
  /** The oldest time a pack was last found good, ISO; absent when none was. */
  readonly oldestVerified?: string;
  /** Set when the record could not be read (started over) or written. */
  readonly recordWarning?: string;
}

export interface CheckResult {
  readonly snapshots: number;
  readonly packs: number;
  readonly blobs: number;
  readonly packsRead: number;
  readonly unreferencedPacks: number;
  /** Temp files older than a day (a crash's leftovers; harmless, the next prune removes them). */
  readonly staleTempFiles: number;
  /** Present when data was read. */
  readonly data?: DataCheckSummary;
  readonly problems: readonly CheckProblem[];
}

/** Counts the stale temp files; check never removes anything. */
async function staleTemp(repo: Repository): Promise<TempSweep> {
  const none = { files: 0, bytes: 0, removed: 0 };
  return (await repo.backend.sweepTemp?.({ olderThanMs: STALE_TEMP_MS, remove: false })) ?? none;
}

/**
 * Checks the repository. A session marker tells prunes a check is reading, so packs it may
 * read are not deleted under it; packs a prune marked are read only for blobs found nowhere else.
 */
export function check(repo: Repository, options: CheckOptions = {}): Promise<CheckResult> {
  return withSession(repo, 'check', (session) => checkIn(repo, session, options));
}

async function checkIn(
  repo: Repository,
  session: Session,
  options: CheckOptions,
): Promise<CheckResult> {
  const problems: CheckProblem[] = [];
  const { snapshots, problems: snapProblems } = await listSnapshots(repo);
  for (const p of snapProblems)
    problems.push({ kind: 'snapshot', name: p.name, message: p.message });
  const view = await loadIndexForReading(repo);
  await session.setSeenGeneration(view.generation);
  for (const p of view.problems) problems.push({ kind: 'index', name: p.name, message: p.message });

  // Packs: the index against what is stored.
  const stored = new Map((await repo.backend.list('data')).map((f) => [f.name, f.size]));
  const needed = new Map<string, number>();
  const byPack = new Map<string, [string, BlobEntry][]>();
  for (const [id, e] of repo.index.entries()) {
    needed.set(e.pack, Math.max(needed.get(e.pack) ?? 0, e.offset + e.length));
    const list = byPack.get(e.pack) ?? [];
    if (list.length === 0) byPack.set(e.pack, list);
    list.push([id, e]);
  }
  const badBlobs = new Map<string, string>();
  const blobCounts = repo.index.packIds();
  for (const [pack, end] of needed) {
    const size = stored.get(pack);
    // After the blobs come the sealed header (one entry per blob) and its length (u32).
    const count = blobCounts.get(pack) ?? 0;
    const minSize = end + SEAL_OVERHEAD + count * ENTRY_BYTES + 4;
    const message =
      size === undefined
        ? 'missing: the index names it but it is not stored'
        : size < end
          ? `truncated: ${size} bytes, blobs reach ${end}`
          : size < minSize
            ? `truncated: ${size} bytes, its header needs ${minSize}`
            : undefined;
    if (message) {
      problems.push({ kind: 'pack', name: pack, message });
      // Only the blobs that were cut off are lost; those before the cut still read fine.
      for (const [id, e] of byPack.get(pack) ?? [])
        if (size === undefined || e.offset + e.length > size)
          badBlobs.set(id, `pack ${pack.slice(0, 12)} ${message}`);
    }
  }
  // Packs any index file names (a pack whose blobs are all found in another copy, after a
  // repack, is named but not needed): read with --read-data, not called unreferenced.
  const named = new Set([...repo.indexFiles.values()].flat());
  const unreferencedPacks = [...stored.keys()].filter(
    (p) => !needed.has(p) && !named.has(p),
  ).length;

  // Data: read every pack (or the chosen share) once.
  let data: DataCheckSummary | undefined;
  if (options.readData || options.readDataSubset) {
    const present = [...stored.keys()].filter((p) => needed.has(p) || named.has(p)).sort();
    data = await readPacks(present, options, async (pack) => {
      const bad = await checkPack(repo, pack, byPack.get(pack) ?? []);
      for (const [id, message] of bad.blobs) badBlobs.set(id, message);
      if (bad.problem) problems.push({ kind: 'pack', name: pack, message: bad.problem });
      return !bad.problem && bad.blobs.size === 0;
    });
  }

  // Trees: every snapshot, every tree once; files whose blobs are missing or damaged.
  const seen = new Set<string>();
  for (const s of snapshots)
    await checkTrees(repo, s, s.snapshot.tree, '', seen, badBlobs, problems);
  return {
    snapshots: snapshots.length,
    packs: needed.size,
    blobs: repo.index.size,
    packsRead: data?.read.length ?? 0,
    unreferencedPacks,
    staleTempFiles: (await staleTemp(repo)).files,
    data,
    problems,
  };
}

/** Saving the record this often during a long read keeps most of the work of an interrupted one. */
const SAVE_EVERY_MS = 60_000;

/** Reads the selected packs with `readOne` (true: found good) and keeps the record. */
async function readPacks(
  present: readonly string[],
  options: CheckOptions,
  readOne: (pack: string) => Promise<boolean>,
): Promise<DataCheckSummary> {
  const now = options.now ?? Date.now;
  const dir = options.stateDir;
  const warnings: string[] = [];
  let record: PackRecord = { verified: new Map(), damaged: new Set() };
  if (dir) {
    const loaded = await loadPackRecord(dir);
    record = loaded.record;
    if (loaded.warning) warnings.push(loaded.warning);
  }
  const packs =
    options.readData || !options.readDataSubset
      ? present
      : selectPacks({
          packs: present,
          subset: options.readDataSubset,
          history: record,
          random: options.random,
        });
  const current = new Set(present);
  const save = async () => {
    if (!dir) return;
    try {
      await savePackRecord(dir, record, current);
    } catch (err) {
      warnings.push(`the record of packs read could not be saved: ${(err as Error).message}`);
    }
  };
  let saved = now();
  for (const [done, pack] of packs.entries()) {
    options.onProgress?.({ phase: 'read-data', done, total: packs.length });
    // Only a pack found good counts as verified; a damaged one is read again next time.
    if (await readOne(pack)) {
      record.verified.set(pack, now());
      record.damaged.delete(pack);
    } else {
      record.verified.delete(pack);
      record.damaged.add(pack);
    }
    if (now() - saved >= SAVE_EVERY_MS) {
      await save();
      saved = now();
    }
  }
  await save();
  const { neverVerified, oldestVerified } = coverage(record, present);
  return {
    read: packs,
    neverVerified,
    oldestVerified:
      oldestVerified === undefined ? undefined : new Date(oldestVerified).toISOString(),
    recordWarning: warnings.length > 0 ? warnings.join('; ') : undefined,
  };
}

async function checkPack(
  repo: Repository,
  pack: string,
  indexed: readonly [string, BlobEntry][],
): Promise<{ problem?: string; blobs: Map<string, string> }> {
  const blobs = new Map<string, string>();
  const fail = (problem: string) => {
    for (const [id] of indexed)
      if (!blobs.has(id)) blobs.set(id, `pack ${pack.slice(0, 12)}: ${problem}`);
    return { problem, blobs };
  };
  let bytes: Buffer;
  try {
    bytes = await repo.backend.read({ kind: 'data', name: pack });
  } catch (err) {
    return fail(`unreadable: ${(err as Error).message}`);
  }
  const hashOk = sha256Hex(bytes) === pack;
  let header;
  try {
    header = new Map(parsePackHeader(repo.key, pack, bytes).map((b) => [b.id, b]));
  } catch (err) {
    header = undefined;
    if (hashOk) return fail((err as Error).message);
  }
  for (const [id, e] of indexed) {
    const h = header?.get(id);
    if (header && (!h || h.offset !== e.offset || h.length !== e.length)) {
      blobs.set(
        id,
        `pack ${pack.slice(0, 12)}: header disagrees with the index about blob ${id.slice(0, 12)}`,
      );
      continue;
    }
    try {
      openBlob(repo.key, id, e, bytes.subarray(e.offset, e.offset + e.length));
    } catch (err) {
      blobs.set(id, (err as Error).message);
    }
  }
  if (!hashOk) {
    const damaged = blobs.size;
    return {
      problem: `content does not match its name (damaged or tampered); ${damaged} damaged blob(s)`,
      blobs,
    };
  }
  return { problem: blobs.size > 0 ? `${blobs.size} damaged blob(s)` : undefined, blobs };
}

async function checkTrees(
  repo: Repository,
  snap: SnapshotRecord,
  treeId: string,
  path: string,
  seen: Set<string>,
  badBlobs: ReadonlyMap<string, string>,
  problems: CheckProblem[],
): Promise<void> {
  const where = `snapshot ${snap.id.slice(0, 8)}, ${path || '/'}`;
  if (seen.has(treeId) && badBlobs.size === 0) return;
  seen.add(treeId);
  let tree;
  try {
    tree = await repo.loadTree(treeId);
  } catch (err) {
    problems.push({ kind: 'tree', name: treeId, message: `${where}: ${(err as Error).message}` });
    return;
  }
  for (const node of tree.nodes) {
    const child = `${path}/${node.name}`;
    if (node.type === 'dir' && node.subtree) {
      await checkTrees(repo, snap, node.subtree, child, seen, badBlobs, problems);
    } else if (node.type === 'file') {
      for (const id of node.content ?? []) {
        const why = !repo.index.has(id)
          ? `blob ${id.slice(0, 12)} is not in the index`
          : badBlobs.get(id);
        if (why) {
          problems.push({
            kind: 'file',
            name: `${snap.id.slice(0, 8)}:${child}`,
            message: `${where.split(',')[0]}, file ${child}: ${why}`,
          });
          break;
        }
      }
    }
  }
}
