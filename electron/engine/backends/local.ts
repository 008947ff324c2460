/**
 * LocalBackend: a repository in a local folder (internal or external disk, NAS mount).
 *
 * Layout: <root>/config, <root>/{keys,index,snapshots,locks}/<name> and
 * <root>/data/<first two chars of name>/<name> (256 subfolders made by create()).
 *
 * Constraints it keeps (see backend.ts and ENGINE.md "Invariants"):
 * - Atomic, durable, never overwriting writes: temp file `.tmp-<hex>` in the target folder ->
 *   fsync -> link(tmp, final), which fails atomically with EEXIST on a taken name -> unlink tmp
 *   -> fsync the folder. Filesystems without hard links (FAT/exFAT, some SMB shares) fall back
 *   to "check, then rename", which is not atomic against a concurrent writer of the same name.
 * - It never creates the root (or a kind folder) outside create(): when a drive is unplugged
 *   its mount point may still exist as an empty folder, and writing there would silently fill
 *   the system disk. Only a missing data/<xx> folder is recreated on demand.
 * - Names are validated before they reach a path (no traversal), and listings skip temp files
 *   and anything else whose name is not plain lowercase hex.
 * - Errors are StrataErrors; the root being unreachable is reported as BACKEND_UNAVAILABLE,
 *   never as a missing file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, promises as fsp, readSync } from 'node:fs';
import type { FileHandle as FsFileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { StrataError } from '../../../shared/errors';
import { FILE_KINDS, LATER_KINDS, type Backend, type ByteRange, type FileHandle } from './backend';
import type { PartialFile, TempSweep } from './backend';
import { type FileInfo, type FileKind } from './backend';
import { errnoCode, fsErrorToStrata } from './fs-errors';

const NAME_RE = /^[0-9a-f]{8,128}$/; // also excludes temp files: '.' is not hex
const SUBDIR_RE = /^[0-9a-f]{2}$/;
const TMP_PREFIX = '.tmp-';
/**
 * link() errors meaning "this filesystem has no hard links". EISDIR is how Node on Windows
 * reports ERROR_INVALID_FUNCTION, which CreateHardLink returns on FAT/exFAT.
 */
const LINK_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EISDIR']);
/** fsync() errors on a folder from filesystems that cannot sync folders. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Joins runs of small parts (a pack of tiny blobs has tens of thousands) into writes of up to
 * 4 MiB, so a pack is not one system call per blob; large parts are written as they are.
 */
export function* coalesce(parts: readonly Uint8Array[]): Generator<Uint8Array> {
  const SMALL = 256 * 1024;
  const LIMIT = 4 * 1024 * 1024;
  let run: Uint8Array[] = [];
  let size = 0;
  for (const part of parts) {
    if (part.byteLength >= SMALL) {
      if (run.length > 0) yield Buffer.concat(run);
      run = [];
      size = 0;
      yield part;
      continue;
    }
    run.push(part);
    size += part.byteLength;
    if (size >= LIMIT) {
      yield Buffer.concat(run);
      run = [];
      size = 0;
    }
  }
  if (run.length > 0) yield Buffer.concat(run);
}

/** Throws INVALID_ARGUMENT unless `kind` is one of FILE_KINDS. */
export function checkKind(kind: FileKind): void {
  if (!(FILE_KINDS as readonly string[]).includes(kind)) {
    throw new StrataError('INVALID_ARGUMENT', `unknown file kind ${JSON.stringify(kind)}`);
  }
}

/** Throws INVALID_ARGUMENT unless the handle names a plain file (defence against traversal). */
export function checkHandle(handle: FileHandle): void {
  checkKind(handle.kind);
  if (handle.kind === 'config') {
    if (handle.name !== 'config') {
      throw new StrataError('INVALID_ARGUMENT', `the config file is always named "config"`);
    }
  } else if (typeof handle.name !== 'string' || !NAME_RE.test(handle.name)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `invalid ${handle.kind} file name ${JSON.stringify(handle.name)}: names are 8 to 128 lowercase hex characters`,
    );
  }
}

function checkRange(range: ByteRange): void {
  const ok = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!ok(range.offset) || !ok(range.length)) {
    throw new StrataError('INVALID_ARGUMENT', `invalid byte range ${JSON.stringify(range)}`);
  }
}

/** fsync a folder so a new entry survives a power cut (Windows cannot, and needs not). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let fh: FsFileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    if (!DIR_SYNC_UNSUPPORTED.has(errnoCode(err) ?? '')) throw err;
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** lstat-based: a dangling symlink or a folder counts as taken too. */
async function exists(file: string): Promise<boolean> {
  return fsp.lstat(file).then(
    () => true,
    (err: unknown) => (errnoCode(err) === 'ENOENT' ? false : Promise.reject(err)),
  );
}

