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
import type { Repository } from '../repository/repository';
import type { WorkerPool } from '../workers/pool';
import type { MasterIndex } from '../repository/master-index';
import { ownsBuffer, type RestoreBlob, type RestoreTarget } from '../workers/protocol';
import { createFiles } from '../workers/tasks';
import type { PlannedFiles } from './planned-files';

/**
 * The files to fill: plan files by number. Results and callbacks name a file by its place in
 * `list` (a job number).
 */
export interface FileJobs {
  readonly files: PlannedFiles;
  /** Plan file numbers, in the order jobs are numbered. */
  readonly list: readonly number[];
  /**
   * Per job, 1 while the file is not created yet: its one blob's worker creates it (one blob at
   * most), and gives it its metadata once written. Cleared when the coordinator creates it
   * instead (createHere).
   */
  readonly create: Uint8Array;
}

/**
 * Every blob reference of the jobs (the k-th blob of a file), in columns, and their order by
 * where the blob is stored: 20 bytes a reference, no object per blob or per target.
 */
interface Refs {
  /** Per reference: its blob's index entry, its job, where in the file it goes. */
  readonly entry: Int32Array;
  readonly job: Uint32Array;
  readonly at: Float64Array;
  /** References by (pack, offset) of their blob: those of one blob are neighbours. */
  readonly order: Uint32Array;
}

/** One read: the references order[start..end), all in one pack, within MAX_READ. */
interface Range {
  readonly pack: string;
  readonly offset: number;
  readonly length: number;
  readonly start: number;
  readonly end: number;
}

/** Gap between blobs up to which two reads are merged into one. */
const MAX_READ_GAP = 256 * 1024;
/**
 * Reads of 4 MiB (a blob longer than that is read alone) with 16 MiB in flight keep two
 * workers busy from a local disk: 32 / 48 MiB ran no faster and cost ~100 MiB more peak memory
 * (each range lives in the coordinator, then in a worker, then as its opened blobs).
 */
const MAX_READ = 4 * 1024 * 1024;
/**
 * Blob references (file, offset) per range, at most: a range's request holds an object or two
 * per reference, in the coordinator and in its worker. 4 MiB of the scale bench's tiny blobs
 * (~100 bytes sealed) are ~40k references, and four such ranges in flight kept ~80 MiB of
 * requests on each side. Past this a range ends, even within one blob's references (the blob
 * is then read again for the next range).
 */
const MAX_RANGE_REFS = 1024;
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
function createHere(jobs: FileJobs, job: number, notCreated: Map<number, string>): void {
  jobs.create[job] = 0;
  const f = jobs.list[job]!;
  const [failure] = createFiles([{ path: jobs.files.dest(f), size: jobs.files.size(f) }]);
  if (failure) notCreated.set(job, failure);
}

/** Looks up every blob the jobs need and sorts the references by pack and offset. */
function planRefs(
  index: MasterIndex,
  jobs: FileJobs,
  damaged: Map<number, string>,
  notCreated: Map<number, string>,
  remaining: Uint32Array,
): Refs {
  const { files } = jobs;
  let total = 0;
  for (const f of jobs.list) total += files.blobCount(f);
  const entry = new Int32Array(total);
  const job = new Uint32Array(total);
  const at = new Float64Array(total);
  /** Pack number and offset in one double (both are u32): the sort key. */
  const key = new Float64Array(total);
  let n = 0;
  jobs.list.forEach((f, j) => {
    let offset = 0;
    for (let k = 0; k < files.blobCount(f); k++) {
      const id = files.blobId(f, k);
      const e = typeof id === 'string' ? -1 : index.find(id);
      if (e < 0) {
        const hex = typeof id === 'string' ? id : Buffer.from(id).toString('hex');
        damaged.set(j, `blob ${hex.slice(0, 12)} is missing from the index`);
        if (jobs.create[j]) createHere(jobs, j, notCreated);
        remaining[j]!--;
        continue;
      }
      entry[n] = e;
      job[n] = j;
      at[n] = offset;
      key[n] = index.packOf(e) * 2 ** 32 + index.offsetOf(e);
      n++;
      offset += index.rawLengthOf(e);
    }
  });
  const order = new Uint32Array(n);
  for (let r = 0; r < n; r++) order[r] = r;
  order.sort((a, b) => key[a]! - key[b]! || a - b);
  return { entry, job, at, order };
}

/**
 * The ranges to read, made one at a time as reads are started (none are planned ahead):
 * neighbouring blobs of a pack share a read when the gap and the total allow.
 */
function rangesOf(index: MasterIndex, refs: Refs): () => Range | undefined {
  const { entry, order } = refs;
  let p = 0;
  return () => {
    if (p >= order.length) return undefined;
    const start = p;
    let last = entry[order[p]!]!;
    const pack = index.packOf(last);
    const offset = index.offsetOf(last);
    let end = offset + index.lengthOf(last);
    for (p++; p < order.length && p - start < MAX_RANGE_REFS; p++) {
      const e = entry[order[p]!]!;
      if (e === last) continue;
      const from = index.offsetOf(e);
      const to = from + index.lengthOf(e);
      if (index.packOf(e) !== pack || from - end > MAX_READ_GAP || to - offset > MAX_READ) break;
      end = Math.max(end, to);
      last = e;
    }
    return { pack: index.packName(pack), offset, length: end - offset, start, end: p };
  };
}

