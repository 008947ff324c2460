/**
 * What deserves a notification, as a pure function of `now`, what happened and what was sent
 * before (the memory, which the runner persists as plain JSON between calls).
 *
 * Rules (each job's `notify` preferences decide whether a kind is sent at all; the memory
 * records only what was sent, so turning a preference on mid-streak still notifies once):
 * - failure: once when a failing streak starts, then a reminder every `reminderHours` (24) while
 *   runs keep failing. When a notified streak ends, one "backing up again" (under onFailure),
 *   which replaces that run's success or warning notice.
 * - warnings: once per streak of runs with warnings, then at most every `reminderHours`.
 * - overdue: once when the job crosses its RPO, again every `reminderHours` while still overdue;
 *   crossing back resets it.
 * - drive needed: when a run is postponed or a destination left out because the drive is absent,
 *   at most once a day per destination, under onOverdue (the missing drive is what makes a job
 *   overdue: a user who wants no overdue alerts wants no drive reminders either).
 * - success: every success, only if the job asks for it (onSuccess).
 * Cancelled and interrupted runs notify nothing: the user or the shutdown caused them.
 */
import { assertNever } from '../../../shared/errors';
import type { Job } from '../../../shared/jobs';
import type { RunOutcome } from '../scheduler/types';
import { formatSpan, formatWhen } from '../scheduler/words';
import type { Notification } from './notifier';

const HOUR = 3_600_000;

export type NotifyEvent =
  | {
      readonly type: 'run-finished';
      readonly jobId: string;
      readonly outcome: RunOutcome;
      readonly at: number;
      /** The error, or a summary of the warnings, in words. */
      readonly message?: string;
    }
  | {
      /** The job's current status, after any change (the runner may send it on every tick). */
      readonly type: 'status';
      readonly jobId: string;
      readonly overdue: boolean;
      readonly lastGoodBackup?: number;
    }
  | {
      readonly type: 'destination-absent';
      readonly jobId: string;
      readonly destinationId: string;
      /** Its label or path: what to plug in. */
      readonly name: string;
    };

/** What was sent for one job, and the failing streak. Plain JSON. */
export interface JobNotifyMemory {
  readonly failures?: {
    readonly since: number;
    readonly count: number;
    readonly notifiedAt?: number;
  };
  readonly warningNotifiedAt?: number;
  readonly overdueNotifiedAt?: number;
  readonly driveNotifiedAt?: Readonly<Record<string, number>>;
}

export type NotificationMemory = Readonly<Record<string, JobNotifyMemory>>;

export type NotifyJob = Pick<Job, 'id' | 'name' | 'notify' | 'rpoHours'>;

export interface DecideInput {
  readonly now: number;
  readonly timeZone: string;
  readonly jobs: readonly NotifyJob[];
  readonly previous: NotificationMemory;
  /** In the order they happened. */
  readonly events: readonly NotifyEvent[];
  /** Hours between reminders of a continuing failure, warning, overdue or missing drive. */
  readonly reminderHours?: number;
}

