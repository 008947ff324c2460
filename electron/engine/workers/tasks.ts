/**
 * The work done off the coordinator: read -> chunk -> hash -> compress -> seal for backups, and
 * open -> write for restores. Plain functions over a context, so the same code runs in a worker
 * thread (worker.ts) or inline (a pool of size 0: tests, and machines where threads cannot start).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { chunkStream, type Chunker } from '../chunker/fastcdc';
import { keyedIdBytes, type MasterKey } from '../crypto/master-key';
import { openBlob, sealBlob } from '../repository/blob';
import type { IndexView } from '../repository/master-index';
import type {
  BlobEvent,
  FileOutcome,
  FileTask,
  ResultOf,
  RestoreBlob,
  StatStamp,
} from './protocol';

export interface TaskContext {
  readonly key: MasterKey;
  readonly chunker: Chunker;
  index(): IndexView;
  /** Hands a sealed blob to the coordinator; resolves when more may be sent (flow control). */
  emit(event: BlobEvent): Promise<void>;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NOATIME = constants.O_NOATIME ?? 0;

/**
 * Opens a file to back it up: never through a symlink, and without touching its access time
 * where the OS allows it (Linux allows O_NOATIME to the file's owner and to root only).
 */
async function openForBackup(path: string): Promise<FileHandle> {
  if (O_NOATIME) {
    try {
      return await open(path, constants.O_RDONLY | O_NOFOLLOW | O_NOATIME);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
  }
  return open(path, constants.O_RDONLY | O_NOFOLLOW);
}

function stamp(st: import('node:fs').BigIntStats): StatStamp {
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
  let fh: FileHandle;
  try {
    fh = await openForBackup(task.path);
  } catch (err) {
    return errorOutcome(err, 'cannot open');
  }
  try {
    const before = await fh.stat({ bigint: true });
    if (!before.isFile() || before.ino.toString() !== task.ino) {
      return { ok: false, message: 'replaced by something else while backing up' };
    }
    const content: string[] = [];
    let size = 0;
    const read = (b: Buffer, o: number, l: number, p: number) =>
      fh.read(b, o, l, p).then((r) => r.bytesRead);
    for await (const chunk of chunkStream(ctx.chunker, read, Number(before.size))) {
      const idBytes = keyedIdBytes(ctx.key, chunk);
      const id = idBytes.toString('hex');
      content.push(id);
      size += chunk.length;
      if (emitted.has(id) || ctx.index().hasId(idBytes)) continue;
      emitted.add(id);
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
    const after = await fh.stat({ bigint: true });
    const changed =
      before.size !== after.size ||
      before.mtimeNs !== after.mtimeNs ||
      before.ctimeNs !== after.ctimeNs ||
      BigInt(size) !== before.size;
    return { ok: true, size, content, before: stamp(before), changed };
  } catch (err) {
    return errorOutcome(err, 'read failed');
  } finally {
    await fh.close().catch(() => undefined);
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

/** True when every byte is zero (such chunks are left as holes in restored files). */
export function isZero(buf: Uint8Array): boolean {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let at = 0; at < b.length; at += ZERO.length) {
    const end = Math.min(at + ZERO.length, b.length);
    if (b.compare(ZERO, 0, end - at, at, end) !== 0) return false;
  }
  return true;
}

/** Opens the blobs of one pack range and writes each to its places in the restored files. */
export async function restoreBlobs(
  ctx: TaskContext,
  pack: string,
  data: Uint8Array,
  blobs: readonly RestoreBlob[],
): Promise<ResultOf['restore-blobs']> {
  const failed: { id: string; message: string }[] = [];
  const handles = new Map<string, FileHandle>();
  let bytesWritten = 0;
  try {
    for (const b of blobs) {
      let plain: Buffer;
      try {
        plain = openBlob(ctx.key, b.id, { ...b, pack }, data.subarray(b.at, b.at + b.length));
      } catch (err) {
        failed.push({ id: b.id, message: (err as Error).message });
        continue;
      }
      if (isZero(plain)) continue;
      for (const t of b.targets) {
        let h = handles.get(t.path);
        if (!h) handles.set(t.path, (h = await open(t.path, constants.O_WRONLY | O_NOFOLLOW)));
        await h.write(plain, 0, plain.length, t.offset);
        bytesWritten += plain.length;
      }
    }
  } finally {
    for (const h of handles.values()) await h.close().catch(() => undefined);
  }
  return { failed, bytesWritten };
}

/** What a file's content ids would be: re-reads a restored file to prove it (restore --verify). */
export async function hashFiles(
  ctx: TaskContext,
  paths: readonly string[],
): Promise<ResultOf['hash-files']> {
  const out: ResultOf['hash-files'][number][] = [];
  for (const path of paths) {
    try {
      const fh = await open(path, constants.O_RDONLY | O_NOFOLLOW);
      try {
        const size = (await fh.stat()).size;
        const ids: string[] = [];
        const read = (b: Buffer, o: number, l: number, p: number) =>
          fh.read(b, o, l, p).then((r) => r.bytesRead);
        for await (const chunk of chunkStream(ctx.chunker, read, size))
          ids.push(keyedIdBytes(ctx.key, chunk).toString('hex'));
        out.push({ ok: true, size, ids });
      } finally {
        await fh.close();
      }
    } catch (err) {
      out.push({ ok: false, message: (err as Error).message });
    }
  }
  return out;
}