/** Calls `fn` for each blob of a range with its references order[from..to). */
function eachBlob(
  refs: Refs,
  range: Range,
  fn: (entry: number, from: number, to: number) => void,
): void {
  for (let q = range.start; q < range.end;) {
    const e = refs.entry[refs.order[q]!]!;
    let to = q + 1;
    while (to < range.end && refs.entry[refs.order[to]!] === e) to++;
    fn(e, q, to);
    q = to;
  }
}

export async function writeContents(
  repo: Repository,
  pool: WorkerPool,
  jobs: FileJobs,
  /** A job still marked `create` was created by a worker, which gave it its metadata. */
  onFileDone: (job: number) => void,
  onBytes: (n: number) => void,
): Promise<ContentResult> {
  const index = repo.index;
  const damaged = new Map<number, string>();
  const notCreated = new Map<number, string>();
  const remaining = new Uint32Array(jobs.list.length);
  jobs.list.forEach((f, j) => (remaining[j] = jobs.files.blobCount(f)));
  const refs = planRefs(index, jobs, damaged, notCreated, remaining);
  const nextRange = rangesOf(index, refs);
  // Ranges are read into a few buffers shared with the workers, read into again once their
  // range is written (see ReadBuffers).
  const spare = new ReadBuffers();
  // A failure of onFileDone (a file's metadata) fails the restore once every range is done.
  let failure: { err: unknown } | undefined;
  const done = (job: number) => {
    if (notCreated.has(job)) return;
    try {
      onFileDone(job);
    } catch (err) {
      failure ??= { err };
    }
  };
  for (let j = 0; j < remaining.length; j++) if (remaining[j] === 0) done(j);

  const slots = Math.max(2, pool.parallelism * 2);
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  const worker = async () => {
    for (let range = nextRange(); range; range = nextRange()) {
      while (inFlight > 0 && inFlight + range.length > MAX_IN_FLIGHT)
        await new Promise<void>((r) => waiting.push(r));
      inFlight += range.length;
      try {
        const failed = await restoreRange(
          repo,
          pool,
          jobs,
          refs,
          range,
          spare,
          notCreated,
          damaged,
        );
        for (let q = range.start; q < range.end; q++) {
          const r = refs.order[q]!;
          const job = refs.job[r]!;
          const why = failed.get(refs.entry[r]!);
          if (why) damaged.set(job, why);
          else onBytes(index.rawLengthOf(refs.entry[r]!));
          if (--remaining[job]! === 0) done(job);
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
  await Promise.all(Array.from({ length: slots }, worker));
  if (failure) throw failure.err;
  for (const job of notCreated.keys()) damaged.delete(job);
  return { damaged, notCreated };
}

/** Jobs of the range named by path in a worker's answer, with why. */
function byFile(
  jobs: FileJobs,
  refs: Refs,
  range: Range,
  named: readonly { readonly path: string; readonly message: string }[],
  into: Map<number, string>,
): void {
  if (named.length === 0) return;
  const why = new Map(named.map((n) => [n.path, n.message]));
  for (let q = range.start; q < range.end; q++) {
    const job = refs.job[refs.order[q]!]!;
    const message = why.get(jobs.files.dest(jobs.list[job]!));
    if (message !== undefined) into.set(job, message);
  }
}

/**
 * Reads one range and has a worker write its blobs; returns the blobs (index entries) that
 * failed, with why.
 */
async function restoreRange(
  repo: Repository,
  pool: WorkerPool,
  jobs: FileJobs,
  refs: Refs,
  range: Range,
  spare: ReadBuffers,
  notCreated: Map<number, string>,
  /** Jobs this range could not write to, with why. */
  damaged: Map<number, string>,
): Promise<Map<number, string>> {
  const { index } = repo;
  const { files } = jobs;
  const failed = new Map<number, string>();
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
    for (let q = range.start; q < range.end; q++) {
      const r = refs.order[q]!;
      failed.set(refs.entry[r]!, why);
      if (jobs.create[refs.job[r]!]) createHere(jobs, refs.job[r]!, notCreated);
    }
    return failed;
  }
  const blobs: RestoreBlob[] = [];
  eachBlob(refs, range, (e, from, to) => {
    const entry = index.entryAt(e);
    const targets: RestoreTarget[] = [];
    for (let q = from; q < to; q++) {
      const r = refs.order[q]!;
      const job = refs.job[r]!;
      const f = jobs.list[job]!;
      const path = files.dest(f);
      const offset = refs.at[r]!;
      targets.push(
        jobs.create[job]
          ? { path, offset, create: files.size(f), meta: files.meta(f) }
          : { path, offset },
      );
    }
    blobs.push({
      id: index.idAt(e),
      type: entry.type,
      compressed: entry.compressed,
      rawLength: entry.rawLength,
      at: entry.offset - range.offset,
      length: entry.length,
      targets,
    });
  });
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
  for (const f of result.failed) failed.set(index.position(f.id), f.message);
  // The blobs are fine; only these files of them are damaged, or were not created.
  byFile(jobs, refs, range, result.unwritten, damaged);
  byFile(jobs, refs, range, result.notCreated, notCreated);
  return failed;
}
