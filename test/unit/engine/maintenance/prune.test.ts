import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../../electron/engine/backends/local';
import { backup } from '../../../../electron/engine/backup/backup';
import { check } from '../../../../electron/engine/maintenance/check';
import { prune, type PruneOptions } from '../../../../electron/engine/maintenance/prune';
import { Session, acquirePruneLock } from '../../../../electron/engine/repository/locks';
import { loadMarks } from '../../../../electron/engine/repository/marks';
import { Repository } from '../../../../electron/engine/repository/repository';
import { listSnapshots } from '../../../../electron/engine/repository/snapshots';
import { restore } from '../../../../electron/engine/restore/restore';

const PW = 'pw';
const NOW: PruneOptions = { delayMs: 0 };

describe('prune', () => {
  let dir: string;
  let backend: LocalBackend;
  const open = () => Repository.open(backend, PW);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-prune-'));
    backend = new LocalBackend(join(dir, 'repo'));
    await Repository.init(backend, PW, { kdfLogN: 10 });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** A folder of `files` random files of `size` bytes each. */
  async function source(name: string, files: number, size: number): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder, { recursive: true });
    for (let i = 0; i < files; i++) await writeFile(join(folder, `f${i}`), randomBytes(size));
    return folder;
  }

  async function snap(path: string): Promise<string> {
    const r = await backup(await open(), { paths: [path], workers: 0, packSize: 256 * 1024 });
    return r.snapshotId!;
  }

  const forget = (id: string) => backend.remove({ kind: 'snapshots', name: id });
  const packNames = async () => new Set((await backend.list('data')).map((f) => f.name));

  async function expectRestores(id: string, from: string, files: number): Promise<void> {
    const repo = await open();
    const { snapshots } = await listSnapshots(repo);
    const target = join(dir, `restore-${id.slice(0, 8)}-${Math.random()}`);
    const s = snapshots.find((r) => r.id === id)!;
    const result = await restore(repo, s, { target, workers: 0 });
    expect(result.problems).toEqual([]);
    for (let i = 0; i < files; i++) {
      const a = await readFile(join(from, `f${i}`));
      const b = await readFile(join(target, from, `f${i}`));
      expect(b.equals(a)).toBe(true);
    }
  }

  async function expectCheckClean(): Promise<void> {
    const result = await check(await open(), { readData: true });
    expect(result.problems).toEqual([]);
  }

  it('frees the space of a forgotten snapshot in two runs; what remains restores and checks', async () => {
    const keep = await source('keep', 4, 300_000);
    const drop = await source('drop', 6, 300_000);
    const kept = await snap(keep);
    const dropped = await snap(drop);
    const before = await packNames();
    await forget(dropped);

    const first = await prune(await open(), NOW);
    expect(first.marked.packs).toBeGreaterThan(0);
    expect(first.deleted.packs).toBe(0); // marked only: deletion is for a later run
    expect(await packNames()).toEqual(before);

    const second = await prune(await open(), NOW);
    expect(second.deleted.packs).toBe(first.marked.packs);
    expect(second.deleted.bytes).toBeGreaterThan(6 * 300_000);
    const after = await packNames();
    expect(after.size).toBe(before.size - first.marked.packs);
    await expectRestores(kept, keep, 4);
    await expectCheckClean();
    expect((await loadMarks(await open())).packs.size).toBe(0);
    expect(await backend.list('locks')).toEqual([]);

    const third = await prune(await open(), NOW);
    expect(third.marked.packs + third.deleted.packs + third.repacked.packs).toBe(0);
  });

  it('repacks packs with unused space, marks the old ones, and deletes them later', async () => {
    // One pack holds blobs of both snapshots: 20 small files share it.
    const keep = await source('keep', 10, 5_000);
    const drop = await source('drop', 10, 5_000);
    const both = await source('both', 0, 0);
    for (let i = 0; i < 10; i++) {
      await writeFile(join(both, `f${i}`), await readFile(join(keep, `f${i}`)));
      await writeFile(join(both, `g${i}`), await readFile(join(drop, `f${i}`)));
    }
    const all = await snap(both);
    await forget(all);
    for (let i = 0; i < 10; i++) await rm(join(both, `g${i}`));
    const kept = await snap(both); // deduplicated: the old pack holds its data, half unused now

    const first = await prune(await open(), { delayMs: 0, maxUnused: 0.2 });
    expect(first.repacked.packs).toBeGreaterThan(0);
    expect(first.repacked.blobs).toBeGreaterThan(0);
    const second = await prune(await open(), { delayMs: 0, maxUnused: 0.2 });
    expect(second.deleted.packs).toBeGreaterThanOrEqual(first.repacked.packs);
    const third = await prune(await open(), { delayMs: 0, maxUnused: 0.2 });
    expect(third.repacked.packs).toBe(0);
    await expectRestores(kept, both, 10);
    await expectCheckClean();
  });

  it('resurrects marked packs that a snapshot written meanwhile uses', async () => {
    const data = await source('data', 3, 300_000);
    const old = await snap(data);
    const repo = await open();
    const oldBytes = await repo.loadFile('snapshots', old);
    await forget(old);
    const first = await prune(await open(), NOW);
    expect(first.marked.packs).toBeGreaterThan(0);
    // A backup whose view predates the marks finishes: its snapshot uses the marked packs.
    const again = JSON.parse(oldBytes.toString());
    again.time = new Date().toISOString();
    const revived = await repo.saveFile('snapshots', Buffer.from(JSON.stringify(again)));

    const second = await prune(await open(), NOW);
    expect(second.deleted.packs).toBe(0);
    expect(second.resurrected.packs).toBe(first.marked.packs);
    expect((await loadMarks(await open())).packs.size).toBe(0);
    await expectRestores(revived, data, 3);
    await expectCheckClean();
  });

  it('keeps marked packs while a session that loaded its view before the marks is live', async () => {
    const data = await source('data', 3, 300_000);
    await forget(await snap(data));
    const sessionRepo = await open();
    const session = await Session.start(sessionRepo, 'backup');
    await session.setSeenGeneration((await loadMarks(sessionRepo)).generation); // 0: no marks
    try {
      const first = await prune(await open(), NOW);
      const held = await prune(await open(), NOW);
      expect(held.deleted.packs).toBe(0);
      expect(held.waiting.packs).toBe(first.marked.packs);
      expect(held.waiting.reasons.join(' ')).toMatch(/running backup/);
    } finally {
      await session.end();
    }
    const after = await prune(await open(), NOW);
    expect(after.deleted.packs).toBeGreaterThan(0);
  });

  it('a session that has not said what it saw holds deletion back; one that saw the marks does not', async () => {
    const data = await source('data', 2, 300_000);
    await forget(await snap(data));
    await prune(await open(), NOW);
    const repo = await open();
    const unknown = await Session.start(repo, 'restore');
    const held = await prune(await open(), NOW);
    expect(held.deleted.packs).toBe(0);
    await unknown.setSeenGeneration((await loadMarks(repo)).generation);
    const freed = await prune(await open(), NOW);
    expect(freed.deleted.packs).toBeGreaterThan(0);
    await unknown.end();
  });

  it('a backup after the marks stores its own copies instead of using marked packs', async () => {
    const data = await source('data', 3, 300_000);
    await forget(await snap(data));
    await prune(await open(), NOW);
    const r = await backup(await open(), { paths: [data], workers: 0, packSize: 256 * 1024 });
    // Nothing deduplicated against the marked packs: all the data is stored again.
    expect(r.summary.bytesAdded).toBeGreaterThanOrEqual(3 * 300_000);
    const second = await prune(await open(), NOW);
    expect(second.deleted.packs).toBeGreaterThan(0);
    await expectRestores(r.snapshotId!, data, 3);
    await expectCheckClean();
  });

  it('waits for the delay and says when the marked space can be freed', async () => {
    const data = await source('data', 2, 300_000);
    await forget(await snap(data));
    await prune(await open(), { delayMs: 3_600_000 });
    const second = await prune(await open(), { delayMs: 3_600_000 });
    expect(second.deleted.packs).toBe(0);
    expect(second.waiting.packs).toBeGreaterThan(0);
    expect(Date.parse(second.waiting.deleteAfter!)).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('changes nothing in a dry run', async () => {
    const data = await source('data', 2, 300_000);
    await forget(await snap(data));
    const before = await packNames();
    const dry = await prune(await open(), { delayMs: 0, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.marked.packs).toBeGreaterThan(0);
    expect(await packNames()).toEqual(before);
    expect(await backend.list('marks')).toEqual([]);
    expect(await backend.list('locks')).toEqual([]);
  });

  it('refuses to prune when a snapshot cannot be read, and deletes nothing', async () => {
    const data = await source('data', 2, 300_000);
    const id = await snap(data);
    await forget(await snap(await source('other', 2, 300_000)));
    await prune(await open(), NOW);
    const file = join(dir, 'repo', 'snapshots', id);
    const bytes = await readFile(file);
    bytes[bytes.length - 1]! ^= 1;
    await rm(file);
    await writeFile(file, bytes);
    const before = await packNames();
    await expect(prune(await open(), NOW)).rejects.toMatchObject({ code: 'REPO_CORRUPT' });
    expect(await packNames()).toEqual(before);
  });

  it('after a damaged marks file, deletes nothing that run and starts the marks over', async () => {
    const data = await source('data', 2, 300_000);
    await forget(await snap(data));
    const first = await prune(await open(), NOW);
    const [marksFile] = await backend.list('marks');
    const path = join(dir, 'repo', 'marks', marksFile!.name);
    const bytes = await readFile(path);
    bytes[20]! ^= 1;
    await rm(path);
    await writeFile(path, bytes);
    // The damaged file hides the marks: the packs are marked afresh, not deleted.
    const second = await prune(await open(), NOW);
    expect(second.deleted.packs).toBe(0);
    expect(second.problems.join(' ')).toMatch(/marks file/);
    expect(await backend.list('marks')).toHaveLength(1);
    const third = await prune(await open(), NOW);
    expect(third.deleted.packs).toBe(first.marked.packs);
  });

  it('lets one prune run at a time, and ignores the lock of a process that is gone', async () => {
    const repo = await open();
    const lock = await acquirePruneLock(repo);
    await expect(prune(await open(), NOW)).rejects.toMatchObject({ code: 'REPO_LOCKED' });
    await lock.end();
    expect((await prune(await open(), NOW)).snapshots).toBe(0);

    // A lock left by a process that died on this host.
    const record = {
      version: 1,
      kind: 'prune',
      session: 'f'.repeat(32),
      host: (await import('node:os')).hostname(),
      username: 'someone',
      pid: 2 ** 22 + 12345, // above pid_max's default: no such process
      started: new Date().toISOString(),
      refreshed: new Date().toISOString(),
      seenGeneration: null,
    };
    await repo.saveFile('locks', Buffer.from(JSON.stringify(record)));
    expect((await prune(await open(), NOW)).snapshots).toBe(0);
  });
});
