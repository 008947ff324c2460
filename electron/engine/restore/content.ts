/**
 * Writes file contents pack by pack: every blob the selected files need is planned as
 * (file, offset), grouped by pack and sorted by offset, so each pack is read once, in a few
 * large ranges. The coordinator reads ranges (a few at a time, bytes in flight bounded); worker
 * threads open, check, decompress and write the blobs positionally into files that were
 * created at their final size, so all-zero blobs are left as holes. A file of one blob (most
 * small files) is created by the worker that writes it: creating and opening files is most of
 * the cost of restoring many small ones, and this opens each once, not twice.
 * A blob that fails to read or authenticate damages only the files that use it.
 */
import { releaseDeadBuffers } from '../memory';
import type { BlobEntry } from '../repository/blob';
import type { Repository } from '../repository/repository';
import type { WorkerPool } from '../workers/pool';
import type { RestoreNode } from '../repository/tree';
import { ownsBuffer, type RestoreBlob } from '../workers/protocol';
import { createFiles } from '../workers/tasks';
import { fileMeta } from './metadata';

/** A file to fill: a planned entry, whose destination is computed when a range needs it. */
export interface FileJob {
  readonly dest: string;
  readonly node: RestoreNode;
  /**
   * Not created yet: its one blob's worker creates it (one blob at most), and gives it its
   * metadata once written. Cleared when the coordinator creates it instead (createHere).
   */
  create?: boolean;
}

interface PlannedBlob {
  readonly id: string;
  readonly entry: BlobEntry;
  /** Where it goes, flat: file, offset, file, offset... (no object per target). */
  readonly targets: number[];
}

interface Range {
  readonly pack: string;
  readonly offset: number;
  length: number;
  readonly blobs: PlannedBlob[];
}

/** Gap between blobs up to which two reads are merged into one. */
const MAX_READ_GAP = 256 * 1024;
/**
 * Reads of 4 MiB (a blob longer than that is read alone) with 16 MiB in flight keep two
 * workers busy from a local disk: 32 / 48 MiB ran no faster and cost ~100 MiB more peak memory
 * (each range lives in the coordinator, then in a worker, then as its opened blobs).
 */
const MAX_READ = 4 * 1024 * 1024;
/** Bytes read from the repository and not yet written, at most. */
const MAX_IN_FLIGHT = 16 * 1024 * 1024;
/** Read buffers (MAX_READ bytes) kept for reuse: as many as reads can be in flight. */
const SPARE_READS = MAX_IN_FLIGHT / MAX_READ;

/**
 * The buffers ranges are read into: SharedArrayBuffers, so a range reaches its worker without
 * being transferred, and nothing comes back. A transferred buffer came back as a new
 * ArrayBuffer per range, and V8 counts each as fresh external memory: every ~64 MiB restored
 * started a full collection of the coordinator's heap (the plan, ~20 MiB live), ~20 of them
 * and ~0.5 s of its CPU for the 1 GiB bench. A buffer is taken for one range and given back
 * once that range's task has answered, so no thread reads it while it is read into again.
 */
export class ReadBuffers {
  private readonly free: Buffer[] = [];
  private made = 0;

  take(): Buffer {
    const b = this.free.pop();
    if (b) return b;
    this.made++;
    return Buffer.from(new SharedArrayBuffer(MAX_READ));
  }

  give(b: Buffer): void {
    if (this.free.length < SPARE_READS) this.free.push(b);
  }

  /** Buffers made so far (they are kept for reuse: as many as ranges read at once). */
  get count(): number {
    return this.made;
  }
}

export interface ContentResult {
  /** Files (by index) that could not be completed, with why. */
  readonly damaged: Map<number, string>;
  /** Files (by index) to create that could not be created, with why: they do not exist. */
  readonly notCreated: Map<number, string>;
}

/**
 * Creates here a file no worker will (its blob is missing or unreadable): damaged, sized, and
 * no longer the worker's to create, so its metadata is applied when it is done.
 */
