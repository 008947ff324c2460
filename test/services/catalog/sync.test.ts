/**
 * Syncing real repositories into the catalog: listings equal the engine's own walk at every
 * snapshot, file versions are the distinct contents, forgotten snapshots disappear, an older
 * snapshot arriving late rebuilds the index, and rebuild() restores everything from the
 * repository alone.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pin } from '../../../electron/engine/repository/pins';
import { Catalog, type CachedSnapshot } from '../../../electron/services/catalog';
import { tempDir } from '../../helpers/cli';
import { backupOnce, foldersFromEngine, makeRepo, openRepo, writeFiles } from './repo-fixture';

const DEST = 'usb';
const day = (n: number): Date => new Date(Date.UTC(2026, 0, n, 12));

describe('catalog sync with real repositories', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let repoDir: string;
  let src: string;
  let catalog: Catalog;
  const ids: string[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-catalog-sync-'));
    repoDir = join(dir, 'repo');
    src = join(dir, 'src');
    await makeRepo(repoDir);
    // 1: a small tree.
    await writeFiles(src, {
      'a.txt': 'one',
      'docs/report.txt': 'draft',
      'docs/notes.md': 'notes',
      'photos/2025/img1.jpg': 'jpeg-1',
      'photos/2025/img2.jpg': 'jpeg-2',
      'empty/.keep': '',
    });
    ids.push(await backupOnce(repoDir, src, day(1)));
    // 2: a change, an add, a delete.
    await writeFiles(src, {
      'docs/report.txt': 'final',
      'docs/new.txt': 'new',
      'photos/2025/img2.jpg': null,
    });
    ids.push(await backupOnce(repoDir, src, day(2)));
    // 3: a rename of a folder, and a file becoming a folder.
    await writeFiles(src, { 'photos/2025': null, 'a.txt': null });
    await writeFiles(src, {
      'photos/2026/img1.jpg': 'jpeg-1',
      'a.txt/inside.txt': 'x',
    });
    ids.push(await backupOnce(repoDir, src, day(3)));
    // 4: nothing changed.
    ids.push(await backupOnce(repoDir, src, day(4)));
    // 5: the report goes back to its first content.
    await writeFiles(src, { 'docs/report.txt': 'draft' });
    ids.push(await backupOnce(repoDir, src, day(5)));
    catalog = Catalog.open(join(dir, 'catalog.db'));
  });
  afterAll(async () => {
    catalog?.close();
    await cleanup();
  });

  const srcPath = (p: string): string => `${src}/${p}`.replace(/\/+$/, '');

  async function expectListingsMatchEngine(snapshotIds: readonly string[]): Promise<void> {
    for (const id of snapshotIds) {
      const folders = await foldersFromEngine(repoDir, id);
      for (const [path, entries] of folders) {
        expect(catalog.listFolder(DEST, id, path === '' ? '/' : path), `${id} ${path}`).toEqual(
          entries,
        );
      }
    }
  }

  it('adds every snapshot in time order and lists each folder as the engine walks it', async () => {
    const r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 5, removed: 0, reindexed: false, problems: [] });
    const cached = catalog.snapshots(DEST);
    expect(cached.map((s: CachedSnapshot) => s.id)).toEqual(ids);
    expect(cached.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(cached[0]!.paths).toEqual([src]);
    expect(cached.every((s) => s.indexed && !s.pinned)).toBe(true);
    await expectListingsMatchEngine(ids);
  });

  it('syncs again without changes as a no-op', async () => {
    const before = catalog.stats();
    const r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 0, removed: 0, reindexed: false });
    expect(catalog.stats()).toEqual(before);
  });

  it('gives the distinct versions of a file with the snapshots holding each', () => {
    const versions = catalog.fileVersions(DEST, srcPath('docs/report.txt'));
    // draft (1), final (2-4), draft again (5): two distinct contents.
    expect(versions).toHaveLength(2);
    expect(versions[0]!.snapshots.map((s) => s.id)).toEqual([ids[0], ids[4]]);
    expect(versions[1]!.snapshots.map((s) => s.id)).toEqual([ids[1], ids[2], ids[3]]);
    expect(versions[0]!.size).toBe(5);
    expect(versions[1]!.first).toBe(day(2).toISOString());
    expect(versions[1]!.last).toBe(day(4).toISOString());
    expect(catalog.fileVersions(DEST, srcPath('photos/2025/img2.jpg'))).toHaveLength(1);
    expect(catalog.fileVersions(DEST, srcPath('no/such/file'))).toEqual([]);
    // a.txt: a file, then a folder.
    expect(catalog.fileVersions(DEST, srcPath('a.txt')).map((v) => v.type)).toEqual([
      'file',
      'dir',
    ]);
  });

  it('finds names across snapshots, with the snapshots that hold them', () => {
    const hits = catalog.search(DEST, 'img1', 10);
    expect(hits.map((h) => h.path).sort()).toEqual([
      srcPath('photos/2025/img1.jpg'),
      srcPath('photos/2026/img1.jpg'),
    ]);
    const old = hits.find((h) => h.path.includes('2025'))!;
    expect(old.snapshots.map((s) => s.id)).toEqual([ids[0], ids[1]]);
    expect(catalog.search(null, '*.JPG', 10)).toHaveLength(3);
    expect(catalog.search(DEST, 'report', 10)[0]!.snapshots).toHaveLength(5);
    expect(catalog.search(DEST, '100%', 10)).toEqual([]);
    expect(catalog.search(DEST, 'img', 1)).toHaveLength(1);
  });

  it('refuses what is not a folder of the snapshot, and unknown snapshots', () => {
    expect(() => catalog.listFolder(DEST, ids[0]!, srcPath('a.txt'))).toThrow(/not a folder/);
    expect(() => catalog.listFolder(DEST, ids[0]!, srcPath('photos/2026'))).toThrow(/not a folder/);
    expect(() => catalog.listFolder(DEST, 'f00d', '/')).toThrow(/no snapshot/);
    expect(() => catalog.listFolder('elsewhere', ids[0]!, '/')).toThrow(/no destination/);
  });

  it('drops snapshots the repository forgot, keeping the others exact', async () => {
    await rm(join(repoDir, 'snapshots', ids[1]!));
    let r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 0, removed: 1, reindexed: false });
    // The newest goes too: the index must describe snapshot 4 again for the next one.
    await rm(join(repoDir, 'snapshots', ids[4]!));
    r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 0, removed: 1 });
    const left = [ids[0]!, ids[2]!, ids[3]!];
    expect(catalog.snapshots(DEST).map((s) => s.id)).toEqual(left);
    await expectListingsMatchEngine(left);
    // docs/new.txt appeared in 2 and stays in 3 and 4; the "final" report is now in 3, 4 only.
    const report = catalog.fileVersions(DEST, srcPath('docs/report.txt'));
    expect(report.map((v) => v.snapshots.map((s) => s.id))).toEqual([[ids[0]], [ids[2], ids[3]]]);
    // A path only the forgotten snapshot held is gone from search too.
    expect(catalog.search(DEST, 'img2', 10)).toHaveLength(1);
    // A new snapshot is indexed against the state of snapshot 4.
    await writeFile(join(src, 'docs/notes.md'), 'more notes');
    ids.push(await backupOnce(repoDir, src, day(6)));
    r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 1, reindexed: false });
    await expectListingsMatchEngine([...left, ids[5]!]);
  });

  it('rebuilds the index when an older snapshot arrives late', async () => {
    await writeFiles(src, { 'late.txt': 'from a slow clock' });
    const late = await backupOnce(repoDir, src, new Date(Date.UTC(2026, 0, 3, 18)));
    const r = await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(r).toMatchObject({ added: 5, reindexed: true });
    const order = [ids[0]!, ids[2]!, late, ids[3]!, ids[5]!];
    expect(catalog.snapshots(DEST).map((s) => s.id)).toEqual(order);
    await expectListingsMatchEngine(order);
  });

  it('shows pins from the repository', async () => {
    await pin(await openRepo(repoDir), ids[0]!);
    await catalog.syncSnapshots(DEST, await openRepo(repoDir));
    expect(
      catalog
        .snapshots(DEST)
        .filter((s) => s.pinned)
        .map((s) => s.id),
    ).toEqual([ids[0]]);
  });

  it('rebuilds from the repository alone after the catalog file was damaged', async () => {
    const before = catalog.snapshots(DEST).map((s) => s.id);
    const listing = catalog.listFolder(DEST, before[2]!, src);
    catalog.putJob({
      id: 'j1',
      name: 'Home',
      sources: [src],
      destinations: [{ id: DEST, type: 'local', path: repoDir }],
      schedule: { kind: 'manual' },
    });
    catalog.close();
    const file = join(dir, 'catalog.db');
    await writeFile(file, Buffer.alloc(8192, 0x5a));
    catalog = Catalog.open(file);
    expect(catalog.setAside?.path).toMatch(/catalog\.db\.damaged-/);
    expect(existsSync(catalog.setAside!.path)).toBe(true);
    expect(catalog.fresh).toBe(true);
    expect(catalog.snapshots(DEST)).toEqual([]);
    const results = await catalog.rebuild([DEST], () => openRepo(repoDir));
    expect(results[0]).toMatchObject({ added: before.length, problems: [] });
    expect(catalog.snapshots(DEST).map((s) => s.id)).toEqual(before);
    expect(catalog.listFolder(DEST, before[2]!, src)).toEqual(listing);
    // Jobs are not in the repository: they come back from an export file, not from here.
    expect(catalog.listJobs()).toEqual([]);
  });

  it('deleted, it is rebuilt from the repository with the same snapshots and path histories', async () => {
    const snaps = catalog.snapshots(DEST);
    const files = ['docs/report.txt', 'a.txt', 'photos/2025/img1.jpg', 'photos/2026/img1.jpg'];
    const history = files.map((f) => catalog.fileVersions(DEST, srcPath(f)));
    const listings = snaps.map((s) => catalog.listFolder(DEST, s.id, src));
    const found = catalog.search(null, '*.jpg', 50);
    expect(history.flat().length).toBeGreaterThan(0);
    catalog.close();
    for (const suffix of ['', '-wal', '-shm'])
      await rm(join(dir, `catalog.db${suffix}`), { force: true });

    catalog = Catalog.open(join(dir, 'catalog.db'));
    expect(catalog.fresh).toBe(true);
    await catalog.rebuild([DEST], () => openRepo(repoDir));
    expect(catalog.snapshots(DEST).map((s) => [s.id, s.time, s.seq])).toEqual(
      snaps.map((s) => [s.id, s.time, s.seq]),
    );
    expect(files.map((f) => catalog.fileVersions(DEST, srcPath(f)))).toEqual(history);
    expect(snaps.map((s) => catalog.listFolder(DEST, s.id, src))).toEqual(listings);
    expect(catalog.search(null, '*.jpg', 50)).toEqual(found);
  });
});
