/**
 * Storage grows with what changes, not with snapshots x files: unchanged snapshots add no
 * version rows, and a changed file adds one row for itself and one per folder above it (their
 * subtree ids changed), however many files sit beside it.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotRecord } from '../../../electron/engine/repository/snapshot';
import type { Tree, TreeNode } from '../../../electron/engine/repository/tree';
import { Catalog, type TreeSource } from '../../../electron/services/catalog';
import { tempDir } from '../../helpers/cli';
import { backupOnce, makeRepo, openRepo, writeFiles } from './repo-fixture';

describe('catalog storage growth', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-catalog-growth-'));
  });
  afterAll(() => cleanup());

  it('adds no version rows for 50 snapshots of an unchanged tree of 2,000 files', async () => {
    const repoDir = join(dir, 'repo');
    // The catalog lives elsewhere: its files coming and going would change the folder above
    // the source, and that folder is in the snapshot.
    const src = join(dir, 'data', 'src');
    await makeRepo(repoDir);
    const files: Record<string, string> = {};
    for (let i = 0; i < 2000; i++) files[`f${i % 20}/file-${i}.txt`] = `content ${i}`;
    await writeFiles(src, files);
    const other = await tempDir('strata-catalog-growth-db-');
    const catalog = Catalog.open(join(other.dir, 'growth.db'));
    await backupOnce(repoDir, src, new Date(Date.UTC(2026, 0, 1)));
    await catalog.syncSnapshots('d', await openRepo(repoDir));
    const first = catalog.stats();
    expect(first.versions).toBeGreaterThan(2000);
    for (let i = 1; i < 50; i++) {
      await backupOnce(repoDir, src, new Date(Date.UTC(2026, 0, 1 + i)));
    }
    await catalog.syncSnapshots('d', await openRepo(repoDir));
    const after = catalog.stats();
    expect(after.snapshots).toBe(50);
    expect(after.paths).toBe(first.paths);
    // Nothing below the source changed. Only the folders above it may have (the shared /tmp
    // changes as other tests make folders), one row each per snapshot at most.
    const ancestors = src.split('/').length - 1;
    expect(after.versions - first.versions).toBeLessThanOrEqual(49 * ancestors);
    for (let i = 0; i < 2000; i += 37) {
      expect(catalog.fileVersions('d', `${src}/f${i % 20}/file-${i}.txt`)).toHaveLength(1);
    }
    expect(catalog.fileVersions('d', src)[0]!.snapshots).toHaveLength(50);
    const last = catalog.snapshots('d').at(-1)!.id;
    expect(catalog.listFolder('d', last, `${src}/f7`)).toHaveLength(100);
    catalog.close();
    await other.cleanup();
  }, 120_000);

  it('adds a row per changed file and per folder above it', async () => {
    const trees = new Map<string, Tree>();
    let n = 0;
    const node = (name: string, extra: Partial<TreeNode>): TreeNode => ({
      name,
      type: 'file',
      mode: 0o644,
      uid: 0,
      gid: 0,
      mtime: '1000000000000000000',
      ctime: '0',
      inode: '0',
      dev: '0',
      links: 1,
      ...extra,
    });
    const put = (nodes: TreeNode[]): string => {
      const id = (n++).toString(16).padStart(64, '0');
      trees.set(id, { nodes });
      return id;
    };
    const source: TreeSource = { loadTree: async (id) => trees.get(id)! };
    // /a/b holds 500 files; snapshot k changes file k.
    const snapshot = (k: number): SnapshotRecord => {
      const files = Array.from({ length: 500 }, (_, i) =>
        node(`x${String(i).padStart(3, '0')}`, {
          size: 1,
          content: [i === k ? `changed-${k}` : `same-${i}`],
        }),
      );
      const b = put(files);
      const a = put([node('b', { type: 'dir', subtree: b })]);
      return {
        id: (1000 + k).toString(16).padStart(64, '0'),
        snapshot: {
          ...({} as SnapshotRecord['snapshot']),
          time: new Date(Date.UTC(2026, 0, 1 + k)).toISOString(),
          host: 'h',
          username: 'u',
          paths: ['/a'],
          tags: [],
          tree: put([node('a', { type: 'dir', subtree: a })]),
        },
      };
    };
    const catalog = Catalog.open(':memory:');
    await catalog.indexSnapshot('d', snapshot(-1), source);
    const base = catalog.stats().versions;
    expect(base).toBe(502);
    for (let k = 0; k < 20; k++) await catalog.indexSnapshot('d', snapshot(k), source);
    // Each snapshot: file k changes (1 row), the file changed before goes back (1 row), and
    // a and b have new subtree ids (2 rows); the first one has no file to put back.
    expect(catalog.stats().versions).toBe(base + 20 * 4 - 1);
    const versions = catalog.fileVersions('d', '/a/b/x005');
    expect(versions.map((v) => v.snapshots.length)).toEqual([20, 1]);
    await expect(catalog.indexSnapshot('d', snapshot(3), source)).rejects.toThrow(/not newer/);
    catalog.close();
  });
});