function taken(file: string, cause?: unknown): StrataError {
  const message = `${file} already exists; repository files are never overwritten`;
  return new StrataError('ALREADY_EXISTS', message, { cause });
}

async function mkdirIfMissing(dir: string): Promise<void> {
  await fsp.mkdir(dir).catch((err: unknown) => {
    if (errnoCode(err) !== 'EEXIST') throw err;
  });
}

/** readSmallSync's limit: a tree blob, not a pack. */
const SMALL_READ = 1024 * 1024;

export class LocalBackend implements Backend {
  /** The absolute path of the repository folder. */
  readonly location: string;

  constructor(root: string) {
    this.location = path.resolve(root);
  }

  /**
   * Makes the root (if its parent exists) and the empty layout. A root that already holds other
   * files is accepted: they are left alone and never listed. REPO_EXISTS if <root>/config exists.
   */
  async create(): Promise<void> {
    const root = this.location;
    try {
      await mkdirIfMissing(root);
      const rootErr = await this.rootError();
      if (rootErr) throw rootErr;
      const config = this.pathOf({ kind: 'config', name: 'config' });
      if (await exists(config)) {
        const message = `${root} already holds a repository (found ${config}); open it instead`;
        throw new StrataError('REPO_EXISTS', message);
      }
      const kinds = FILE_KINDS.filter((k) => k !== 'config');
      await Promise.all(kinds.map((k) => mkdirIfMissing(path.join(root, k))));
      const subdirs = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
      await Promise.all(subdirs.map((s) => mkdirIfMissing(path.join(root, 'data', s))));
      await syncDir(path.join(root, 'data'));
      await syncDir(root);
    } catch (err) {
      throw await this.fail(err, 'create the repository in', root);
    }
  }

  async list(kind: FileKind): Promise<FileInfo[]> {
    checkKind(kind);
    if (kind === 'config') {
      const config = await this.stat({ kind, name: 'config' }).catch((err: unknown) => {
        if (err instanceof StrataError && err.code === 'NOT_FOUND') return undefined;
        throw err;
      });
      return config ? [config] : [];
    }
    const dir = path.join(this.location, kind);
    if (kind !== 'data') return this.listDir(dir, () => true);
    const subdirs = (await this.readdir(dir)).filter((n) => SUBDIR_RE.test(n));
    // A file filed under the wrong subfolder could never be read, so it is not listed either.
    const lists = await Promise.all(
      subdirs.map((s) => this.listDir(path.join(dir, s), (n) => n.startsWith(s))),
    );
    return lists.flat();
  }

  async stat(handle: FileHandle): Promise<FileInfo> {
    checkHandle(handle);
    const file = this.pathOf(handle);
    try {
      const st = await fsp.stat(file);
      if (!st.isFile()) throw new StrataError('REPO_CORRUPT', `${file} is not a regular file`);
      return { name: handle.name, size: st.size };
    } catch (err) {
      throw await this.fail(err, 'read', file);
    }
  }

  async read(handle: FileHandle, range?: ByteRange, into?: Buffer): Promise<Buffer> {
    checkHandle(handle);
    if (range) checkRange(range);
    const file = this.pathOf(handle);
    const pastEnd = (size: number, r: ByteRange) => {
      const asked = `bytes ${r.offset} to ${r.offset + r.length} were requested`;
      const message = `${file} is ${size} bytes, but ${asked}: the file is truncated or damaged (run a repository check)`;
      return new StrataError('REPO_CORRUPT', message);
    };
    let fh: FsFileHandle | undefined;
    try {
      fh = await fsp.open(file, 'r');
      if (!range) return await fh.readFile();
      // No stat first: a range past the end shows as a short read (one round trip less).
      // An empty range reads nothing, so only it needs the size.
      if (range.length === 0) {
        const { size } = await fh.stat();
        if (range.offset > size) throw pastEnd(size, range);
      }
      const buf =
        into && into.length >= range.length
          ? into.subarray(0, range.length)
          : Buffer.alloc(range.length);
      for (let done = 0; done < range.length;) {
        const { bytesRead } = await fh.read(buf, done, range.length - done, range.offset + done);
        if (bytesRead === 0) throw pastEnd(range.offset + done, range); // too short
        done += bytesRead;
      }
      return buf;
    } catch (err) {
      throw await this.fail(err, 'read', file);
    } finally {
      await fh?.close().catch(() => {});
    }
  }

