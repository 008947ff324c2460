/**
 * The catalog in a worker thread answers as the catalog used directly does (the worker is the
 * built copy in dist/: `npm test` builds first). Errors keep their codes across the thread.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStrataError } from '../../../shared/errors';
import { Catalog, CatalogClient, type RepoAccess } from '../../../electron/services/catalog';
import { tempDir } from '../../helpers/cli';
import { backupOnce, makeRepo, openRepo, PASSWORD, writeFiles } from './repo-fixture';

describe('CatalogClient (worker thread)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let repoDir: string;
  let src: string;
  let direct: Catalog;
  let client: Awaited<ReturnType<typeof CatalogClient.open>>;
  let access: RepoAccess;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-catalog-client-'));
    repoDir = join(dir, 'repo');
    src = join(dir, 'src');
    await makeRepo(repoDir);
    await writeFiles(src, { 'a.txt': 'a', 'sub/b.txt': 'b', 'sub/c.txt': 'c' });
    await backupOnce(repoDir, src, new Date('2026-02-01T00:00:00Z'));
    await writeFiles(src, { 'a.txt': 'a2', 'sub/c.txt': null, 'sub/d.txt': 'd' });
    await backupOnce(repoDir, src, new Date('2026-02-02T00:00:00Z'));
    access = { destination: { id: 'nas', type: 'local', path: repoDir }, password: PASSWORD };
    direct = Catalog.open(join(dir, 'direct.db'));
    await direct.syncSnapshots('nas', await openRepo(repoDir));
    client = await CatalogClient.open(join(dir, 'worker.db'));
  });
  afterAll(async () => {
    direct?.close();
    await client?.close();
    await cleanup();
  });

  it('opens a fresh catalog and syncs a destination from its access details', async () => {
    expect(client.opened.fresh).toBe(true);
    const r = await client.syncSnapshots(access);
    expect(r).toMatchObject({ added: 2, removed: 0, problems: [] });
  });

  it('answers every query as the direct catalog does', async () => {
    expect(await client.snapshots('nas')).toEqual(direct.snapshots('nas'));
    const [first, second] = direct.snapshots('nas');
    for (const snap of [first!, second!]) {
      for (const path of ['/', src, `${src}/sub`]) {
        expect(await client.listFolder('nas', snap.id, path)).toEqual(
          direct.listFolder('nas', snap.id, path),
        );
      }
    }
    expect(await client.fileVersions('nas', `${src}/a.txt`)).toEqual(
      direct.fileVersions('nas', `${src}/a.txt`),
    );
    expect(await client.search(null, '.txt', 50)).toEqual(direct.search(null, '.txt', 50));
    expect((await client.destinations()).map((d) => d.id)).toEqual(['nas']);
  });

  it('stores jobs and runs, and passes errors back with their codes', async () => {
    const job = await client.putJob({
      id: 'home',
      name: 'Home',
      sources: [src],
      destinations: [access.destination],
      schedule: { kind: 'manual' },
    });
    expect(await client.getJob('home')).toEqual(job);
    const run = await client.startRun({ jobId: 'home', kind: 'backup', destinationId: 'nas' });
    await client.appendLog(run, [{ level: 'info', time: '2026-02-02T00:00:00Z', text: 'hi' }]);
    await client.finishRun(run, { outcome: 'ok' });
    expect((await client.listRuns('home'))[0]).toMatchObject({ id: run, outcome: 'ok' });
    expect(await client.runLog(run)).toHaveLength(1);

    const invalid = await client.putJob({ id: 'x' }).catch((e: unknown) => e);
    expect(isStrataError(invalid, 'INVALID_ARGUMENT')).toBe(true);
    const missing = await client.listFolder('nas', 'f00d', '/').catch((e: unknown) => e);
    expect(isStrataError(missing, 'SNAPSHOT_NOT_FOUND')).toBe(true);
    const wrong = await client
      .syncSnapshots({ ...access, password: 'not it' })
      .catch((e: unknown) => e);
    expect(isStrataError(wrong, 'WRONG_PASSWORD')).toBe(true);
  });

  it('starts a new worker after one dies; what was in flight fails', async () => {
    const worker = (
      client as unknown as { connection: { worker: { terminate(): Promise<number> } } }
    ).connection.worker;
    const inFlight = client.search(null, 'a', 10);
    await worker.terminate();
    await expect(inFlight).rejects.toThrow(/worker stopped|\[/);
    expect(await client.getJob('home')).toMatchObject({ id: 'home' });
  });
});
