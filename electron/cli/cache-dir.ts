/**
 * Where this computer keeps its local state of repositories (records of data checks and test
 * restores): --cache-dir, else STRATA_CACHE_DIR, else the platform's cache folder. The engine
 * only ever gets the resulting path.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { localStateDir } from '../engine/maintenance/local-state';
import type { Repository } from '../engine/repository/repository';
import { str, type Options, type Parsed } from './context';

/** The option, for commands that keep local state. */
export const CACHE_DIR_OPTION: Options = { 'cache-dir': { type: 'string' } };

/** The platform's usual cache folder for Strata. */
export function defaultCacheBase(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.STRATA_CACHE_DIR) return resolve(env.STRATA_CACHE_DIR);
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'strata');
  if (platform === 'win32')
    return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'strata', 'cache');
  // XDG: a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'strata');
}

/** The local state folder of `repo`, from the options. */
export function stateDirFor(p: Parsed, repo: Repository): string {
  const option = str(p, 'cache-dir');
  return localStateDir(option ? resolve(option) : defaultCacheBase(), repo.config.id);
}
