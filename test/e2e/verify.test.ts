/**
 * `strata verify`: a test restore of a sample of a snapshot's files through the real restore,
 * proven by reading the restored files back. A clean repository is proven (and the temporary
 * folder removed); a damaged pack, and a snapshot whose recorded content cannot be what is
 * restored, are caught and the files named; the last outcome is recorded without names and
 * read back by `verify --last`; an interrupted verify leaves no folder behind.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, link, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listSnapshots } from '../../electron/engine/repository/snapshots';
import { walkTree } from '../../electron/engine/repository/walk';
import { initRepo, jsonLines, STRATA_BIN, strata, tempDir } from '../helpers/cli';
import { createRepository, flipByte, openRepository, TreeWriter } from '../helpers/hostile-repo';

interface VerifyJson {
  ok: boolean;
  snapshot: string;
  candidates: number;
  files: { path: string; size: number; ok: boolean; reason?: string; message?: string }[];
  filesProven: number;
  bytesProven: number;
  folder: string;
}

let work: string;
let cleanup: () => Promise<void>;
let base: string;
let src: string;
let repoId: string;
let snapId: string;
/** Regular files of the snapshot, by path, with their sizes. */
const sizes = new Map<string, number>();
let largest: string;
let caches = 0;
let copies = 0;
const newCache = () => join(work, `cache-${++caches}`);

