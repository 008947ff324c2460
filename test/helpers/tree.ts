/**
 * Helpers for end-to-end tests that build file trees and compare them after a round trip:
 * a full lstat-based description of a tree, exact nanosecond times, file hashes, and running the
 * CLI as another user (to make files unreadable when the tests run as root).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, type BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strata, type CliResult } from './cli';

const run = promisify(execFile);

export type EntryType = 'file' | 'dir' | 'symlink' | 'fifo' | 'socket' | 'other';

export interface EntryInfo {
  readonly type: EntryType;
  /** mode & 0o7777 */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly ino: bigint;
  readonly size: number;
  /** Allocated bytes (st_blocks * 512). */
  readonly allocated: number;
  readonly mtimeNs: bigint;
  /** Files: sha256 of the content. */
  readonly sha256?: string;
  /** Symlinks: the target. */
  readonly target?: string;
}

function typeOf(st: BigIntStats): EntryType {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isFIFO()) return 'fifo';
  if (st.isSocket()) return 'socket';
  return 'other';
}

export function sha256File(path: string): Promise<string> {
  return new Promise((done, fail) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', fail)
      .on('end', () => done(h.digest('hex')));
  });
}

export async function describe1(path: string): Promise<EntryInfo> {
  const st = await lstat(path, { bigint: true });
  const type = typeOf(st);
  return {
    type,
    mode: Number(st.mode & 0o7777n),
    uid: Number(st.uid),
    gid: Number(st.gid),
    nlink: Number(st.nlink),
    ino: st.ino,
    size: Number(st.size),
    allocated: Number(st.blocks) * 512,
    mtimeNs: st.mtimeNs,
    sha256: type === 'file' ? await sha256File(path) : undefined,
    target: type === 'symlink' ? await readlink(path) : undefined,
  };
}

/**
 * Every entry below `root` (and root itself as ''), by '/'-separated relative path. Symlinks are
 * never followed. Unreadable files are hashed anyway: the tests run as root.
 */
export async function describeTree(root: string): Promise<Map<string, EntryInfo>> {
  const out = new Map<string, EntryInfo>();
  const visit = async (path: string, rel: string): Promise<void> => {
    const info = await describe1(path);
    out.set(rel, info);
    if (info.type !== 'dir') return;
    for (const name of (await readdir(path)).sort()) {
      await visit(join(path, name), rel === '' ? name : `${rel}/${name}`);
    }
  };
  await visit(root, '');
  return out;
}

/** Number of files (not folders) below `dir`, at any depth. */
export async function countFiles(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isDirectory()) n++;
  }
  return n;
}

/** Total size of the files below `dir`, at any depth. */
export async function treeBytes(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) n += (await lstat(join(e.parentPath, e.name))).size;
  }
  return n;
}

/**
 * Sets atime and mtime exactly, to the nanosecond, without following symlinks: Node's utimes
 * takes doubles (and libuv truncates to microseconds), so GNU touch does it.
 * `seconds` and `nanos` form the time since the epoch.
 */
export async function setTimeNs(path: string, seconds: bigint, nanos = 0n): Promise<void> {
  const stamp = `@${seconds}.${nanos.toString().padStart(9, '0')}`;
  await run('touch', ['-h', '-d', stamp, path]);
}

/** Runs the CLI as another user (uid/gid), like cli.ts's strata(). */
export function strataAs(
  uid: number,
  gid: number,
  args: readonly string[],
  options: { password?: string; cwd?: string } = {},
): Promise<CliResult> {
  return strata(args, { ...options, uid, gid });
}

/** The one JSON line with message_type "summary" of a `backup --json` or `restore --json` run. */
export function summaryOf(lines: readonly Record<string, unknown>[]): Record<string, unknown> {
  const found = lines.filter((l) => l.message_type === 'summary');
  if (found.length !== 1) throw new Error(`expected one summary line, got ${found.length}`);
  return found[0]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
