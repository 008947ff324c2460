/**
 * A workspace for the job and daemon tests: a catalog file and a local state folder of its own
 * (STRATA_CATALOG, STRATA_CACHE_DIR), a password file with mode 0600 so no keychain is needed,
 * and `strata` runs with that environment and no STRATA_PASSWORD.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonLines, strata, tempDir, type CliOptions, type CliResult } from './cli';

export interface JobWorkspace {
  readonly dir: string;
  readonly catalog: string;
  readonly passwordFile: string;
  readonly password: string;
  readonly env: Record<string, string | undefined>;
  /** `strata ARGS...` with the workspace's catalog and cache. */
  run(args: readonly string[], options?: CliOptions): Promise<CliResult>;
  /** `strata ARGS... --json`, expecting exit 0; the last JSON line. */
  json<T = Record<string, unknown>>(args: readonly string[]): Promise<T>;
  /** A folder with files in it, under the workspace. */
  folder(name: string, files?: Record<string, string>): Promise<string>;
  cleanup(): Promise<void>;
}

export async function jobWorkspace(password = 'jobs-test-pw-5e1d9a'): Promise<JobWorkspace> {
  const { dir, cleanup } = await tempDir('strata-jobs-');
  const catalog = join(dir, 'state', 'catalog.db');
  const passwordFile = join(dir, 'password');
  await writeFile(passwordFile, password + '\n', { mode: 0o600 });
  await chmod(passwordFile, 0o600);
  const env = {
    STRATA_CATALOG: catalog,
    STRATA_CACHE_DIR: join(dir, 'cache'),
    STRATA_PASSWORD: undefined,
  };
  const run = (args: readonly string[], options: CliOptions = {}) =>
    strata(args, { ...options, env: { ...env, ...options.env } });
  return {
    dir,
    catalog,
    passwordFile,
    password,
    env,
    run,
    async json<T>(args: readonly string[]): Promise<T> {
      const r = await run([...args, '--json']);
      if (r.code !== 0) throw new Error(`strata ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
      return jsonLines(r.stdout).at(-1) as T;
    },
    async folder(name: string, files: Record<string, string> = {}): Promise<string> {
      const path = join(dir, name);
      await mkdir(path, { recursive: true });
      for (const [file, content] of Object.entries(files))
        await writeFile(join(path, file), content);
      return path;
    },
    cleanup,
  };
}
