/**
 * When forget-and-prune and test restores (verify) are due, from the job's maintenance field.
 *
 * Both need the repository to themselves and something to work on, so neither is due while the
 * job runs, while it is paused, before its first good backup, while a backup is owed (the backup
 * goes first: a prune before it would only be redone) or while conditions postpone runs. A job
 * never pruned or verified is due as soon as it has a backup: an early proof of restore is the
 * point of verifying.
 */
import type { Job } from '../../../shared/jobs';
import type { JobRunState, MaintenancePlan } from './types';
import { formatWhen } from './words';

const HOUR = 3_600_000;

export interface MaintenanceContext {
  readonly now: number;
  readonly timeZone: string;
  readonly job: Job;
  readonly run: JobRunState;
  /** Why the job cannot use the repository now (running, paused, backup owed, postponed). */
  readonly blockedBy?: string;
}

function plan(
  ctx: MaintenanceContext,
  what: string,
  everyHours: number,
  last: number | undefined,
): MaintenancePlan {
  if (everyHours <= 0) return { due: false, reason: `${what} is turned off` };
  if (ctx.run.lastGoodBackup === undefined) {
    return { due: false, reason: `no backup to ${what} yet` };
  }
  const dueAt = last === undefined ? ctx.run.lastGoodBackup : last + everyHours * HOUR;
  if (dueAt > ctx.now) {
    return {
      due: false,
      dueAt,
      reason: `next ${what} ${formatWhen(dueAt, ctx.now, ctx.timeZone)}`,
    };
  }
  if (ctx.blockedBy !== undefined) return { due: false, dueAt, reason: ctx.blockedBy };
  return { due: true, dueAt, reason: `${what} is due` };
}

/** Whether forget-and-prune is due; never for a job that keeps everything. */
export function planPrune(ctx: MaintenanceContext): MaintenancePlan {
  if (ctx.job.retention.kind === 'keep-all') {
    return { due: false, reason: 'the job keeps every snapshot, so there is nothing to prune' };
  }
  return plan(ctx, 'prune', ctx.job.maintenance.pruneEveryHours, ctx.run.lastPrune);
}

/** Whether a test restore is due; `verifyEveryHours` 0 turns it off. */
export function planVerify(ctx: MaintenanceContext): MaintenancePlan {
  return plan(ctx, 'test restore', ctx.job.maintenance.verifyEveryHours, ctx.run.lastVerify);
}
