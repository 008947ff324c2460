/**
 * "I already have a backup" (restore on a new computer): repository.inspect opens the repository
 * in a folder with the password the user typed and says what it holds — snapshots, computers,
 * folders, newest time, and which of the newest snapshot's folders exist here (the default
 * sources of the job connected to it). Read only: nothing is written, the password is not kept;
 * jobs.create (without createRepository) then proves it again and keeps it.
 */
import { stat } from 'node:fs/promises';
import type { ApiHandlers, RepositoryContents } from '../../../shared/contract';
import { Repository } from '../../engine/repository/repository';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { listSnapshots } from '../../engine/repository/snapshots';
import { LocalBackend } from '../../engine/backends/local';

type ConnectHandlers = Pick<ApiHandlers, 'repository.inspect'>;

async function existsHere(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The contents in words people know; `snapshots` newest first. */
export async function describeContents(
  path: string,
  records: readonly SnapshotRecord[],
  unreadable: number,
): Promise<RepositoryContents> {
  const sorted = [...records].sort(
    (a, b) => Date.parse(b.snapshot.time) - Date.parse(a.snapshot.time),
  );
  const newest = sorted[0]?.snapshot;
  const newestPaths = newest ? [...newest.paths] : [];
  const here: string[] = [];
  const missing: string[] = [];
  for (const p of newestPaths) ((await existsHere(p)) ? here : missing).push(p);
  return {
    path,
    snapshots: sorted.length,
    hosts: [...new Set(sorted.map((r) => r.snapshot.host))],
    paths: [...new Set(sorted.flatMap((r) => r.snapshot.paths))],
    newest: newest?.time ?? null,
    oldest: sorted.at(-1)?.snapshot.time ?? null,
    newestPaths: { here, missing },
    unreadable,
  };
}

export function connectHandlers(): ConnectHandlers {
  return {
    async 'repository.inspect'({ path, password }) {
      // WRONG_PASSWORD / REPO_NOT_FOUND come from open() with their codes and sentences.
      const repo = await Repository.open(new LocalBackend(path), password);
      const { snapshots, problems } = await listSnapshots(repo);
      return describeContents(path, snapshots, problems.length);
    },
  };
}