function createHere(f: FileJob, file: number, notCreated: Map<number, string>): void {
  f.create = false;
  const [failure] = createFiles([{ path: f.dest, size: f.node.size ?? 0 }]);
  if (failure) notCreated.set(file, failure);
}

/** Groups every needed blob by pack, then into reads: neighbours share one read. */
function planRanges(
  repo: Repository,
  files: readonly FileJob[],
  damaged: Map<number, string>,
  notCreated: Map<number, string>,
  remaining: number[],
): Range[] {
  const byPack = new Map<string, Map<string, PlannedBlob>>();
  files.forEach((f, file) => {
    let offset = 0;
    for (const id of f.node.content ?? []) {
      const entry = repo.index.get(id);
      if (!entry) {
        damaged.set(file, `blob ${id.slice(0, 12)} is missing from the index`);
        if (f.create) createHere(f, file, notCreated);
        remaining[file]!--;
        continue;
      }
      let blobs = byPack.get(entry.pack);
      if (!blobs) byPack.set(entry.pack, (blobs = new Map()));
      let slot = blobs.get(id);
      if (!slot) blobs.set(id, (slot = { id, entry, targets: [] }));
      slot.targets.push(file, offset);
      offset += entry.rawLength;
    }
  });
  const ranges: Range[] = [];
  for (const pack of [...byPack.keys()].sort()) {
    const blobs = [...byPack.get(pack)!.values()].sort((a, b) => a.entry.offset - b.entry.offset);
    let cur: Range | undefined;
    for (const b of blobs) {
      const end = b.entry.offset + b.entry.length;
      if (
        cur &&
        b.entry.offset - (cur.offset + cur.length) <= MAX_READ_GAP &&
        end - cur.offset <= MAX_READ
      ) {
        cur.blobs.push(b);
        cur.length = Math.max(cur.length, end - cur.offset);
      } else {
        cur = { pack, offset: b.entry.offset, length: b.entry.length, blobs: [b] };
        ranges.push(cur);
      }
    }
  }
  return ranges;
}

export async function writeContents(
  repo: Repository,
  pool: WorkerPool,
  files: readonly FileJob[],
  /** A file still marked `create` was created by a worker, which gave it its metadata. */
  onFileDone: (file: number) => Promise<void>,
  onBytes: (n: number) => void,
): Promise<ContentResult> {
  const damaged = new Map<number, string>();
  const notCreated = new Map<number, string>();
  const remaining = files.map((f) => f.node.content?.length ?? 0);
  const ranges = planRanges(repo, files, damaged, notCreated, remaining);
  // Ranges are read into a few buffers shared with the workers, read into again once their
  // range is written (see ReadBuffers).
  const spare = new ReadBuffers();
  const finishing: Promise<void>[] = [];
  const settle = (file: number) => {
    if (--remaining[file]! === 0 && !notCreated.has(file)) {
      finishing.push(onFileDone(file));
    }
  };
  for (const [file, n] of remaining.entries())
    if (n === 0 && !notCreated.has(file)) finishing.push(onFileDone(file));

  const slots = Math.max(2, pool.parallelism * 2);
  let inFlight = 0;
  let next = 0;
  const waiting: (() => void)[] = [];
  const worker = async () => {
    while (next < ranges.length) {
      const range = ranges[next++]!;
      while (inFlight > 0 && inFlight + range.length > MAX_IN_FLIGHT)
        await new Promise<void>((r) => waiting.push(r));
      inFlight += range.length;
      try {
        const failed = await restoreRange(repo, pool, files, range, spare, notCreated, damaged);
        for (const b of range.blobs) {
          const why = failed.get(b.id);
          for (let t = 0; t < b.targets.length; t += 2) {
            const file = b.targets[t]!;
            if (why) damaged.set(file, why);
            else onBytes(b.entry.rawLength);
            settle(file);
          }
        }
      } finally {
        inFlight -= range.length;
        // What this thread let go of for the range (a long range's bytes, which come back from
        // the worker as a dead ArrayBuffer; blobs it opened when it ran the range itself): a
        // scavenge frees it now. Left to V8, tens of MiB of them waited for a collection.
        releaseDeadBuffers();
        waiting.shift()?.();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(slots, ranges.length) }, worker));
  await Promise.all(finishing);
  for (const file of notCreated.keys()) damaged.delete(file);
  return { damaged, notCreated };
}

