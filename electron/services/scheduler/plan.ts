/**
 * The scheduler: which jobs to start now, as a pure function of `now`, the jobs, their run
 * state and the host's conditions. The runner calls it on a tick, on wake and whenever a
 * condition changes, starts what is due and sets a timer for the earliest `nextAt`.
 *
 * Rules, in the order they are applied to each job:
 * 1. A running job is never due (never two runs of one job at once); then paused; then manual.
 * 2. After a failure: retry at the end of the failed run plus the backoff (backoff.ts).
 * 3. After an interrupted run (quit or shutdown mid-run): due again at once, not a failure.
 * 4. Otherwise the next scheduled time after the last start (or after `createdAt` for a job that
 *    never ran; without either, at once). If it has passed, the job is due ONCE, however many
 *    times were missed while the machine was off or asleep: that is the catch-up.
 * 5. An owed run waits while conditions say so (conditions.ts), and says why.
 */
import type { Job } from '../../../shared/jobs';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff';
import { checkConditions } from './conditions';
import { planPrune, planVerify } from './maintenance';
import { nextScheduledTime, scheduleGap } from '../../../shared/schedule-times';
import type {
  HostConditions,
  JobPlan,
  JobRunState,
  PlanReason,
  PlanReasonCode,
  SchedulerPolicy,
} from './types';
import { formatWhen } from './words';

export interface PlanInput {
  readonly now: number;
  /** The user's IANA time zone: wall-clock schedules are read in it. */
  readonly timeZone: string;
  readonly jobs: readonly Job[];
  /** Run state by job id; a job missing here has never run and is not running. */
  readonly runs: Readonly<Record<string, JobRunState>>;
  readonly conditions: HostConditions;
  readonly policy?: Partial<SchedulerPolicy>;
}

export const DEFAULT_POLICY: SchedulerPolicy = {
  runOnBattery: false,
  runOnMetered: false,
  backoff: DEFAULT_BACKOFF,
  lateAfterMinutes: 10,
};

const NEVER_RAN: JobRunState = { running: false, consecutiveFailures: 0 };

type Owed =
  | { readonly owed: false; readonly reason: PlanReason; readonly nextAt?: number }
  | {
      readonly owed: true;
      readonly dueAt: number;
      readonly reason: PlanReason;
      readonly catchUp: boolean;
    };

interface Context {
  readonly now: number;
  readonly timeZone: string;
  readonly policy: SchedulerPolicy;
}

function notOwed(code: PlanReasonCode, message: string, nextAt?: number): Owed {
  return { owed: false, reason: { code, message }, nextAt };
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Rules 1-4: whether a run is owed now, for what time, and why (not). */
function owedRun(job: Job, run: JobRunState, ctx: Context): Owed {
  const { now, timeZone } = ctx;
  const when = (t: number) => formatWhen(t, now, timeZone);
  const next = (after: number) => nextScheduledTime(job.schedule, after, timeZone);
  if (run.running) {
    const after = run.lastStarted === undefined ? undefined : next(run.lastStarted);
    return notOwed('running', 'Backing up now', after);
  }
  if (job.paused) return notOwed('paused', 'Paused: scheduled backups are skipped until resumed');
  if (job.schedule.kind === 'manual') return notOwed('manual', 'Runs only when started by hand');

  if (run.lastOutcome === 'failure') {
    const failures = Math.max(1, run.consecutiveFailures);
    const failedAt = run.lastFinished ?? run.lastStarted ?? now;
    const retryAt =
      failedAt +
      backoffDelay(failures, scheduleGap(job.schedule, failedAt, timeZone), ctx.policy.backoff);
    if (retryAt > now) {
      const message = `Backing off after ${plural(failures, 'failure')}; next try ${when(retryAt)}`;
      return notOwed('backing-off', message, retryAt);
    }
    const reason = {
      code: 'retry',
      message: `Retrying after ${plural(failures, 'failure')}`,
    } as const;
    return { owed: true, dueAt: retryAt, reason, catchUp: false };
  }
  if (run.lastOutcome === 'interrupted') {
    const dueAt = run.lastFinished ?? run.lastStarted ?? now;
    const reason = {
      code: 'resume',
      message: 'Due again: the last backup was interrupted',
    } as const;
    return { owed: true, dueAt, reason, catchUp: false };
  }

  const from = run.lastStarted ?? run.createdAt;
  if (from === undefined) {
    return {
      owed: true,
      dueAt: now,
      reason: { code: 'first-run', message: 'Due: the first backup' },
      catchUp: false,
    };
  }
  const slot = next(from);
  if (slot === undefined) return notOwed('manual', 'Runs only when started by hand');
  if (slot > now) return notOwed('waiting', `Next backup ${when(slot)}`, slot);
  // Late by more than a tick, or a later time has passed too: the machine was off or asleep.
  const following = next(slot);
  const catchUp =
    now - slot > ctx.policy.lateAfterMinutes * 60_000 ||
    (following !== undefined && following <= now);
  const reason: PlanReason = catchUp
    ? { code: 'catch-up', message: `Catching up: missed the backup scheduled ${when(slot)}` }
    : { code: 'scheduled', message: `Due: scheduled ${when(slot)}` };
  return { owed: true, dueAt: slot, reason, catchUp };
}

/** The plan for one job. */
export function planJob(
  job: Job,
  run: JobRunState,
  conditions: HostConditions,
  ctx: Context,
): JobPlan {
  const owed = owedRun(job, run, ctx);
  const check = checkConditions(job, conditions, ctx.policy);
  let blockedBy: string | undefined;
  if (owed.owed) blockedBy = 'a backup is due first';
  else if (['running', 'paused'].includes(owed.reason.code)) blockedBy = owed.reason.message;
  if (check.postponed) blockedBy ??= check.postponed.message;
  const maintenance = { now: ctx.now, timeZone: ctx.timeZone, job, run, blockedBy };
  const base = { jobId: job.id, prune: planPrune(maintenance), verify: planVerify(maintenance) };
  if (!owed.owed) {
    return {
      ...base,
      due: false,
      nextAt: owed.nextAt,
      reason: owed.reason,
      catchUp: false,
      destinationIds: [],
      skipped: [],
    };
  }
  if (check.postponed) {
    return {
      ...base,
      due: false,
      dueAt: owed.dueAt,
      reason: check.postponed,
      catchUp: owed.catchUp,
      destinationIds: [],
      skipped: check.skipped,
    };
  }
  return {
    ...base,
    due: true,
    dueAt: owed.dueAt,
    nextAt: nextScheduledTime(job.schedule, ctx.now, ctx.timeZone),
    reason: owed.reason,
    catchUp: owed.catchUp,
    destinationIds: check.usable,
    skipped: check.skipped,
  };
}

/** The plan for every job, in the order given. */
export function planJobs(input: PlanInput): JobPlan[] {
  const policy: SchedulerPolicy = { ...DEFAULT_POLICY, ...input.policy };
  const ctx: Context = { now: input.now, timeZone: input.timeZone, policy };
  return input.jobs.map((job) =>
    planJob(job, input.runs[job.id] ?? NEVER_RAN, input.conditions, ctx),
  );
}
