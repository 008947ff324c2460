/** Opening a job's destination and finding a snapshot in it, for diff and restore. */
import type { Job } from '../../../shared/jobs';
import type { Repository } from '../../engine/repository/repository';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { loadIndexForReading } from '../../engine/repository/marks';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { openDestination } from '../runner/destination';
import type { ApiContext } from './context';
import { destinationOf, jobOf } from './jobs';

export interface Opened {
  readonly job: Job;
  readonly repo: Repository;
  readonly snapshots: readonly SnapshotRecord[];
}

export async function openJobDestination(
  c: ApiContext,
  jobId: string,
  destinationId: string,
): Promise<Opened> {
  const job = jobOf(c, jobId);
  const repo = await openDestination(destinationOf(job, destinationId), c.s.passwords);
  // Snapshots first, then the index (the engine's invariant 2): trees can then be read.
  const { snapshots } = await listSnapshots(repo);
  await loadIndexForReading(repo);
  return { job, repo, snapshots };
}

export function snapshotIn(o: Opened, id: string): SnapshotRecord {
  return resolveSnapshot(o.snapshots, id);
}
