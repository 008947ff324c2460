/**
 * Maintenance runs of a job, per destination: forget by the job's retention policy and prune
 * (kind 'prune'), and a test restore of a random sample of the latest snapshot (kind
 * 'verify'). Each is recorded in the catalog like a backup.
 *
 * Forget only looks at this job's snapshots: the same host and the same sources, as the
 * backups made them.
 */
import { tmpdir } from 'node:os';
import type { JobOutcome } from '../../../shared/events';
import type { Destination, Job, Retention } from '../../../shared/jobs';
import { findPreset, type RetentionPolicy } from '../../../shared/retention';
import { normaliseSources } from '../../engine/backup/backup';
import { planPolicyForget, removeSnapshots } from '../../engine/maintenance/forget';
import { prune } from '../../engine/maintenance/prune';
import { verifyRestore } from '../../engine/maintenance/verify';
import { whoAmI } from '../../engine/repository/repository';
import { listSnapshots, matchesFilter } from '../../engine/repository/snapshots';
import type { Catalog } from '../catalog/catalog';
import { openDestination, type PasswordSource } from './destination';
import { messageOf } from './runner';

export interface MaintenanceDeps {
  readonly catalog: Catalog;
  readonly passwords: PasswordSource;
  readonly workers?: number;
  /** Prune's delay before deleting marked packs (default the engine's, 1 hour). */
  readonly pruneDelayMs?: number;
}

export interface MaintenanceResult {
  readonly destinationId: string;
  readonly outcome: JobOutcome;
  readonly message: string;
}

/** The policy a job's retention names; undefined for keep-all. */
export function policyOf(r: Retention): RetentionPolicy | undefined {
  if (r.kind === 'keep-all') return undefined;
  return r.kind === 'preset' ? findPreset(r.preset).policy : r.policy;
}

async function perDestination(
  deps: MaintenanceDeps,
  job: Job,
  kind: 'prune' | 'verify',
  work: (d: Destination) => Promise<{ outcome: JobOutcome; message: string }>,
): Promise<MaintenanceResult[]> {
  const results: MaintenanceResult[] = [];
  for (const d of job.destinations) {
    const runId = deps.catalog.startRun({ jobId: job.id, destinationId: d.id, kind });
    let r: { outcome: JobOutcome; message: string };
    try {
      r = await work(d);
    } catch (err) {
      r = { outcome: 'failed', message: messageOf(err) };
    }
    deps.catalog.appendLog(runId, [
      {
        level: r.outcome === 'failed' ? 'error' : 'info',
        time: new Date().toISOString(),
        text: r.message,
      },
    ]);
    deps.catalog.finishRun(runId, {
      outcome: r.outcome,
      error: r.outcome === 'failed' ? r.message : null,
    });
    results.push({ destinationId: d.id, ...r });
  }
  return results;
}

/** Forget per the job's retention, then prune; per destination. */
export function forgetAndPrune(deps: MaintenanceDeps, job: Job): Promise<MaintenanceResult[]> {
  return perDestination(deps, job, 'prune', async (d) => {
    const repo = await openDestination(d, deps.passwords);
    const policy = policyOf(job.retention);
    let forgotten = 0;
    if (policy) {
      const filter = { host: whoAmI().host, paths: normaliseSources(job.sources) };
      const plan = await planPolicyForget(repo, { policy, filter });
      forgotten = (
        await removeSnapshots(
          repo,
          plan.remove.map((r) => r.id),
        )
      ).length;
    }
    const p = await prune(repo, { delayMs: deps.pruneDelayMs });
    await deps.catalog.syncSnapshots(d.id, repo).catch(() => undefined);
    const message = `${forgotten} snapshot(s) forgotten; ${p.deleted.packs} pack(s) deleted, ${p.marked.packs} marked, ${p.repacked.packs} repacked`;
    return { outcome: p.problems.length > 0 ? 'warning' : 'ok', message };
  });
}

/** A test restore of `job.maintenance.verifySample` files of the job's latest snapshot. */
export function testRestore(deps: MaintenanceDeps, job: Job): Promise<MaintenanceResult[]> {
  return perDestination(deps, job, 'verify', async (d) => {
    const repo = await openDestination(d, deps.passwords);
    const filter = { host: whoAmI().host, paths: normaliseSources(job.sources) };
    const { snapshots } = await listSnapshots(repo);
    const latest = snapshots.filter((s) => matchesFilter(s.snapshot, filter)).at(-1);
    if (!latest) return { outcome: 'warning', message: 'no snapshot to test yet' };
    const r = await verifyRestore(repo, latest, {
      sample: job.maintenance.verifySample,
      scratch: tmpdir(),
      workers: deps.workers,
    });
    const failed = r.files.length - r.filesProven;
    return r.ok
      ? {
          outcome: 'ok',
          message: `test restore proved ${r.filesProven} file(s), ${r.bytesProven} bytes of snapshot ${latest.id.slice(0, 8)}`,
        }
      : {
          outcome: 'failed',
          message: `test restore of snapshot ${latest.id.slice(0, 8)}: ${failed} of ${r.files.length} file(s) could not be proven`,
        };
  });
}
