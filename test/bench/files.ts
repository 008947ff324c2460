/**
 * File-system helpers for the harness: folder sizes (repository size, restored bytes) and removal.
 * Sizes are apparent sizes (st_size) of regular files, summed; folders and links count zero.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  openSync,
  readdirSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import { lstat, readdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';

export interface FolderSize {
  readonly bytes: number;
  readonly files: number;
}

/** Total bytes and count of the regular files below `dir` (0 when it does not exist). */
export async function folderSize(dir: string): Promise<FolderSize> {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    const sizes = await Promise.all(
      entries.map(async (entry) => {
        const path = join(current, entry.name);
        if (entry.isDirectory()) {
          stack.push(path);
          return -1;
        }
        return entry.isFile() ? (await lstat(path)).size : -1;
      }),
    );
    for (const size of sizes) {
      if (size >= 0) {
        bytes += size;
        files++;
      }
    }
  }
  return { bytes, files };
}

export async function removeFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/**
 * Runs `sync` (not on Windows) before a timed step: what earlier steps wrote or deleted is then
 * on disk, not written back by the kernel during this step's time (restores of 20k files and
 * the hash limit swung by 20% to 2.5x on a VM without it).
 */
export function settleDisks(): void {
  if (process.platform !== 'win32') spawnSync('sync', { stdio: 'ignore' });
}

/** Linux's switch to drop clean page-cache pages; writable by root only. */
export const DROP_CACHES = '/proc/sys/vm/drop_caches';

/** Whether dropPageCache can work here (Linux, as root). */
export function canDropPageCache(file = DROP_CACHES): boolean {
  try {
    accessSync(file, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Drops the clean page cache (after `sync`, every page is clean) before a restore, where it can
 * (canDropPageCache); the caller then warms what the restore reads. Each restore writes the
 * whole dataset, and what the earlier restores wrote stays cached: on this VM every further
 * 1 GiB in the page cache cost the next restore ~1 s more of system time (strata 2.8 -> 3.6
 * -> 4.2 s, restic 4.1 -> 4.7 -> 5.7 s over three pairs), the same absolute cost for both,
 * which pulled the ratio toward 1 (x0.68 -> x0.74); with the cache dropped before each, both
 * held steady (strata 2.7-3.2 s, restic 4.4-4.8 s). Returns whether it dropped.
 */
export function dropPageCache(file = DROP_CACHES): boolean {
  try {
    writeFileSync(file, '1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `bytes` more fit in the file system of `dir` with 10% and 1 GiB to spare (false
 * where the free space cannot be read).
 */
export async function roomFor(dir: string, bytes: number): Promise<boolean> {
  try {
    const fs = await statfs(dir);
    return fs.bavail * fs.bsize >= bytes * 1.1 + 2 ** 30;
  } catch {
    return false;
  }
}

/**
 * Reads every regular file below `dir` once, untimed, so the tool timed next finds what it
 * reads (the dataset, its repository) in the page cache as the one before it did. Without it
 * the first tool of a run paid for a cold cache: the scale run's strata first backup took 96 s
 * against restic's 47 s right after it (45 vs 41 s warm), once a mixed bench's restores had
 * pushed the million files out; and this VM drops page-cache pages idle for a minute (DAMON
 * pageout), so a repository written minutes before its restore is partly gone. Links are not
 * followed; a folder that does not exist (yet) reads as empty. Returns what was read.
 */
export function warmFiles(dir: string): FolderSize {
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) stack.push(path);
      if (!entry.isFile()) continue;
      const fd = openSync(path, 'r');
      try {
        for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) bytes += n;
      } finally {
        closeSync(fd);
      }
      files++;
    }
  }
  return { bytes, files };
}
