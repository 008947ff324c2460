/**
 * Helpers for the prune end-to-end tests (prune-crash, prune-concurrent): seeded data, the CLI
 * run as separate processes that can be stopped or killed, a look at the repository folder
 * (packs, locks, index files), and bit-for-bit restore comparisons.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { seededRandom as prng } from '../bench/content';
import { STRATA_BIN, jsonLines, strata, type CliResult } from './cli';
import { describeTree, type EntryInfo } from './tree';

export const MiB = 1024 * 1024;

/** mulberry32, seeded, so a failing run can be replayed with its seed. */
export { prng };

/** Incompressible bytes, the same for the same `label`: an AES-CTR keystream keyed by it. */
export function seededBytes(label: string, n: number): Buffer {
  const key = createHash('sha256').update(label).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

const WORDS = ['strata', 'prune', 'pack', 'index', 'mark', 'tree', 'blob', 'lock', 'session'];

/** Compressible text of `n` bytes, the same for the same `label`. */
export function seededText(label: string, n: number): Buffer {
  const rand = prng(createHash('sha256').update(label).digest().readInt32LE(0));
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const w = `${WORDS[Math.floor(rand() * WORDS.length)]}${Math.floor(rand() * 1000)} `;
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, n));
}

/** A CLI environment: the password, and local state (check records) kept in `cacheDir`. */
export interface Cli {
  readonly password: string;
  readonly cacheDir: string;
}

export function cliEnv(cli: Cli, extra: Record<string, string | undefined> = {}) {
  return { STRATA_CACHE_DIR: cli.cacheDir, ...extra };
}

/** Runs `strata ARGS` to its end. */
export function run(
  cli: Cli,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return strata(args, { password: cli.password, env: cliEnv(cli, env) });
}

export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Milliseconds from spawn to exit. */
  readonly ms: number;
}

/** A `strata` process started in the background. */
export interface Running {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly started: number;
  readonly ended: Promise<Ended>;
  /** True until the process has exited. */
  alive(): boolean;
  /** SIGKILL unless it already ended. */
  kill(): void;
}

