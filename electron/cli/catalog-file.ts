/**
 * Where the catalog (jobs, runs, the snapshot cache) lives: --catalog FILE, else STRATA_CATALOG,
 * else the platform's data folder. Its folder is made private (0700): the catalog holds no
 * secrets, but it does list every folder a user backs up and every path in every snapshot.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { str, type Options, type Parsed } from './context';

export const CATALOG_OPTION: Options = { catalog: { type: 'string' } };

/** The platform's usual place for the catalog file. */
export function defaultCatalogFile(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'darwin')
    return join(home, 'Library', 'Application Support', 'Strata', 'catalog.db');
  if (platform === 'win32')
    return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Strata', 'catalog.db');
  // XDG: a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  return join(
    xdg && xdg.startsWith('/') ? xdg : join(home, '.local', 'share'),
    'strata',
    'catalog.db',
  );
}

/** The catalog file the options name, with its folder made (mode 0700) if missing. */
export function catalogFile(p: Parsed): string {
  const option = str(p, 'catalog') ?? process.env.STRATA_CATALOG;
  const file = option ? resolve(option) : defaultCatalogFile();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return file;
}
