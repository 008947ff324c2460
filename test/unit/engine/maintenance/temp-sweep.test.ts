import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../../electron/engine/backends/local';
import { backup } from '../../../../electron/engine/backup/backup';
import { check } from '../../../../electron/engine/maintenance/check';
import { prune } from '../../../../electron/engine/maintenance/prune';
import { Repository } from '../../../../electron/engine/repository/repository';

const PW = 'pw';
const DAY = 24 * 60 * 60 * 1000;

/** A crash's leftovers: temp files of a pack being written and of a plain write. */
describe('stale temp files', () => {
  let dir: string;
  let repoDir: string;
  let backend: LocalBackend;
  const open = () => Repository.open(backend, PW);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-temp-'));
    repoDir = join(dir, 'repo');
    backend = new LocalBackend(repoDir);
    await Repository.init(backend, PW, { kdfLogN: 10 });
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a'), randomBytes(100_000));
    await backup(await open(), { paths: [src], workers: 0 });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a temp file `ageMs` old (by mtime). */
  async function leftover(rel: string, ageMs: number): Promise<string> {
    const file = join(repoDir, rel);
    await writeFile(file, randomBytes(1000));
    const when = new Date(Date.now() - ageMs);
    await utimes(file, when, when);
    return file;
  }

  it('check reports old ones, prune removes them and keeps fresh ones, check is clean', async () => {
    const oldPack = await leftover('data/.tmp-0123456789abcdef', DAY + 60_000);
    const oldWrite = await leftover('index/.tmp-fedcba9876543210', 2 * DAY);
    const oldInSub = await leftover('data/00/.tmp-00112233445566', 3 * DAY);
    const fresh = await leftover('data/.tmp-aaaaaaaaaaaaaaaa', 60_000);
    const almost = await leftover('data/.tmp-bbbbbbbbbbbbbbbb', DAY - 60 * 60_000);

    const before = await check(await open());
    expect(before.problems).toEqual([]);
    expect(before.staleTempFiles).toBe(3);
    // check never removes anything.
    expect(existsSync(oldPack)).toBe(true);

    const dry = await prune(await open(), { dryRun: true });
    expect(dry.leftovers).toEqual({ packs: 3, bytes: 3000 });
    expect(existsSync(oldPack)).toBe(true);

    const r = await prune(await open());
    expect(r.leftovers).toEqual({ packs: 3, bytes: 3000 });
    expect(r.problems).toEqual([]);
    for (const f of [oldPack, oldWrite, oldInSub]) expect(existsSync(f)).toBe(false);
    for (const f of [fresh, almost]) expect(existsSync(f)).toBe(true);

    const after = await check(await open(), { readData: true });
    expect(after.problems).toEqual([]);
    expect(after.staleTempFiles).toBe(0);
    expect((await prune(await open())).leftovers.packs).toBe(0);
  });

  it('a pack being written is not touched: its temp file is fresh', async () => {
    const partial = await backend.openPartial('data');
    await partial.append([randomBytes(4096)]);
    const r = await prune(await open());
    expect(r.leftovers.packs).toBe(0);
    await partial.abort();
  });
});