export interface Decision {
  readonly notifications: readonly Notification[];
  readonly memory: NotificationMemory;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Ctx {
  readonly now: number;
  readonly timeZone: string;
  readonly reminderMs: number;
  readonly out: Notification[];
}

const dueAgain = (last: number | undefined, ctx: Ctx) =>
  last === undefined || ctx.now - last >= ctx.reminderMs;

function onRun(
  job: NotifyJob,
  m: Mutable<JobNotifyMemory>,
  e: Extract<NotifyEvent, { type: 'run-finished' }>,
  ctx: Ctx,
): void {
  const send = (n: Omit<Notification, 'jobId'>) => ctx.out.push({ ...n, jobId: job.id });
  if (e.outcome === 'cancelled' || e.outcome === 'interrupted') return;
  if (e.outcome === 'failure') {
    const streak = m.failures ?? { since: e.at, count: 0 };
    const count = streak.count + 1;
    let notifiedAt = streak.notifiedAt;
    if (job.notify.onFailure && dueAgain(notifiedAt, ctx)) {
      notifiedAt = ctx.now;
      const reason = e.message ?? 'The backup did not complete.';
      send(
        count === 1 || streak.notifiedAt === undefined
          ? {
              kind: 'failure',
              urgency: 'critical',
              title: `${job.name}: backup failed`,
              body: `${reason} Nothing new was saved this time; Strata will try again.`,
            }
          : {
              kind: 'failure',
              urgency: 'critical',
              title: `${job.name}: still failing`,
              body: `${count} backups in a row have failed over ${formatSpan(ctx.now - streak.since)}. ${reason}`,
            },
      );
    }
    m.failures = { since: streak.since, count, notifiedAt };
    m.warningNotifiedAt = undefined;
    return;
  }
  // success or warning: a failing streak, if any, is over.
  const ended = m.failures;
  m.failures = undefined;
  if (ended?.notifiedAt !== undefined && job.notify.onFailure) {
    const warned = e.outcome === 'warning' ? `, with warnings: ${e.message ?? 'see the log'}` : '';
    send({
      kind: 'recovered',
      urgency: 'low',
      title: `${job.name}: backing up again`,
      body: `The backup worked after ${ended.count === 1 ? 'a failure' : `${ended.count} failures in a row`}${warned}.`,
    });
    if (e.outcome === 'warning') m.warningNotifiedAt = ctx.now;
    return;
  }
  if (e.outcome === 'warning') {
    if (job.notify.onWarning && dueAgain(m.warningNotifiedAt, ctx)) {
      m.warningNotifiedAt = ctx.now;
      send({
        kind: 'warning',
        urgency: 'normal',
        title: `${job.name}: backed up with warnings`,
        body: `${e.message ?? 'Some files could not be read.'} Everything else is in the new snapshot.`,
      });
    }
    return;
  }
  m.warningNotifiedAt = undefined;
  if (job.notify.onSuccess) {
    send({
      kind: 'success',
      urgency: 'low',
      title: `${job.name}: backed up`,
      body: `The backup finished ${formatWhen(e.at, ctx.now, ctx.timeZone)}.`,
    });
  }
}

function onStatus(
  job: NotifyJob,
  m: Mutable<JobNotifyMemory>,
  e: Extract<NotifyEvent, { type: 'status' }>,
  ctx: Ctx,
): void {
  if (!e.overdue) {
    m.overdueNotifiedAt = undefined;
    return;
  }
  if (!job.notify.onOverdue || !dueAgain(m.overdueNotifiedAt, ctx)) return;
  m.overdueNotifiedAt = ctx.now;
  const target = formatSpan(job.rpoHours * HOUR);
  const age =
    e.lastGoodBackup === undefined
      ? 'No backup has been made yet'
      : `No good backup for ${formatSpan(ctx.now - e.lastGoodBackup)}`;
  ctx.out.push({
    kind: 'overdue',
    jobId: job.id,
    urgency: 'critical',
    title: `${job.name}: backup overdue`,
    body: `${age} (target ${target}). Changes since then are not protected; check that the destination is reachable.`,
  });
}

function onDriveAbsent(
  job: NotifyJob,
  m: Mutable<JobNotifyMemory>,
  e: Extract<NotifyEvent, { type: 'destination-absent' }>,
  ctx: Ctx,
): void {
  // A day, not the reminder setting: a drive reminder more often than daily is nagging.
  const last = m.driveNotifiedAt?.[e.destinationId];
  if (!job.notify.onOverdue || (last !== undefined && ctx.now - last < 24 * HOUR)) return;
  m.driveNotifiedAt = { ...m.driveNotifiedAt, [e.destinationId]: ctx.now };
  ctx.out.push({
    kind: 'drive-needed',
    jobId: job.id,
    urgency: 'normal',
    title: `${job.name}: plug in ${e.name}`,
    body: `A scheduled backup is waiting for ${e.name}. It starts by itself once the drive is connected.`,
  });
}

/** The notifications to send now and the memory to keep for next time. */
export function decideNotifications(input: DecideInput): Decision {
  const ctx: Ctx = {
    now: input.now,
    timeZone: input.timeZone,
    reminderMs: (input.reminderHours ?? 24) * HOUR,
    out: [],
  };
  const jobs = new Map(input.jobs.map((j) => [j.id, j]));
  // Memory of jobs that no longer exist is dropped.
  const memory: Record<string, Mutable<JobNotifyMemory>> = {};
  for (const [id, m] of Object.entries(input.previous)) if (jobs.has(id)) memory[id] = { ...m };
  for (const e of input.events) {
    const job = jobs.get(e.jobId);
    if (!job) continue;
    const m = (memory[job.id] ??= {});
    switch (e.type) {
      case 'run-finished':
        onRun(job, m, e, ctx);
        break;
      case 'status':
        onStatus(job, m, e, ctx);
        break;
      case 'destination-absent':
        onDriveAbsent(job, m, e, ctx);
        break;
      default:
        assertNever(e);
    }
  }
  return { notifications: ctx.out, memory: stripUndefined(memory) };
}

/** Plain JSON without undefined fields, so stored memory compares and round-trips cleanly. */
function stripUndefined(memory: Record<string, JobNotifyMemory>): NotificationMemory {
  return JSON.parse(JSON.stringify(memory)) as NotificationMemory;
}
