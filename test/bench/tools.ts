/**
 * The backup tools under test and how each is driven: detection, version, and the exact
 * init / backup / restore command lines.
 *
 * Constraints: the harness never installs anything. A missing tool is reported with the command
 * that would install it and the benchmark carries on without it. Each tool runs with its default
 * settings (default compression, default KDF) except borg, which is told `zstd,3` (its default is
 * lz4). Every tool's cache and config live in a folder the harness owns (RESTIC_CACHE_DIR,
 * BORG_BASE_DIR), deleted together with the repository, so a "first backup" never finds a cache
 * left over from an earlier run and the user's home folder is not touched.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from './measure';

export const TOOL_NAMES = ['strata', 'restic', 'borg'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export const BENCH_PASSWORD = 'strata-bench-password';

/** Where one tool's run keeps its things. */
export interface ToolPaths {
  readonly repo: string;
  /** The tool's cache / config folder (deleted with the repository). */
  readonly cache: string;
}

export interface ToolInfo {
  readonly available: boolean;
  readonly version: string | null;
  /** Why the tool is missing, and how to install it. */
  readonly note: string | null;
}

export interface Tool {
  readonly name: ToolName;
  detect(): Promise<ToolInfo>;
  init(paths: ToolPaths): Command;
  /** Backup number `n` (1, 2, 3, ...) of `source` into the repository. */
  backup(paths: ToolPaths, source: string, n: number): Command;
  /** Restores the newest backup (the last `n` given to `backup`) into `target`. */
  restore(paths: ToolPaths, target: string, n: number): Command;
}

/** The checkout's root: the folder holding Strata's package.json (from source or dist-bench). */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'strata'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no strata package.json above ${from}`);
  }
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Settings from the user's shell must not redirect or reconfigure the tools.
  for (const name of [
    'STRATA_REPOSITORY',
    'RESTIC_REPOSITORY',
    'RESTIC_PASSWORD_FILE',
    'BORG_REPO',
  ]) {
    delete env[name];
  }
  return env;
}

/** Runs `file args` and returns its first output line, or null when it cannot be run. */
function versionOf(file: string, args: string[]): Promise<string | null> {
  return new Promise((done) => {
    execFile(file, args, { timeout: 30_000 }, (error, stdout) => {
      done(error ? null : (stdout.split('\n')[0]?.trim() ?? null));
    });
  });
}

function strataTool(): Tool {
  const root = repoRoot();
  const bin = resolve(root, 'bin/strata.js');
  const env = (): NodeJS.ProcessEnv => baseEnv({ STRATA_PASSWORD: BENCH_PASSWORD });
  const run = (args: string[]): Command => ({
    file: process.execPath,
    args: [bin, ...args],
    env: env(),
  });
  return {
    name: 'strata',
    async detect() {
      if (!existsSync(join(root, 'dist/electron/cli/main.js'))) {
        return { available: false, version: null, note: 'strata not built: npm run build' };
      }
      const version = await versionOf(process.execPath, [bin, '--version']);
      return version
        ? { available: true, version, note: null }
        : { available: false, version: null, note: `${bin} --version failed` };
    },
    init: (p) => run(['init', '--repo', p.repo]),
    backup: (p, source) => run(['backup', '--repo', p.repo, source]),
    restore: (p, target) => run(['restore', 'latest', '--repo', p.repo, '--target', target]),
  };
}

function resticTool(): Tool {
  const env = (p: ToolPaths): NodeJS.ProcessEnv =>
    baseEnv({ RESTIC_PASSWORD: BENCH_PASSWORD, RESTIC_CACHE_DIR: p.cache });
  const run = (p: ToolPaths, args: string[]): Command => ({ file: 'restic', args, env: env(p) });
  return {
    name: 'restic',
    async detect() {
      const version = await versionOf('restic', ['version']);
      return version
        ? { available: true, version, note: null }
        : { available: false, version: null, note: 'restic not installed: apt-get install restic' };
    },
    init: (p) => run(p, ['init', '--repo', p.repo]),
    backup: (p, source) => run(p, ['backup', '--repo', p.repo, source]),
    restore: (p, target) => run(p, ['restore', 'latest', '--repo', p.repo, '--target', target]),
  };
}

function borgTool(): Tool {
  const env = (p: ToolPaths): NodeJS.ProcessEnv =>
    baseEnv({
      BORG_PASSPHRASE: BENCH_PASSWORD,
      BORG_BASE_DIR: p.cache,
      BORG_DISPLAY_PASSPHRASE: 'no',
      BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK: 'yes',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    });
  const run = (p: ToolPaths, args: string[], cwd?: string): Command => ({
    file: 'borg',
    args,
    env: env(p),
    ...(cwd ? { cwd } : {}),
  });
  return {
    name: 'borg',
    async detect() {
      const version = await versionOf('borg', ['--version']);
      return version
        ? { available: true, version, note: null }
        : {
            available: false,
            version: null,
            note: 'borg not installed: apt-get install borgbackup',
          };
    },
    init: (p) => run(p, ['init', '--encryption=repokey-blake2', p.repo]),
    backup: (p, source, n) =>
      run(p, ['create', '--compression', 'zstd,3', `${p.repo}::bench-${n}`, source]),
    // borg extracts below the current folder (paths are stored without their leading '/').
    restore: (p, target, n) => run(p, ['extract', `${p.repo}::bench-${n}`], target),
  };
}

export function makeTool(name: ToolName): Tool {
  switch (name) {
    case 'strata':
      return strataTool();
    case 'restic':
      return resticTool();
    case 'borg':
      return borgTool();
  }
}
