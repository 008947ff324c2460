/**
 * Damage and tampering are found and named: a flipped byte in a pack, an index file or a
 * snapshot file is caught by `check --read-data`; truncated and deleted packs by plain `check`;
 * a restore from a damaged pack restores everything else bit for bit and names what it could
 * not; a snapshot file copied to another name fails authentication (its name is bound).
 *
 * The repository: two backups, the first of src/A and the second of src (A and B), so A's files
 * live in one data pack and B's in another without needing 16 MiB packs.
 */
import { randomBytes } from 'node:crypto';
import {
  copyFile,
  cp,
  mkdir,
  readdir,
  readFile,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobEntry } from '../../electron/engine/repository/blob';
import { listSnapshots } from '../../electron/engine/repository/snapshots';
import { walkTree } from '../../electron/engine/repository/walk';
import { jsonLines, initRepo, strata, tempDir } from '../helpers/cli';
import { fingerprint, flipByte, openRepository } from '../helpers/hostile-repo';

interface FileInfo {
  /** Path in the snapshot (absolute source path). */
  readonly path: string;
  readonly blobs: (BlobEntry & { id: string })[];
}

let work: string;
let cleanup: () => Promise<void>;
let base: string;
let src: string;
let snap1: string;
let snap2: string;
/** Every file of snapshot 2 by its name (a1, a2, a3, b1, b2). */
const files = new Map<string, FileInfo>();
let packA: string;
let packB: string;
let indexFiles: string[];
let copies = 0;