/** Files of the range named by path in a worker's answer, by index, with why. */
function byFile(
  files: readonly FileJob[],
  range: Range,
  named: readonly { readonly path: string; readonly message: string }[],
  into: Map<number, string>,
): void {
  if (named.length === 0) return;
  const why = new Map(named.map((n) => [n.path, n.message]));
  for (const b of range.blobs) {
    for (let t = 0; t < b.targets.length; t += 2) {
      const file = b.targets[t]!;
      const message = why.get(files[file]!.dest);
      if (message !== undefined) into.set(file, message);
    }
  }
}

/** [file, offset] pairs from a flat targets list. */
function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

/** Reads one range and has a worker write its blobs; returns the blobs that failed, with why. */
async function restoreRange(
  repo: Repository,
  pool: WorkerPool,
  files: readonly FileJob[],
  range: Range,
  spare: ReadBuffers,
  notCreated: Map<number, string>,
  /** Files (by index) this range could not write to, with why. */
  damaged: Map<number, string>,
): Promise<Map<string, string>> {
  const failed = new Map<string, string>();
  let data: Buffer;
  const into = range.length <= MAX_READ ? spare.take() : undefined;
  try {
    data = await repo.backend.read(
      { kind: 'data', name: range.pack },
      { offset: range.offset, length: range.length },
      into,
    );
  } catch (err) {
    if (into) spare.give(into);
    const why = `pack ${range.pack.slice(0, 12)} unreadable: ${(err as Error).message}`;
    for (const b of range.blobs) {
      failed.set(b.id, why);
      for (let t = 0; t < b.targets.length; t += 2) {
        const file = b.targets[t]!;
        if (files[file]!.create) createHere(files[file]!, file, notCreated);
      }
    }
    return failed;
  }
  const blobs: RestoreBlob[] = range.blobs.map((b) => ({
    id: b.id,
    type: b.entry.type,
    compressed: b.entry.compressed,
    rawLength: b.entry.rawLength,
    at: b.entry.offset - range.offset,
    length: b.entry.length,
    targets: pairs(b.targets).map(([file, offset]) => {
      const f = files[file]!;
      if (!f.create) return { path: f.dest, offset };
      return { path: f.dest, offset, create: f.node.size ?? 0, meta: fileMeta(f.node) };
    }),
  }));
  const request = { kind: 'restore-blobs', pack: range.pack, data, blobs } as const;
  // Bytes in a shared read buffer are shared with the worker as they are (a worker lost with
  // them is replaced and the range sent again, by the pool). Others move to the worker when
  // they own their whole buffer (never a slice of Node's shared pool: transferring one would
  // take the pool with it), else they are copied.
  const shared = into !== undefined && data.buffer === into.buffer;
  const moved = !shared && ownsBuffer(data);
  let result;
  try {
    result = await pool.run(request, undefined, moved ? [data.buffer as ArrayBuffer] : []);
  } catch (err) {
    if ((err as { code?: string }).code !== 'WORKER_LOST') throw err;
    // Its worker died with the bytes: read them again, and send a copy this time.
    const again = await repo.backend.read(
      { kind: 'data', name: range.pack },
      { offset: range.offset, length: range.length },
    );
    result = await pool.run({ ...request, data: again, again: true });
  }
  if (into) spare.give(into);
  for (const f of result.failed) failed.set(f.id, f.message);
  // The blobs are fine; only these files of them are damaged, or were not created.
  byFile(files, range, result.unwritten, damaged);
  byFile(files, range, result.notCreated, notCreated);
  return failed;
}
