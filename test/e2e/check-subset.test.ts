/**
 * Partial data checks: `check --read-data-subset N%` reads a rotating share of the packs, never
 * verified ones first, so ceil(100/N) runs read them all; `n/t` reads a fixed part; the local
 * record (in --cache-dir) is what makes consecutive runs disjoint.
 *
 * The repository: four backups of four folders, each adding one data pack and one tree pack,
 * so eight packs without needing 16 MiB of data.
 */
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkTree } from '../../electron/engine/repository/walk';
import { listSnapshots } from '../../electron/engine/repository/snapshots';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';
import { flipByte, openRepository } from '../helpers/hostile-repo';

interface CheckJson {
  ok: boolean;
  packs: number;
  packsRead: number;
  data?: { read: string[]; neverVerified: number; oldestVerified?: string };
  problems: { kind: string; name: string; message: string }[];
}

let work: string;
let cleanup: () => Promise<void>;
let base: string;
let repoId: string;
let packs: string[];
/** The data pack holding src/c's files, and one of their blobs. */
let target: { pack: string; offset: number; file: string };
let caches = 0;
let copies = 0;

const newCache = () => join(work, `cache-${++caches}`);

async function copyRepo(): Promise<string> {
  const dir = join(work, `copy-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function checkJson(repo: string, cache: string, ...args: string[]) {
  const r = await strata(['check', '--repo', repo, '--cache-dir', cache, '--json', ...args]);
  const [json] = jsonLines(r.stdout) as unknown as CheckJson[];
  return { r, json: json! };
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-subset-'));
  base = join(work, 'repo');
  await initRepo(base);
  for (const name of ['a', 'b', 'c', 'd']) {
    const dir = join(work, 'src', name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'one'), randomBytes(20_000));
    await writeFile(join(dir, 'two'), randomBytes(30_000));
    const r = await strata(['backup', '--repo', base, dir, '--json']);
    if (r.code !== 0) throw new Error(`backup failed: ${r.stderr}`);
  }
  const repo = await openRepository(base);
  repoId = repo.config.id;
  const dirs = await readdir(join(base, 'data'));
  packs = (await Promise.all(dirs.map((d) => readdir(join(base, 'data', d))))).flat().sort();
  expect(packs).toHaveLength(8);
  const { snapshots } = await listSnapshots(repo);
  await repo.loadIndex();
  const c = snapshots.find((s) => s.snapshot.paths[0] === join(work, 'src', 'c'))!;
  for await (const e of walkTree(repo, c.snapshot.tree)) {
    if (e.node.name !== 'one') continue;
    const blob = repo.index.get(e.node.content![0]!)!;
    target = { pack: blob.pack, offset: blob.offset + 40, file: e.path };
  }
  expect(packs).toContain(target.pack);
});

afterAll(async () => {
  await cleanup();
});

describe('N%: a clean repository', () => {
  it('25% reads 2 of 8 packs per run, disjoint, all of them in 4 runs; run 5 starts over with the oldest', async () => {
    const cache = newCache();
    const reads: string[][] = [];
    for (let run = 1; run <= 5; run++) {
      const { r, json } = await checkJson(base, cache, '--read-data-subset', '25%');
      expect(r.code, r.stderr).toBe(0);
      expect(json.ok).toBe(true);
      expect(json.packsRead).toBe(2);
      expect(json.data!.read).toHaveLength(2);
      if (run <= 4) expect(json.data!.neverVerified).toBe(8 - 2 * run);
      expect(json.data!.oldestVerified).toMatch(/^\d{4}-\d\d-\d\dT/);
      reads.push(json.data!.read);
    }
    const firstFour = reads.slice(0, 4).flat();
    expect(new Set(firstFour).size).toBe(8);
    expect([...firstFour].sort()).toEqual(packs);
    expect(new Set(reads[4])).toEqual(new Set(reads[0]));

    // The record: pack ids and times only, under <cache>/<repository id>/.
    const record = JSON.parse(await readFile(join(cache, repoId, 'packs.json'), 'utf8'));
    expect(Object.keys(record.verified).sort()).toEqual(packs);
    expect(record.damaged).toEqual([]);
  });

  it('prints what was read, what was never verified and the oldest verification', async () => {
    const r = await strata([
      'check',
      '--repo',
      base,
      '--cache-dir',
      newCache(),
      '--read-data-subset',
      '50%',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('8 pack(s), ');
    expect(r.stdout).toContain('4 pack(s) read');
    expect(r.stdout).toMatch(/4 pack\(s\) never verified; oldest verification \d{4}-/);
    expect(r.stdout).toContain('no errors were found');
  });

  it('--read-data reads everything and records it all', async () => {
    const cache = newCache();
    const { r, json } = await checkJson(base, cache, '--read-data');
    expect(r.code, r.stderr).toBe(0);
    expect([...json.data!.read].sort()).toEqual(packs);
    expect(json.data!.neverVerified).toBe(0);
  });

  it('the cache folder defaults to STRATA_CACHE_DIR, then XDG_CACHE_HOME/strata', async () => {
    const viaEnv = newCache();
    const a = await strata(['check', '--repo', base, '--read-data-subset', '1/2'], {
      env: { STRATA_CACHE_DIR: viaEnv },
    });
    expect(a.code, a.stderr).toBe(0);
    expect(await readdir(join(viaEnv, repoId))).toEqual(['packs.json']);
    const xdg = newCache();
    const b = await strata(['check', '--repo', base, '--read-data-subset', '1/2'], {
      env: { STRATA_CACHE_DIR: undefined, XDG_CACHE_HOME: xdg },
    });
    expect(b.code, b.stderr).toBe(0);
    expect(await readdir(join(xdg, 'strata', repoId))).toEqual(['packs.json']);
  });

  it('a corrupt record is tolerated: a warning, a normal check, and a fresh record', async () => {
    const cache = newCache();
    await mkdir(join(cache, repoId), { recursive: true });
    await writeFile(join(cache, repoId, 'packs.json'), '{"version":1,"verif');
    const { r, json } = await checkJson(base, cache, '--read-data-subset', '25%');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: .*packs\.json is damaged.*starting over/);
    expect(json.data!.neverVerified).toBe(6);
    const record = JSON.parse(await readFile(join(cache, repoId, 'packs.json'), 'utf8'));
    expect(Object.keys(record.verified).sort()).toEqual([...json.data!.read].sort());
  });

  it.each(['0%', '101%', '0/4', '5/4', 'half'])('refuses --read-data-subset %s', async (spec) => {
    const r = await strata(['check', '--repo', base, '--read-data-subset', spec]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--read-data-subset');
  });
});

describe('a damaged pack', () => {
  let repo: string;
  beforeAll(async () => {
    repo = await copyRepo();
    await flipByte(join(repo, 'data', target.pack.slice(0, 2), target.pack), target.offset);
  });

  it('is found by check --read-data, and not by plain check', async () => {
    const full = await strata(['check', '--repo', repo, '--cache-dir', newCache(), '--read-data']);
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`pack ${target.pack}`);
    expect(full.stderr).toContain(target.file);
    const plain = await strata(['check', '--repo', repo]);
    expect(plain.code).toBe(0);
  });

  it('is found by 25% by run 4 at the latest, re-read every run after, never recorded as good', async () => {
    const cache = newCache();
    let foundAt: number | undefined;
    const good: string[] = [];
    for (let run = 1; run <= 4; run++) {
      const { r, json } = await checkJson(repo, cache, '--read-data-subset', '25%');
      const named = r.code === 1 && json.problems.some((p) => p.name === target.pack);
      if (foundAt === undefined && named) foundAt = run;
      if (foundAt !== undefined) {
        // Once found, it stays a problem: read again (on top of the share) and reported.
        expect(r.code).toBe(1);
        expect(named).toBe(true);
        expect(json.data!.read).toContain(target.pack);
      } else expect(r.code, r.stderr).toBe(0);
      const fresh = json.data!.read.filter((p) => p !== target.pack);
      expect(fresh.length).toBe(json.data!.read.includes(target.pack) && run === foundAt ? 1 : 2);
      good.push(...fresh);
    }
    expect(foundAt).toBeDefined();
    expect(foundAt!).toBeLessThanOrEqual(4);
    // The runs read disjoint sets: every good pack exactly once.
    expect(new Set(good).size).toBe(good.length);
    expect([...good, target.pack].sort()).toEqual(packs);
    const record = JSON.parse(await readFile(join(cache, repoId, 'packs.json'), 'utf8'));
    expect(record.verified[target.pack]).toBeUndefined();
    expect(record.damaged).toEqual([target.pack]);
    expect(Object.keys(record.verified)).toHaveLength(7);
  });

  it('is found by exactly one of 1/4..4/4, whose parts are disjoint and cover every pack', async () => {
    const cache = newCache();
    const found: number[] = [];
    const parts: string[][] = [];
    for (let n = 1; n <= 4; n++) {
      const { r, json } = await checkJson(repo, cache, '--read-data-subset', `${n}/4`);
      parts.push(json.data!.read);
      if (json.problems.some((p) => p.name === target.pack)) {
        expect(r.code).toBe(1);
        expect(r.stderr).toBe('');
        found.push(n);
      } else expect(r.code, JSON.stringify(json.problems)).toBe(0);
    }
    expect(found).toHaveLength(1);
    expect(parts[found[0]! - 1]).toContain(target.pack);
    const all = parts.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(packs);
    // The rule in pack-selection.ts: part = first 32 bits of the id mod t, plus 1.
    expect(found[0]).toBe((parseInt(target.pack.slice(0, 8), 16) % 4) + 1);
  });
});