async function copyRepo(): Promise<string> {
  const dir = join(work, `copy-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

const packPath = (repo: string, pack: string) => join(repo, 'data', pack.slice(0, 2), pack);
const fileOf = (name: string) => files.get(name)!;

/** The files of snapshot 2 a set of blob ids damages. */
function filesUsing(pred: (b: FileInfo['blobs'][number]) => boolean): string[] {
  return [...files.entries()]
    .filter(([, f]) => f.blobs.some(pred))
    .map(([n]) => n)
    .sort();
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-tamper-'));
  base = join(work, 'repo');
  src = join(work, 'src');
  await mkdir(join(src, 'A'), { recursive: true });
  await mkdir(join(src, 'B'), { recursive: true });
  // Incompressible, below the minimum chunk size: one blob per file.
  for (const name of ['a1', 'a2', 'a3']) await writeFile(join(src, 'A', name), randomBytes(40_000));
  for (const name of ['b1', 'b2']) await writeFile(join(src, 'B', name), randomBytes(30_000));
  await initRepo(base);
  for (const path of [join(src, 'A'), src]) {
    const r = await strata(['backup', '--repo', base, path, '--json']);
    if (r.code !== 0) throw new Error(`backup failed: ${r.stderr}`);
  }

  const repo = await openRepository(base);
  const { snapshots } = await listSnapshots(repo);
  expect(snapshots).toHaveLength(2);
  snap1 = snapshots.find((s) => s.snapshot.paths[0] === join(src, 'A'))!.id;
  snap2 = snapshots.find((s) => s.snapshot.paths[0] === src)!.id;
  await repo.loadIndex();
  const record = snapshots.find((s) => s.id === snap2)!;
  for await (const e of walkTree(repo, record.snapshot.tree)) {
    if (e.node.type !== 'file') continue;
    const blobs = (e.node.content ?? []).map((id) => ({ id, ...repo.index.get(id)! }));
    files.set(e.node.name, { path: e.path, blobs });
  }
  expect([...files.keys()].sort()).toEqual(['a1', 'a2', 'a3', 'b1', 'b2']);
  packA = fileOf('a1').blobs[0]!.pack;
  packB = fileOf('b1').blobs[0]!.pack;
  // The layout this test relies on: A's files share one pack, B's another.
  expect(packA).not.toBe(packB);
  for (const n of ['a1', 'a2', 'a3']) expect(fileOf(n).blobs.map((b) => b.pack)).toEqual([packA]);
  for (const n of ['b1', 'b2']) expect(fileOf(n).blobs.map((b) => b.pack)).toEqual([packB]);
  indexFiles = (await readdir(join(base, 'index'))).sort();
  expect(indexFiles).toHaveLength(2);
});

afterAll(async () => {
  await cleanup();
});

describe('a clean repository', () => {
  it('passes check and check --read-data', async () => {
    const plain = await strata(['check', '--repo', base]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('no errors were found');
    const full = await strata(['check', '--repo', base, '--read-data']);
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toContain('no errors were found');
    expect(full.stderr).toBe('');
  });
});

describe('one flipped byte', () => {
  it('in a data blob of a pack: check --read-data names the pack and the file', async () => {
    const repo = await copyRepo();
    const blob = fileOf('a1').blobs[0]!;
    await flipByte(packPath(repo, packA), blob.offset + 40);
    const r = await strata(['check', '--repo', repo, '--read-data']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pack ${packA}`);
    expect(r.stderr).toContain(fileOf('a1').path);
    for (const n of ['a2', 'a3', 'b1', 'b2']) expect(r.stderr).not.toContain(fileOf(n).path);
  });

  it("in a pack's header: check --read-data names the pack", async () => {
    const repo = await copyRepo();
    await flipByte(packPath(repo, packA), -10);
    const r = await strata(['check', '--repo', repo, '--read-data']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pack ${packA}`);
  });

  it.each([0, 1])('in index file #%i: check (with and without --read-data) names it', async (i) => {
    const repo = await copyRepo();
    const name = indexFiles[i]!;
    const file = join(repo, 'index', name);
    await flipByte(file, Math.floor((await readFile(file)).length / 2));
    for (const args of [[], ['--read-data']]) {
      const r = await strata(['check', '--repo', repo, ...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`index ${name}: .*authentication failed`));
    }
  });

  it.each(['snap1', 'snap2'])(
    'in a snapshot file (%s): check --read-data and snapshots name it',
    async (which) => {
      const repo = await copyRepo();
      const id = which === 'snap1' ? snap1 : snap2;
      const other = which === 'snap1' ? snap2 : snap1;
      await flipByte(join(repo, 'snapshots', id), 30);
      const r = await strata(['check', '--repo', repo, '--read-data']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`snapshot ${id}: .*authentication failed`));
      const s = await strata(['snapshots', '--repo', repo, '--json']);
      expect(s.code).toBe(1);
      expect(s.stderr).toContain(id);
      const [list] = jsonLines(s.stdout) as unknown as { id: string }[][];
      expect(list!.map((x) => x.id)).toEqual([other]);
    },
  );
});

describe('restore from a damaged pack', () => {
  it('exits 3, names the damaged file, and restores every other file bit for bit', async () => {
    const repo = await copyRepo();
    const blob = fileOf('a2').blobs[0]!;
    await flipByte(packPath(repo, packA), blob.offset + blob.length - 20);
    const target = join(work, 'restore-damaged');
    const r = await strata(['restore', snap2, '--repo', repo, '--target', target]);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain(fileOf('a2').path);
    expect(r.stderr).toMatch(/damaged/);
    const intact = ['a1', 'a3', 'b1', 'b2'];
    for (const n of intact) {
      expect(r.stderr).not.toContain(fileOf(n).path);
      const dir = n.startsWith('a') ? 'A' : 'B';
      const restored = await readFile(join(target, fileOf(n).path));
      expect(restored.equals(await readFile(join(src, dir, n))), n).toBe(true);
    }
    // The damaged file must not silently look complete.
    const damaged = await readFile(join(target, fileOf('a2').path)).catch(() => undefined);
    if (damaged) expect(damaged.equals(await readFile(join(src, 'A', 'a2')))).toBe(false);
    await rm(target, { recursive: true, force: true });
  });

  it('a deleted pack: its files are named, left at their size with their times', async () => {
    const repo = await copyRepo();
    await rm(packPath(repo, packB));
    const target = join(work, 'restore-missing');
    const r = await strata(['restore', snap2, '--repo', repo, '--target', target]);
    expect(r.code, r.stderr).toBe(3);
    for (const n of ['b1', 'b2']) {
      expect(r.stderr).toContain(fileOf(n).path);
      // No worker writes them (their pack cannot be read): the coordinator creates them, and
      // they still get their metadata, so they do not look like files of today.
      const restored = await stat(join(target, fileOf(n).path));
      const source = await stat(join(src, 'B', n));
      expect(restored.size).toBe(source.size);
      expect(Math.round(restored.mtimeMs)).toBe(Math.round(source.mtimeMs));
    }
    for (const n of ['a1', 'a2', 'a3']) {
      const restored = await readFile(join(target, fileOf(n).path));
      expect(restored.equals(await readFile(join(src, 'A', n))), n).toBe(true);
    }
    await rm(target, { recursive: true, force: true });
  });
});

describe('plain check (structure)', () => {
  it('a truncated pack: names the pack and exactly the files whose blobs were cut', async () => {
    const repo = await copyRepo();
    const cut = fileOf('a2').blobs[0]!.offset + 100;
    await truncate(packPath(repo, packA), cut);
    const r = await strata(['check', '--repo', repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`pack ${packA}: truncated`));
    const hit = filesUsing((b) => b.pack === packA && b.offset + b.length > cut);
    expect(hit).toEqual(['a2', 'a3']);
    for (const n of hit) expect(r.stderr).toContain(fileOf(n).path);
    for (const n of ['a1', 'b1', 'b2']) expect(r.stderr).not.toContain(fileOf(n).path);
  });

  it('a pack truncated by only its last bytes (the header): names the pack', async () => {
    const repo = await copyRepo();
    const file = packPath(repo, packA);
    await truncate(file, (await readFile(file)).length - 8);
    const r = await strata(['check', '--repo', repo]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain(`pack ${packA}`);
  });

  it('a deleted pack: names the pack as missing and every file that needs it', async () => {
    const repo = await copyRepo();
    await rm(packPath(repo, packB));
    const r = await strata(['check', '--repo', repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`pack ${packB}: missing`));
    for (const n of ['b1', 'b2']) expect(r.stderr).toContain(fileOf(n).path);
    for (const n of ['a1', 'a2', 'a3']) expect(r.stderr).not.toContain(fileOf(n).path);
  });
});

describe('names are bound to contents', () => {
  it('a snapshot file copied to another valid name fails authentication', async () => {
    const repo = await copyRepo();
    const fake = (snap1[0] === 'f' ? 'e' : 'f') + snap1.slice(1);
    await copyFile(join(repo, 'snapshots', snap1), join(repo, 'snapshots', fake));
    const s = await strata(['snapshots', '--repo', repo, '--json']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`snapshot ${fake}: .*authentication failed`));
    const [list] = jsonLines(s.stdout) as unknown as { id: string }[][];
    expect(list!.map((x) => x.id).sort()).toEqual([snap1, snap2].sort());
    const c = await strata(['check', '--repo', repo]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(new RegExp(`snapshot ${fake}: .*authentication failed`));
    // Nor can it be restored under the forged name.
    const target = join(work, 'forged');
    const r = await strata(['restore', fake, '--repo', repo, '--target', target]);
    expect(r.code).not.toBe(0);
  });

  it('a snapshot file swapped under another snapshot name fails authentication', async () => {
    const repo = await copyRepo();
    await copyFile(join(repo, 'snapshots', snap1), join(repo, 'snapshots', snap2));
    const before = await fingerprint(repo);
    const s = await strata(['snapshots', '--repo', repo, '--json']);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`snapshot ${snap2}: .*authentication failed`));
    const [list] = jsonLines(s.stdout) as unknown as { id: string }[][];
    expect(list!.map((x) => x.id)).toEqual([snap1]);
    expect(await fingerprint(repo)).toEqual(before);
  });

  it('an index file copied to another valid name fails authentication', async () => {
    const repo = await copyRepo();
    const name = indexFiles[0]!;
    const fake = (name[0] === 'f' ? 'e' : 'f') + name.slice(1);
    await copyFile(join(repo, 'index', name), join(repo, 'index', fake));
    const c = await strata(['check', '--repo', repo]);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(new RegExp(`index ${fake}: .*authentication failed`));
  });
});
