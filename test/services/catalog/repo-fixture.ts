/**
 * Real repositories for catalog tests: made with the engine, backed up into on a single
 * thread, and compared with what the engine itself walks.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LocalBackend } from '../../../electron/engine/backends/local';
import { backup } from '../../../electron/engine/backup/backup';
import { Repository } from '../../../electron/engine/repository/repository';
import { listSnapshots } from '../../../electron/engine/repository/snapshots';
import { walkTree } from '../../../electron/engine/repository/walk';
import type { FolderEntry } from '../../../electron/services/catalog';

export const PASSWORD = 'pw';

export async function makeRepo(dir: string): Promise<void> {
  await Repository.init(new LocalBackend(dir), PASSWORD, { kdfLogN: 10 });
}

export function openRepo(dir: string): Promise<Repository> {
  return Repository.open(new LocalBackend(dir), PASSWORD);
}

/** Writes files (path -> content) below root; null removes. */
export async function writeFiles(
  root: string,
  files: Record<string, string | null>,
): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    if (content === null) {
      await rm(full, { recursive: true, force: true });
    } else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
}

/** One backup of `source` into a freshly opened repository (a Repository serves one backup). */
export async function backupOnce(repoDir: string, source: string, time: Date): Promise<string> {
  const repo = await openRepo(repoDir);
  const r = await backup(repo, { paths: [source], workers: 0, time });
  return r.snapshotId!;
}

/** Every folder of a snapshot with its entries as the catalog reports them, from the engine. */
export async function foldersFromEngine(
  repoDir: string,
  snapshotId: string,
): Promise<Map<string, FolderEntry[]>> {
  const repo = await openRepo(repoDir);
  const { snapshots } = await listSnapshots(repo);
  await repo.loadIndex();
  const snap = snapshots.find((s) => s.id === snapshotId)!.snapshot;
  const folders = new Map<string, FolderEntry[]>([['', []]]);
  for await (const { path, node } of walkTree(repo, snap.tree)) {
    const parent = path.slice(0, path.lastIndexOf('/'));
    folders.get(parent)!.push({
      name: node.name,
      type: node.type,
      size: node.type === 'file' ? (node.size ?? null) : null,
      mtime: Math.floor(Number(node.mtime) / 1e6),
    });
    if (node.type === 'dir') folders.set(path, []);
  }
  return folders;
}