export function start(
  cli: Cli,
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Running {
  const started = Date.now();
  const child = spawn(process.execPath, [STRATA_BIN, ...args], {
    env: {
      ...process.env,
      STRATA_PASSWORD: cli.password,
      STRATA_REPOSITORY: undefined,
      ...cliEnv(cli, env),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((done, fail) => {
    child.on('error', fail);
    child.on('exit', () => (exited = true));
    child.on('close', (code, signal) =>
      done({ code, signal, stdout, stderr, ms: Date.now() - started }),
    );
  });
  if (child.pid === undefined) throw new Error('strata did not start');
  return {
    child,
    pid: child.pid,
    started,
    ended,
    alive: () => !exited,
    kill: () => {
      if (!exited) child.kill('SIGKILL');
    },
  };
}

/** Resolves once `cond()` holds (polled every `everyMs`), or rejects after `timeoutMs`. */
export function waitFor(cond: () => boolean, timeoutMs = 30_000, everyMs = 1): Promise<void> {
  return new Promise((done, fail) => {
    const t0 = Date.now();
    const timer = setInterval(() => {
      let ok = false;
      try {
        ok = cond();
      } catch (err) {
        clearInterval(timer);
        fail(err as Error);
        return;
      }
      if (ok) {
        clearInterval(timer);
        done();
      } else if (Date.now() - t0 > timeoutMs) {
        clearInterval(timer);
        fail(new Error(`condition not met within ${timeoutMs} ms`));
      }
    }, everyMs);
  });
}

/** Plain names in a folder of the repository (temp files start with a dot). */
export function namesIn(repo: string, kind: 'locks' | 'index' | 'marks' | 'snapshots'): string[] {
  const dir = join(repo, kind);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort();
}

/** Every stored pack, as its path. */
export function packPaths(repo: string): string[] {
  const data = join(repo, 'data');
  const out: string[] = [];
  // data/ also holds the temp files of packs being written (.tmp-*): only the 256 subfolders.
  for (const sub of readdirSync(data).filter((d) => /^[0-9a-f]{2}$/.test(d))) {
    for (const f of readdirSync(join(data, sub))) {
      if (!f.startsWith('.')) out.push(join(data, sub, f));
    }
  }
  return out.sort();
}

/** Total size of the files below `dir`. */
export async function bytesBelow(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    // Temp files of packs being written (or left by a crash) are not stored packs.
    if (e.isFile() && !e.name.startsWith('.')) n += (await stat(join(e.parentPath, e.name))).size;
  }
  return n;
}

/** `forget` of one snapshot: that is all it does, remove the snapshot file. */
export async function forgetSnapshot(repo: string, id: string): Promise<void> {
  const file = join(repo, 'snapshots', id);
  expect(existsSync(file), `snapshot ${id} to forget`).toBe(true);
  await rm(file);
}

/** A completed backup; returns its snapshot id and summary. */
export async function backupOk(
  cli: Cli,
  repo: string,
  paths: readonly string[],
  extra: readonly string[] = [],
): Promise<{ id: string; summary: Record<string, unknown> }> {
  const r = await run(cli, ['backup', '--repo', repo, ...paths, ...extra, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const summary = jsonLines(r.stdout).find((l) => l.message_type === 'summary');
  expect(summary, r.stdout).toBeDefined();
  return { id: summary!.snapshot_id as string, summary: summary! };
}

export interface PruneJson {
  snapshots: number;
  packs: number;
  repositoryBytes: number;
  usedBytes: number;
  marked: { packs: number; bytes: number };
  resurrected: { packs: number; bytes: number };
  repacked: { packs: number; bytes: number; blobs: number; newPacks: number };
  deleted: { packs: number; bytes: number; indexFilesRewritten: number };
  waiting: { packs: number; bytes: number; reasons: string[]; deleteAfter?: string };
  problems: string[];
}

/** The JSON report of a finished `prune --json`. */
export function pruneReport(stdout: string): PruneJson {
  const line = jsonLines(stdout).find((l) => l.message_type === 'prune');
  expect(line, `prune --json printed no report:\n${stdout}`).toBeDefined();
  return line as unknown as PruneJson;
}

/** A prune that must succeed; returns its report. */
export async function pruneOk(
  cli: Cli,
  repo: string,
  extra: readonly string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<PruneJson> {
  const r = await run(cli, ['prune', '--repo', repo, '--delay', '0', '--json', ...extra], env);
  expect(r.code, `prune failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  const report = pruneReport(r.stdout);
  expect(report.problems).toEqual([]);
  return report;
}

export interface CheckJson {
  ok: boolean;
  snapshots: number;
  packs: number;
  blobs: number;
  unreferencedPacks: number;
  problems: unknown[];
}

/** `check --read-data`: every byte read and authenticated, no problem. */
export async function checkReadData(cli: Cli, repo: string, context = ''): Promise<CheckJson> {
  const r = await run(cli, ['check', '--repo', repo, '--read-data', '--json']);
  expect(r.code, `${context} check --read-data failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  const result = JSON.parse(r.stdout) as CheckJson;
  expect(result.ok, context).toBe(true);
  expect(result.problems, context).toEqual([]);
  return result;
}

/** Snapshot ids the repository lists. */
export async function snapshotIds(cli: Cli, repo: string): Promise<string[]> {
  const r = await run(cli, ['snapshots', '--repo', repo, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { id: string }[]).map((s) => s.id).sort();
}

export type TreeRecord = Map<string, EntryInfo>;

/** What a bit-for-bit comparison looks at: content, type, mode, owner, target, mtime (2 µs). */
function comparable(e: EntryInfo) {
  return {
    type: e.type,
    size: e.type === 'dir' ? undefined : e.size,
    sha256: e.sha256,
    mode: e.type === 'symlink' ? undefined : e.mode,
    uid: e.uid,
    gid: e.gid,
    target: e.target,
    // Node sets times as doubles (see restore/metadata.ts): within 2 µs.
    mtimeUs: e.mtimeNs / 2000n,
  };
}

/** The entries of `actual` that differ from `expected` (missing, extra, or changed). */
export function treeDifferences(expected: TreeRecord, actual: TreeRecord): string[] {
  const out: string[] = [];
  for (const [rel, e] of expected) {
    const a = actual.get(rel);
    if (!a) {
      out.push(`missing ${JSON.stringify(rel)}`);
      continue;
    }
    const x = comparable(e);
    const y = comparable(a);
    const delta = a.mtimeNs - e.mtimeNs;
    const sameTime = delta <= 2000n && delta >= -2000n;
    const diff = (Object.keys(x) as (keyof typeof x)[]).filter(
      (k) => k !== 'mtimeUs' && x[k] !== y[k],
    );
    if (!sameTime) diff.push('mtimeUs');
    if (diff.length > 0) out.push(`changed ${JSON.stringify(rel)}: ${diff.join(', ')}`);
  }
  for (const rel of actual.keys()) if (!expected.has(rel)) out.push(`extra ${JSON.stringify(rel)}`);
  return out;
}

/**
 * Restores `snapshot` (with --verify) into `scratch/restore-*` and compares the restored copy of
 * `source` with `expected`, the record made of it at backup time. The restore is removed.
 */
export async function expectRestores(
  cli: Cli,
  repo: string,
  snapshot: string,
  source: string,
  expected: TreeRecord,
  scratch: string,
  context = '',
): Promise<void> {
  const target = join(scratch, `restore-${snapshot.slice(0, 12)}`);
  try {
    const r = await run(cli, [
      'restore',
      snapshot,
      '--repo',
      repo,
      '--target',
      target,
      '--verify',
      '--json',
    ]);
    expect(r.code, `${context} restore of ${snapshot.slice(0, 8)}:\n${r.stderr}`).toBe(0);
    const result = jsonLines(r.stdout).find((l) => l.message_type === 'summary') as {
      files: number;
      verified: number;
      problems: unknown[];
    };
    expect(result.problems, context).toEqual([]);
    expect(result.verified, context).toBe(result.files);
    const restored = await describeTree(join(target, source));
    expect(
      treeDifferences(expected, restored),
      `${context} snapshot ${snapshot.slice(0, 8)}`,
    ).toEqual([]);
  } finally {
    await rm(target, { recursive: true, force: true });
  }
}

export { describeTree };
