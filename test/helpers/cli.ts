/**
 * Runs the built `strata` executable as a user would, in a child process.
 * Tests run after `npm run build` (the `test` script builds first).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const STRATA_BIN = resolve(__dirname, '../../bin/strata.js');

/**
 * The local state folder runs use unless a test sets STRATA_CACHE_DIR itself, so tests never
 * write into the user's cache folder. One shared folder, not one per process: vitest's workers
 * end without an 'exit' event to clean up after, and records of throwaway repositories are tiny.
 */
const TEST_CACHE_DIR = join(tmpdir(), 'strata-test-cache');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly env?: Record<string, string | undefined>;
  readonly password?: string;
  readonly cwd?: string;
  /** Run as another user (tests run as root). */
  readonly uid?: number;
  readonly gid?: number;
}

/** Runs `strata ARGS...` and waits for it to end. The password defaults to "test-password". */
export function strata(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [STRATA_BIN, ...args], {
      cwd: options.cwd,
      uid: options.uid,
      gid: options.gid,
      env: {
        ...process.env,
        STRATA_PASSWORD: options.password ?? 'test-password',
        STRATA_REPOSITORY: undefined,
        STRATA_CACHE_DIR: TEST_CACHE_DIR,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** `strata init` with a cheap KDF (tests make many repositories). */
export async function initRepo(repo: string, password = 'test-password'): Promise<void> {
  const r = await strata(['init', '--repo', repo, '--kdf-log-n', '10'], { password });
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(
  prefix = 'strata-test-',
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses newline-delimited JSON output. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
