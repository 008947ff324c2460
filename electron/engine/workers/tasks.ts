/**
 * The work done off the coordinator: read -> chunk -> hash -> compress -> seal for backups, and
 * open -> write for restores. Plain functions over a context, so the same code runs in a worker
 * thread (worker.ts) or inline (a pool of size 0: tests, and machines where threads cannot start).
 */
import {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  ftruncateSync,
  lstatSync,
  openSync,
  readSync,
  writeSync,
  type BigIntStats,
} from 'node:fs';
import { changedWhileReading } from '../backup/change-detection';
import { chunkViews, type Chunker, type Scratch } from '../chunker/fastcdc';
import { keyedIdBytes, type MasterKey } from '../crypto/master-key';
import { ReleaseEvery } from '../memory';
import { openBlobReusing, sealBlob } from '../repository/blob';
import { assertNever } from '../../../shared/errors';
import type { IndexView } from '../repository/master-index';
import { applyMetadataToFile } from '../restore/metadata';
import type {
  BlobEvent,
  FileOutcome,
  FileTask,
  ResultOf,
  Request,
  RestoreBlob,
  RestoreTarget,
  StatStamp,
} from './protocol';

export interface TaskContext {
  readonly key: MasterKey;
  readonly chunker: Chunker;
  /** This thread's read buffer, reused from file to file. */
  readonly scratch: Scratch;
  index(): IndexView;
  /** How many workers are idle right now (0 inline). */
  idle(): number;
  /** Hands a sealed blob to the coordinator; resolves when more may be sent (flow control). */
  emit(event: BlobEvent): Promise<void>;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Files at least this large share their sealing with idle workers. */
const SPLIT_BYTES = 8n * 1024n * 1024n;
const O_NOATIME = constants.O_NOATIME ?? 0;

/**
 * Opens a file to back it up: never through a symlink, and without touching its access time
 * where the OS allows it (Linux allows O_NOATIME to the file's owner and to root only).
 * File calls here are synchronous on purpose: a worker thread exists to block, and per-file
 * async round trips through the threadpool (open, stat, read, stat, close) cost more than the
 * calls themselves when backing up many small files.
 */
function openForBackup(path: string): number {
  if (O_NOATIME) {
    try {
      return openSync(path, constants.O_RDONLY | O_NOFOLLOW | O_NOATIME);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  return openSync(path, constants.O_RDONLY | O_NOFOLLOW);
}

function stamp(st: BigIntStats): StatStamp {
  return {
    size: st.size.toString(),
    mtimeNs: st.mtimeNs.toString(),
    ctimeNs: st.ctimeNs.toString(),
    ino: st.ino.toString(),
  };
}

function errorOutcome(err: unknown, prefix: string): FileOutcome {
  const e = err as NodeJS.ErrnoException;
  return { ok: false, message: `${prefix}: ${e.message}`, code: e.code };
}

/** Reads one file and seals its new chunks; never throws for file problems (they are outcomes). */
export async function chunkFile(
  ctx: TaskContext,
  task: FileTask,
  emitted = new Set<string>(),
  file = 0,
): Promise<FileOutcome> {
  let fd: number;
  try {
    fd = openForBackup(task.path);
  } catch (err) {
    return errorOutcome(err, 'cannot open');
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    if (!before.isFile() || before.ino.toString() !== task.ino) {
      return { ok: false, message: 'replaced by something else while backing up' };
    }
    const content: string[] = [];
    let size = 0;
    const large = before.size >= SPLIT_BYTES;
    const read = (b: Buffer, o: number, l: number, p: number) => readSync(fd, b, o, l, p);
    // Each chunk is a view into the read buffer: it is sealed before the next one is read.
    for await (const chunk of chunkViews(ctx.chunker, read, Number(before.size), ctx.scratch)) {
      const idBytes = keyedIdBytes(ctx.key, chunk);
      const id = idBytes.toString('hex');
      content.push(id);
      size += chunk.length;
      if (emitted.has(id) || ctx.index().hasId(idBytes)) continue;
      emitted.add(id);
      if (large && ctx.idle() > 0) {
        // Another core is free: let it compress and seal this one.
        const plain = new Uint8Array(chunk.length);
        plain.set(chunk);
        await ctx.emit({
          file,
          id,
          type: 'data',
          sealed: plain,
          rawLength: chunk.length,
          compressed: false,
          raw: true,
        });
        continue;
      }
      const blob = sealBlob(ctx.key, 'data', chunk, id);
      await ctx.emit({
        file,
        id,
        type: 'data',
        sealed: blob.sealed,
        rawLength: blob.rawLength,
        compressed: blob.compressed,
      });
    }
    const after = fstatSync(fd, { bigint: true });
    const changed = changedWhileReading(before, after) || BigInt(size) !== before.size;
    return { ok: true, size, content, before: stamp(before), changed };
  } catch (err) {
    return errorOutcome(err, 'read failed');
  } finally {
    closeSync(fd);
  }
}

export async function chunkFiles(
  ctx: TaskContext,
  files: readonly FileTask[],
): Promise<FileOutcome[]> {
  const out: FileOutcome[] = [];
  const emitted = new Set<string>();
  for (const [i, f] of files.entries()) out.push(await chunkFile(ctx, f, emitted, i));
  return out;
}

const ZERO = Buffer.alloc(64 * 1024);
/** Opened blobs are garbage once written: free them every few MiB, not at the next GC. */
const restored = new ReleaseEvery(8 * 1024 * 1024);

/** True when every byte is zero (such chunks are left as holes in restored files). */
export function isZero(buf: Uint8Array): boolean {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let at = 0; at < b.length; at += ZERO.length) {
    const end = Math.min(at + ZERO.length, b.length);
    if (b.compare(ZERO, 0, end - at, at, end) !== 0) return false;
  }
  return true;
}

/**
 * Files a range task keeps open at once for blobs still to come (files of several blobs, whose
 * next blobs often follow in the same range). A file it creates has one blob: it is written,
 * given its metadata and closed at once. Before, every file of a range stayed open until the
 * range was done, and a range of tiny blobs (tens of thousands in 4 MiB) ran out of
 * descriptors: EMFILE for ~770k of a million restored files.
 */
export const MAX_OPEN_FILES = 16;

/** Opens the blobs of one pack range and writes each to its places in the restored files. */
export async function restoreBlobs(
  ctx: TaskContext,
  pack: string,
  data: Uint8Array,
  blobs: readonly RestoreBlob[],
  again = false,
): Promise<ResultOf['restore-blobs']> {
  const failed: { id: string; message: string }[] = [];
  const notCreated: { path: string; message: string }[] = [];
  const unwritten: { path: string; message: string }[] = [];
  /** Files of several blobs, open for the range's next blobs (oldest first). */
  const fds = new Map<string, number>();
  const openExisting = (path: string): number | undefined => {
    let fd = fds.get(path);
    if (fd !== undefined) return fd;
    if (fds.size >= MAX_OPEN_FILES) {
      const [oldest, oldFd] = fds.entries().next().value as [string, number];
      fds.delete(oldest);
      closeSync(oldFd);
    }
    try {
      fd = openSync(path, constants.O_WRONLY | O_NOFOLLOW);
    } catch (err) {
      unwritten.push({ path, message: `cannot write: ${(err as Error).message}` });
      return undefined;
    }
    fds.set(path, fd);
    return fd;
  };
  const writeAll = (fd: number, plain: Buffer, offset: number) => {
    for (let done = 0; done < plain.length;) {
      done += writeSync(fd, plain, done, plain.length - done, offset + done);
    }
  };
  /** A file of one blob: created, written (or sized), given its metadata, closed. */
  const createOne = (t: RestoreTarget, plain: Buffer | undefined): boolean => {
    let fd: number;
    try {
      fd = again ? openAgain(t.path) : openSync(t.path, CREATE_FLAGS, 0o600);
    } catch (err) {
      notCreated.push({ path: t.path, message: `cannot create: ${(err as Error).message}` });
      return false;
    }
    try {
      if (plain) writeAll(fd, plain, t.offset);
      else ftruncateSync(fd, t.create!);
      if (t.meta) applyMetadataToFile(fd, t.meta);
    } finally {
      closeSync(fd);
    }
    return plain !== undefined;
  };
  let bytesWritten = 0;
  try {
    for (const b of blobs) {
      let plain: Buffer | undefined;
      try {
        plain = openBlobReusing(
          ctx.key,
          b.id,
          { ...b, pack },
          data.subarray(b.at, b.at + b.length),
        );
        restored.count(plain.length);
      } catch (err) {
        failed.push({ id: b.id, message: (err as Error).message });
      }
      // All zero: left as a hole. Failed: the file is still made, damaged, at its size.
      const write = plain !== undefined && !isZero(plain) ? plain : undefined;
      for (const t of b.targets) {
        if (t.create !== undefined) {
          if (createOne(t, write)) bytesWritten += write!.length;
          continue;
        }
        if (!write) continue;
        const fd = openExisting(t.path);
        if (fd === undefined) continue;
        writeAll(fd, write, t.offset);
        bytesWritten += write.length;
      }
    }
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
  const shared = data.buffer instanceof SharedArrayBuffer;
  return { failed, notCreated, unwritten, bytesWritten, data: shared ? undefined : data };
}

const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
/** After a worker died mid-range: it may have created some of the files already. */
const CREATE_AGAIN_FLAGS = constants.O_WRONLY | constants.O_CREAT | O_NOFOLLOW;

/**
 * A retry's open of a file the lost worker may have created, and may already have given its
 * metadata: a mode without the owner's write bit refuses O_WRONLY to all but root. Such a file,
 * regular and ours, is made writable again (its metadata is applied again once written);
 * anything else still fails as it did.
 */
function openAgain(path: string): number {
  try {
    return openSync(path, CREATE_AGAIN_FLAGS, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || st.uid !== process.getuid?.() || st.nlink !== 1) throw err;
    chmodSync(path, 0o600);
    const fd = openSync(path, CREATE_AGAIN_FLAGS, 0o600);
    // Refused if it was replaced between the look and the open (O_NOFOLLOW: not a link).
    if (fstatSync(fd).ino !== st.ino) {
      closeSync(fd);
      throw err;
    }
    return fd;
  }
}

/**
 * Creates files for a restore, empty at their final size (so all-zero chunks stay holes).
 * O_EXCL with O_NOFOLLOW: never through a symlink, never over something that appeared since
 * the coordinator cleared the place. Creating files costs the filesystem more than anything
 * else in a restore of many small files, hence done here, in parallel.
 */
export function createFiles(
  files: readonly { path: string; size: number }[],
): (string | undefined)[] {
  return files.map(({ path, size }) => {
    try {
      const fd = openSync(path, CREATE_FLAGS, 0o600);
      try {
        ftruncateSync(fd, size);
      } finally {
        closeSync(fd);
      }
      return undefined;
    } catch (err) {
      return `cannot create: ${(err as Error).message}`;
    }
  });
}

/** What a file's content ids would be: re-reads a restored file to prove it (restore --verify). */
export async function hashFiles(
  ctx: TaskContext,
  paths: readonly string[],
): Promise<ResultOf['hash-files']> {
  const out: ResultOf['hash-files'][number][] = [];
  for (const path of paths) {
    try {
      const fd = openSync(path, constants.O_RDONLY | O_NOFOLLOW);
      try {
        const size = fstatSync(fd).size;
        const ids: string[] = [];
        const read = (b: Buffer, o: number, l: number, p: number) => readSync(fd, b, o, l, p);
        for await (const chunk of chunkViews(ctx.chunker, read, size, ctx.scratch)) {
          ids.push(keyedIdBytes(ctx.key, chunk).toString('hex'));
        }
        out.push({ ok: true, size, ids });
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      out.push({ ok: false, message: (err as Error).message });
    }
  }
  return out;
}

/** Runs one request; `crash` is what a test asks for to see a worker die. */
export function runTask(ctx: TaskContext, request: Request, crash: () => never): Promise<unknown> {
  switch (request.kind) {
    case 'chunk-files':
      return chunkFiles(ctx, request.files);
    case 'restore-blobs':
      return restoreBlobs(ctx, request.pack, request.data, request.blobs, request.again);
    case 'hash-files':
      return hashFiles(ctx, request.paths);
    case 'create-files':
      return Promise.resolve(createFiles(request.files));
    case 'crash':
      return crash();
    default:
      return assertNever(request);
  }
}
