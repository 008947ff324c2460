/**
 * What every command shares: global options, the repository location, the password, output.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { StrataError } from '../../shared/errors';
import type { Backend } from '../engine/backends/backend';
import { LocalBackend } from '../engine/backends/local';
import { Repository } from '../engine/repository/repository';
import type { SnapshotFilter } from '../engine/repository/snapshots';
import { getPassword } from './password';

export type Options = NonNullable<ParseArgsConfig['options']>;

export const GLOBAL_OPTIONS: Options = {
  repo: { type: 'string', short: 'r' },
  'password-file': { type: 'string' },
  'password-command': { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  workers: { type: 'string' },
};

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** Parses a command's arguments together with the global options. */
export function parse(args: readonly string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values, positionals };
  } catch (err) {
    throw new StrataError('INVALID_ARGUMENT', `${(err as Error).message} (see strata --help)`);
  }
}

export function str(p: Parsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function list(p: Parsed, name: string): string[] {
  const v = p.values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function flag(p: Parsed, name: string): boolean {
  return p.values[name] === true;
}

/** --host, --tag, --path: which snapshots a command looks at (and which one "latest" is). */
export const FILTER_OPTIONS: Options = {
  host: { type: 'string' },
  tag: { type: 'string', multiple: true },
  path: { type: 'string', multiple: true },
};

export function filterFrom(p: Parsed): SnapshotFilter {
  return { host: str(p, 'host'), tags: list(p, 'tag'), paths: list(p, 'path') };
}

/** The repository location from --repo or STRATA_REPOSITORY. */
export function repoLocation(p: Parsed): string {
  const loc = str(p, 'repo') ?? process.env.STRATA_REPOSITORY;
  if (!loc) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      'no repository given: use --repo PATH or set STRATA_REPOSITORY',
    );
  }
  return loc;
}

/** A backend for the location (a local folder for now; sftp:, s3: and rclone: come later). */
export function backendFor(location: string): Backend {
  if (/^[a-z][a-z0-9+]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `${location}: only local folders are supported in this version`,
    );
  }
  return new LocalBackend(resolve(location));
}

export async function password(
  p: Parsed,
  prompt = 'Repository password: ',
  confirm = false,
): Promise<string> {
  return getPassword({
    file: str(p, 'password-file'),
    command: str(p, 'password-command'),
    prompt,
    confirm,
  });
}

/** Opens the repository the options name. */
export async function openRepo(p: Parsed): Promise<Repository> {
  const location = repoLocation(p);
  const backend = backendFor(location);
  const exists = await stat(resolve(location)).then(
    () => true,
    () => false,
  );
  if (!exists) {
    throw new StrataError(
      'REPO_NOT_FOUND',
      `there is no repository at ${resolve(location)}: the folder does not exist (is the drive connected?)`,
    );
  }
  return Repository.open(backend, await password(p));
}

/** The worker-thread count from --workers or STRATA_WORKERS (undefined: one per core). */
export function workers(p: Parsed): number | undefined {
  const text = str(p, 'workers') ?? process.env.STRATA_WORKERS;
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 256) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--workers must be a whole number from 0 to 256 (got ${text})`,
    );
  }
  return n;
}

/** Writes one JSON document per line to stdout. */
export function emitJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function say(p: Parsed, line: string): void {
  if (!flag(p, 'quiet')) process.stdout.write(line + '\n');
}