async function copyRepo(): Promise<string> {
  const dir = join(work, `copy-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function verifyJson(repo: string, ...args: string[]) {
  const r = await strata(['verify', '--repo', repo, '--json', ...args]);
  const [json] = jsonLines(r.stdout) as unknown as VerifyJson[];
  return { r, json: json! };
}

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-verify-test-'));
  base = join(work, 'repo');
  src = join(work, 'src');
  await mkdir(join(src, 'deep', 'er'), { recursive: true });
  await writeFile(join(src, 'small'), randomBytes(1000));
  await writeFile(join(src, 'empty'), '');
  await writeFile(join(src, 'deep', 'medium'), randomBytes(200_000));
  await writeFile(join(src, 'deep', 'er', 'text'), 'hello '.repeat(10_000));
  // Several chunks (512 KiB minimum), so content lists have more than one id.
  await writeFile(join(src, 'deep', 'er', 'large'), randomBytes(3 * 1024 * 1024));
  await link(join(src, 'small'), join(src, 'deep', 'small-link'));
  await initRepo(base);
  const b = await strata(['backup', '--repo', base, src, '--json']);
  if (b.code !== 0) throw new Error(`backup failed: ${b.stderr}`);

  const repo = await openRepository(base);
  repoId = repo.config.id;
  const { snapshots } = await listSnapshots(repo);
  snapId = snapshots[0]!.id;
  await repo.loadIndex();
  for await (const e of walkTree(repo, snapshots[0]!.snapshot.tree))
    if (e.node.type === 'file') sizes.set(e.path, e.node.size ?? 0);
  expect(sizes.size).toBe(6);
  largest = join(src, 'deep', 'er', 'large');
  expect(sizes.get(largest)).toBe(3 * 1024 * 1024);
});

afterAll(async () => {
  await cleanup();
});

describe('a clean repository', () => {
  it('proves a sample of 3, always with the largest file, and removes its temporary folder', async () => {
    const scratch = join(work, 'scratch-1');
    await mkdir(scratch);
    const cache = newCache();
    const { r, json } = await verifyJson(
      base,
      '--sample',
      '3',
      '--target',
      scratch,
      '--cache-dir',
      cache,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.snapshot).toBe(snapId);
    expect(json.candidates).toBe(6);
    expect(json.files).toHaveLength(3);
    expect(json.files.map((f) => f.path)).toContain(largest);
    for (const f of json.files) {
      expect(f.ok).toBe(true);
      expect(f.size).toBe(sizes.get(f.path));
    }
    expect(json.filesProven).toBe(3);
    expect(json.bytesProven).toBe(json.files.reduce((n, f) => n + sizes.get(f.path)!, 0));
    // Restored into a new folder inside --target, gone afterwards.
    expect(json.folder.startsWith(join(scratch, 'strata-verify-'))).toBe(true);
    expect(await exists(json.folder)).toBe(false);
    expect(await readdir(scratch)).toEqual([]);
  });

  it('a sample larger than the snapshot proves every file, hardlinks and empty files included', async () => {
    const { r, json } = await verifyJson(
      base,
      'latest',
      '--sample',
      '50',
      '--cache-dir',
      newCache(),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(json.files.map((f) => f.path).sort()).toEqual([...sizes.keys()].sort());
    expect(json.filesProven).toBe(6);
    expect(json.bytesProven).toBe([...sizes.values()].reduce((a, b) => a + b, 0));
    // Without --target the system's temporary folder is used.
    expect(json.folder.startsWith(join(tmpdir(), 'strata-verify-'))).toBe(true);
    expect(await exists(json.folder)).toBe(false);
  });

  it('prints what was proven, and picks the snapshot by --host / --path', async () => {
    const r = await strata([
      'verify',
      '--repo',
      base,
      '--sample',
      '2',
      '--path',
      src,
      '--cache-dir',
      newCache(),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `proved 2 of 2 file\\(s\\) \\(.+\\) of snapshot ${snapId.slice(0, 8)} .* restorable`,
      ),
    );
    expect(r.stdout).toContain('the test restore succeeded');
    const none = await strata(['verify', '--repo', base, '--host', 'no-such-host']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no snapshot/);
  });

  it('records the outcome, without names, and verify --last prints it', async () => {
    const cache = newCache();
    const before = await strata([
      'verify',
      '--repo',
      base,
      '--last',
      '--cache-dir',
      cache,
      '--json',
    ]);
    expect(before.code).toBe(1);
    expect(jsonLines(before.stdout)[0]).toEqual({ last: null });

    const { json } = await verifyJson(base, '--sample', '4', '--cache-dir', cache);
    const file = join(cache, repoId, 'last-verify.json');
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain(src);
    for (const name of ['small', 'medium', 'large', 'deep']) expect(text).not.toContain(name);

    const last = await strata(['verify', '--repo', base, '--last', '--cache-dir', cache, '--json']);
    expect(last.code, last.stderr).toBe(0);
    const rec = (jsonLines(last.stdout)[0] as { last: Record<string, unknown> }).last;
    expect(rec).toMatchObject({
      ok: true,
      snapshot: snapId,
      files: 4,
      filesProven: 4,
      bytesProven: json.bytesProven,
      problems: 0,
    });
    const plain = await strata(['verify', '--repo', base, '--last', '--cache-dir', cache]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(
      new RegExp(`last proven restorable .*: 4 file\\(s\\), .* of snapshot ${snapId.slice(0, 8)}`),
    );
  });

  it('refuses a bad --sample and a --target that does not exist, leaving nothing behind', async () => {
    for (const n of ['0', '-1', 'x', '1.5']) {
      const r = await strata(['verify', '--repo', base, '--sample', n]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('--sample');
    }
    const missing = join(work, 'no-such-folder');
    const cache = newCache();
    const r = await strata(['verify', '--repo', base, '--target', missing, '--cache-dir', cache]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot make a temporary folder');
    expect(await exists(missing)).toBe(false);
    // A bad --target says nothing about the repository: no failure is recorded.
    const last = await strata(['verify', '--repo', base, '--last', '--cache-dir', cache, '--json']);
    expect(jsonLines(last.stdout)[0]).toEqual({ last: null });
  });
});

describe('damage', () => {
  it("a flipped byte in a file's pack: exit 1, the file named, the others proven", async () => {
    const repo = await copyRepo();
    const opened = await openRepository(repo);
    const { snapshots } = await listSnapshots(opened);
    await opened.loadIndex();
    let medium: { pack: string; offset: number } | undefined;
    for await (const e of walkTree(opened, snapshots[0]!.snapshot.tree))
      if (e.node.name === 'medium') medium = opened.index.get(e.node.content![0]!);
    await flipByte(join(repo, 'data', medium!.pack.slice(0, 2), medium!.pack), medium!.offset + 50);
    const damagedPath = join(src, 'deep', 'medium');

    const cache = newCache();
    const scratch = join(work, 'scratch-damaged');
    await mkdir(scratch);
    const { r, json } = await verifyJson(
      repo,
      '--sample',
      '50',
      '--target',
      scratch,
      '--cache-dir',
      cache,
    );
    expect(r.code).toBe(1);
    expect(json.ok).toBe(false);
    const bad = json.files.filter((f) => !f.ok);
    expect(bad.map((f) => f.path)).toEqual([damagedPath]);
    expect(bad[0]!.reason).toBe('damaged');
    expect(json.filesProven).toBe(5);
    expect(await readdir(scratch)).toEqual([]);

    const text = await strata(['verify', '--repo', repo, '--sample', '50', '--cache-dir', cache]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain(`error: ${damagedPath}: damaged`);
    expect(text.stdout).toContain('FAILED');

    const last = await strata(['verify', '--repo', repo, '--last', '--cache-dir', cache, '--json']);
    expect(last.code).toBe(1);
    const rec = (jsonLines(last.stdout)[0] as { last: Record<string, unknown> }).last;
    expect(rec).toMatchObject({ ok: false, problems: 1, reasons: { damaged: 1 }, filesProven: 5 });
  });

  it('an unreadable snapshot tree: exit 1, nothing left behind, recorded as a failed test restore', async () => {
    const repo = await copyRepo();
    const opened = await openRepository(repo);
    const { snapshots } = await listSnapshots(opened);
    await opened.loadIndex();
    const root = opened.index.get(snapshots[0]!.snapshot.tree)!;
    await flipByte(join(repo, 'data', root.pack.slice(0, 2), root.pack), root.offset + 20);
    const cache = newCache();
    const scratch = join(work, 'scratch-tree');
    await mkdir(scratch);
    const r = await strata(['verify', '--repo', repo, '--target', scratch, '--cache-dir', cache]);
    expect(r.code).toBe(1);
    expect(await readdir(scratch)).toEqual([]);
    const last = await strata(['verify', '--repo', repo, '--last', '--cache-dir', cache, '--json']);
    expect(last.code).toBe(1);
    const rec = (jsonLines(last.stdout)[0] as { last: Record<string, unknown> }).last;
    expect(rec).toMatchObject({ ok: false, snapshot: snapshots[0]!.id, reasons: { error: 1 } });
  });

  it('restored content that differs from what the snapshot records: caught by reading back', async () => {
    const { dir, cleanup: done } = await tempDir('strata-verify-liar-');
    try {
      const repoDir = join(dir, 'repo');
      const w = new TreeWriter(await createRepository(repoDir));
      const honest = await w.file('honest', randomBytes(5000));
      const liar = await w.file('liar', randomBytes(5000));
      // The node claims 100 more bytes than its blobs hold: restore pads the file to the
      // recorded size, so only re-reading and re-hashing it shows the content is not what the
      // snapshot says.
      await w.snapshot([honest, { ...liar, size: 5100 }]);
      const { r, json } = await verifyJson(repoDir, '--sample', '5', '--cache-dir', join(dir, 'c'));
      expect(r.code).toBe(1);
      const byName = new Map(json.files.map((f) => [f.path, f]));
      expect(byName.get('/honest')).toMatchObject({ ok: true });
      expect(byName.get('/liar')).toMatchObject({ ok: false, reason: 'differs' });
      expect(await exists(json.folder)).toBe(false);
    } finally {
      await done();
    }
  });
});

describe('interrupted', () => {
  it('SIGINT during the test restore: exit 130, the temporary folder is gone, nothing recorded', async () => {
    const { dir, cleanup: done } = await tempDir('strata-verify-int-');
    try {
      const repo = join(dir, 'repo');
      const big = join(dir, 'big');
      await mkdir(big);
      await writeFile(join(big, 'file'), randomBytes(96 * 1024 * 1024));
      await initRepo(repo);
      const b = await strata(['backup', '--repo', repo, big, '--json']);
      expect(b.code, b.stderr).toBe(0);
      const scratch = join(dir, 'scratch');
      const cache = join(dir, 'cache');
      await mkdir(scratch);
      const child = spawn(
        process.execPath,
        [STRATA_BIN, 'verify', '--repo', repo, '--target', scratch, '--cache-dir', cache],
        {
          env: { ...process.env, STRATA_PASSWORD: 'test-password' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const ended = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      // Wait for the restore to start, then interrupt it.
      let sent = false;
      for (let i = 0; i < 2000 && !sent && child.exitCode === null; i++) {
        if ((await readdir(scratch)).length > 0) {
          child.kill('SIGINT');
          sent = true;
        } else await new Promise((r) => setTimeout(r, 5));
      }
      const code = await ended;
      expect(sent, `never saw the folder; exit ${code}: ${stderr}`).toBe(true);
      expect(code, stderr).toBe(130);
      expect(stderr).toContain('interrupted');
      expect(await readdir(scratch)).toEqual([]);
      expect(
        await exists(join(cache, (await openRepository(repo)).config.id, 'last-verify.json')),
      ).toBe(false);
    } finally {
      await done();
    }
  });
});
