/**
 * The local state folder of a repository: what this computer remembers about it (which packs it
 * has read and found good, the last test restore). It lives outside the repository, in
 * `<base>/<repository id>/`; the caller picks the base (the CLI's --cache-dir and its defaults).
 *
 * Nothing here is an authority (ARCHITECTURE.md: local data is a cache that never decides to
 * delete remote data): a missing or unreadable file only means starting over. Files hold no
 * secrets and no plaintext names, since this folder is not encrypted and may itself be backed
 * up or synced. Each file is JSON, written to a temporary name and renamed, so a crash leaves the
 * old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError } from '../../../shared/errors';

/** The state folder of the repository with config id `repoId` under `base`. */
export function localStateDir(base: string, repoId: string): string {
  // The id comes from the repository config: refuse anything that could leave `base`.
  if (!/^[0-9a-f]{16,128}$/.test(repoId))
    throw new StrataError('REPO_CORRUPT', 'the repository id is not a hex string');
  return join(base, repoId);
}

export interface StateRead {
  /** The parsed JSON; undefined when the file is missing or unreadable. */
  readonly value?: unknown;
  /** Set when a file was there but could not be used: say so, then start over. */
  readonly warning?: string;
}

/** Reads `name` in `dir`; never throws for a missing or damaged file. */
export async function readStateFile(dir: string, name: string): Promise<StateRead> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { warning: `cannot read ${path} (${(err as Error).message}); starting over` };
  }
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { warning: `${path} is damaged (${(err as Error).message}); starting over` };
  }
}

/** Writes `value` as JSON to `name` in `dir` atomically (temp file, fsync, rename). */
export async function writeStateFile(dir: string, name: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(JSON.stringify(value));
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