  readSmallSync(handle: FileHandle, range: ByteRange): Buffer | undefined {
    if (range.length === 0 || range.length > SMALL_READ) return undefined;
    let fd: number | undefined;
    try {
      checkHandle(handle);
      checkRange(range);
      fd = openSync(this.pathOf(handle), 'r');
      const buf = Buffer.allocUnsafe(range.length);
      for (let done = 0; done < range.length;) {
        const n = readSync(fd, buf, done, range.length - done, range.offset + done);
        if (n === 0) return undefined; // too short: read() says so properly
        done += n;
      }
      return buf;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async write(handle: FileHandle, data: Uint8Array | readonly Uint8Array[]): Promise<void> {
    checkHandle(handle);
    const file = this.pathOf(handle);
    const dir = path.dirname(file);
    const tmp = path.join(dir, TMP_PREFIX + randomBytes(8).toString('hex'));
    let fh: FsFileHandle | undefined;
    try {
      try {
        fh = await fsp.open(tmp, 'wx');
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
        if (handle.kind !== 'data' && !(await this.mayMakeKindFolder(handle.kind))) throw err;
        await mkdirIfMissing(dir); // fails with ENOENT in turn if <root>/data is missing
        await syncDir(path.dirname(dir));
        fh = await fsp.open(tmp, 'wx');
      }
      for (const part of coalesce(data instanceof Uint8Array ? [data] : data))
        await fh.writeFile(part);
      await fh.sync();
      await fh.close();
      fh = undefined;
      await this.publish(tmp, file);
    } catch (err) {
      await fh?.close().catch(() => {});
      await fsp.unlink(tmp).catch(() => {});
      throw await this.fail(err, 'write', file);
    }
    // The file is published; if this fails it exists but may not survive a power cut.
    await syncDir(dir).catch(async (err: unknown) => {
      throw await this.fail(err, 'write', file);
    });
  }

  /**
   * A pack written as it fills: a temp file in data/ (never listed), appended to, then on
   * commit fsync -> link into data/<xx>/ -> unlink the temp -> fsync that folder, as write().
   */
  async openPartial(kind: 'data'): Promise<PartialFile> {
    checkKind(kind);
    const tmp = path.join(this.location, kind, TMP_PREFIX + randomBytes(8).toString('hex'));
    let fh: FsFileHandle | undefined;
    try {
      fh = await fsp.open(tmp, 'wx');
    } catch (err) {
      throw await this.fail(err, 'write', tmp);
    }
    const open = fh;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      await open.close();
    };
    return {
      append: async (parts) => {
        try {
          for (const part of coalesce(parts)) await open.writeFile(part);
        } catch (err) {
          throw await this.fail(err, 'write', tmp);
        }
      },
      commit: async (name) => {
        const handle = { kind, name };
        checkHandle(handle);
        const file = this.pathOf(handle);
        try {
          await open.sync();
          await close();
          await mkdirIfMissing(path.dirname(file)); // only data/<xx> is ever made on demand
          await this.publish(tmp, file);
        } catch (err) {
          await fsp.unlink(tmp).catch(() => {});
          throw await this.fail(err, 'write', file);
        }
        await syncDir(path.dirname(file)).catch(async (err: unknown) => {
          throw await this.fail(err, 'write', file);
        });
      },
      abort: async () => {
        await close().catch(() => {});
        await fsp.unlink(tmp).catch(() => {});
      },
    };
  }

  async remove(handle: FileHandle): Promise<void> {
    checkHandle(handle);
    const file = this.pathOf(handle);
    await fsp.unlink(file).catch(async (err: unknown) => {
      throw await this.fail(err, 'delete', file);
    });
  }

  /**
   * A repository made before a kind existed lacks its folder: it is made on first write, but
   * only inside a real repository (a config file is there), never on an empty mount point.
   */
  private async mayMakeKindFolder(kind: FileKind): Promise<boolean> {
    if (!LATER_KINDS.includes(kind)) return false;
    return exists(this.pathOf({ kind: 'config', name: 'config' }));
  }

  /**
   * Temp files (`.tmp-*`) in the kind folders and data/<xx>/ not modified for `olderThanMs`:
   * what a crash left of a pack or a write. By mtime only: a pack being written is appended
   * every 2 MiB and a plain write lasts seconds, so a live temp file is always fresh.
   */
  async sweepTemp(options: { olderThanMs: number; remove: boolean }): Promise<TempSweep> {
    const dirs = FILE_KINDS.filter((k) => k !== 'config').map((k) => path.join(this.location, k));
    const data = path.join(this.location, 'data');
    for (const sub of await this.readdir(data)) {
      if (SUBDIR_RE.test(sub)) dirs.push(path.join(data, sub));
    }
    const cutoff = Date.now() - options.olderThanMs;
    let files = 0;
    let bytes = 0;
    let removed = 0;
    for (const dir of dirs) {
      const names = (await this.readdir(dir)).filter((n) => n.startsWith(TMP_PREFIX));
      for (const name of names) {
        const file = path.join(dir, name);
        const st = await fsp.lstat(file).catch(() => undefined); // gone since readdir: committed
        if (!st?.isFile() || st.mtimeMs > cutoff) continue;
        files++;
        bytes += st.size;
        if (!options.remove) continue;
        try {
          await fsp.unlink(file);
          removed++;
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw await this.fail(err, 'remove', file);
        }
      }
    }
    return { files, bytes, removed };
  }

  /** Nothing to release for a local folder. */
  async close(): Promise<void> {}

  private pathOf(handle: FileHandle): string {
    if (handle.kind === 'config') return path.join(this.location, 'config');
    if (handle.kind === 'data') {
      return path.join(this.location, 'data', handle.name.slice(0, 2), handle.name);
    }
    return path.join(this.location, handle.kind, handle.name);
  }

  /** Publishes tmp as file without ever overwriting; tmp is gone on success. */
  private async publish(tmp: string, file: string): Promise<void> {
    try {
      await fsp.link(tmp, file);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') throw taken(file, err);
      if (!LINK_UNSUPPORTED.has(code ?? '')) throw err;
      // No hard links here. Check, then rename: a concurrent writer of the same name could slip
      // in between, which names that are content hashes or random make harmless or impossible.
      if (await exists(file)) throw taken(file);
      await fsp.rename(tmp, file);
      return;
    }
    await fsp.unlink(tmp).catch(() => {}); // a leftover temp file is harmless: never listed
  }

  /** Plain-named regular files in dir with their sizes; a missing dir gives []. */
  private async listDir(dir: string, accept: (name: string) => boolean): Promise<FileInfo[]> {
    const names = (await this.readdir(dir)).filter((n) => NAME_RE.test(n) && accept(n));
    const infos = await Promise.all(
      names.map(async (name) => {
        const file = path.join(dir, name);
        try {
          const st = await fsp.stat(file);
          return st.isFile() ? { name, size: st.size } : undefined;
        } catch (err) {
          if (errnoCode(err) === 'ENOENT') return undefined; // removed since readdir
          throw await this.fail(err, 'read', file);
        }
      }),
    );
    return infos.filter((i) => i !== undefined);
  }

  private async readdir(dir: string): Promise<string[]> {
    try {
      return await fsp.readdir(dir);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw await this.fail(err, 'list', dir);
      const rootErr = await this.rootError();
      if (rootErr) throw rootErr;
      return [];
    }
  }

  /** Why the root cannot be used (missing, not a folder, unreadable), or undefined if it can. */
  private async rootError(): Promise<StrataError | undefined> {
    const root = this.location;
    try {
      if ((await fsp.stat(root)).isDirectory()) return undefined;
      return new StrataError('INVALID_ARGUMENT', `the destination ${root} is a file, not a folder`);
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return fsErrorToStrata(err, 'open', root);
      const message = `the destination ${root} is not reachable (is the drive connected / the share mounted?)`;
      return new StrataError('BACKEND_UNAVAILABLE', message, { cause: err });
    }
  }

  /** Maps a failure, checking the root first when a path went missing. */
  private async fail(err: unknown, action: string, file: string): Promise<StrataError> {
    const code = errnoCode(err);
    const rootErr = code === 'ENOENT' || code === 'ENOTDIR' ? await this.rootError() : undefined;
    const cause = { cause: err };
    if (rootErr) return rootErr;
    if (code === 'ENOTDIR') {
      const why = `a file stands where the repository needs a folder; ${this.location} is damaged`;
      return new StrataError('REPO_CORRUPT', `cannot ${action} ${file}: ${why}`, cause);
    }
    if (code === 'ENOENT' && action === 'write') {
      // A kind folder (or data/) is gone although the root is there: likely an empty mount point.
      const why = `${this.location} holds no repository (is the right drive connected / the share mounted?)`;
      return new StrataError('REPO_NOT_FOUND', `cannot write ${file}: ${why}`, cause);
    }
    return fsErrorToStrata(err, action, file);
  }
}
