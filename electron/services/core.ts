/**
 * The application core that the desktop main process and the headless daemon both host: jobs
 * from the catalog, the scheduler's plan on every tick, the runner, derived status, and the
 * notifications that deserve to be sent. No Electron here: the host supplies the conditions
 * (battery, network), the notifier and the password source.
 */
import type { JobOutcome, JobRunResult } from '../../shared/events';
import type { Job } from '../../shared/jobs';
import type { Catalog } from './catalog/catalog';
import type { EventBus } from './events';
import { historyOf, runStateOf } from './history';
import { decideNotifications, type NotificationMemory, type NotifyEvent } from './notify/decide';
import type { Notifier } from './notify/notifier';
import { destinationPresent, describeDestination, type PasswordSource } from './runner/destination';
import { forgetAndPrune, testRestore, type MaintenanceResult } from './runner/maintenance';
import { Runner, messageOf } from './runner/runner';
import { planJobs, type JobPlan } from './scheduler';
import type { HostConditions, RunOutcome } from './scheduler/types';
import { jobStatus, type JobStatus } from './status';

export interface CoreOptions {
  readonly catalog: Catalog;
  readonly passwords: PasswordSource;
  readonly notifier: Notifier;
  readonly bus: EventBus;
  /** The user's time zone (IANA name). */
  readonly timeZone: string;
  /** Battery and network state from the host; destination presence is checked here. */
  readonly conditions?: () => Promise<Omit<HostConditions, 'destinationsPresent'>>;
  readonly now?: () => number;
  readonly workers?: number;
  readonly pruneDelayMs?: number;
}

type Maintenance = 'prune' | 'verify';

const SCHEDULER_OUTCOME: Record<JobOutcome, RunOutcome> = {
  ok: 'success',
  warning: 'warning',
  failed: 'failure',
  cancelled: 'cancelled',
};

/** The time the status should name as "next": now when the job is due. */
function nextOf(plan: JobPlan | undefined, now: number): number | undefined {
  if (!plan) return undefined;
  return plan.due ? now : plan.nextAt;
}

export class StrataCore {
  readonly runner: Runner;
  private notifyMemory: NotificationMemory = {};
  private readonly maintenance = new Map<string, Promise<unknown>>();
  private readonly now: () => number;

  constructor(private readonly o: CoreOptions) {
    this.now = o.now ?? Date.now;
    this.runner = new Runner({
      catalog: o.catalog,
      passwords: o.passwords,
      bus: o.bus,
      workers: o.workers,
    });
  }

  jobs(): Job[] {
    return this.o.catalog.listJobs();
  }

  private busy(jobId: string): boolean {
    return this.runner.isRunning(jobId) || this.maintenance.has(jobId);
  }

  /** Every job's status, derived now. */
  statuses(plans?: readonly JobPlan[]): JobStatus[] {
    const now = this.now();
    return this.jobs().map((job) =>
      jobStatus({
        now,
        timeZone: this.o.timeZone,
        job,
        perDestination: historyOf(this.o.catalog, job, this.runner.isRunning(job.id)),
        running: this.busy(job.id),
        nextAt: nextOf(
          plans?.find((p) => p.jobId === job.id),
          now,
        ),
      }),
    );
  }

  private async conditions(jobs: readonly Job[]): Promise<HostConditions> {
    const base = (await this.o.conditions?.()) ?? { onBattery: false, meteredNetwork: false };
    const destinationsPresent: Record<string, boolean> = {};
    for (const job of jobs)
      for (const d of job.destinations) destinationsPresent[d.id] = await destinationPresent(d);
    return { ...base, destinationsPresent };
  }

  /** The scheduler's answer for every job now. */
  async plan(): Promise<JobPlan[]> {
    const jobs = this.jobs();
    const runs = Object.fromEntries(
      jobs.map((j) => [j.id, runStateOf(this.o.catalog, j, this.busy(j.id))]),
    );
    return planJobs({
      now: this.now(),
      timeZone: this.o.timeZone,
      jobs,
      runs,
      conditions: await this.conditions(jobs),
    });
  }

  /**
   * One scheduler tick: starts what is due (without waiting for it), sends what deserves a
   * notification about status (overdue, a drive needed). Returns the plans.
   */
  async tick(): Promise<JobPlan[]> {
    const plans = await this.plan();
    const events: NotifyEvent[] = [];
    for (const plan of plans) {
      const job = this.o.catalog.getJob(plan.jobId);
      if (!job) continue;
      if (plan.due && !this.busy(job.id)) {
        // Not awaited: a tick starts runs and returns. A failure after the run (recording,
        // notifying) must not become an unhandled rejection that ends the daemon.
        this.run(job, 'schedule', plan.destinationIds).catch((err: unknown) =>
          this.o.bus.emit({ type: 'log', jobId: job.id, level: 'error', text: messageOf(err) }),
        );
      } else if (!this.busy(job.id) && plan.prune.due) {
        this.runMaintenance(job, 'prune');
      } else if (!this.busy(job.id) && plan.verify.due) {
        this.runMaintenance(job, 'verify');
      }
      for (const s of plan.skipped) {
        if (s.reason === 'destination-absent')
          events.push({
            type: 'destination-absent',
            jobId: job.id,
            destinationId: s.destinationId,
            name: s.name,
          });
      }
    }
    for (const s of this.statuses(plans))
      events.push({
        type: 'status',
        jobId: s.jobId,
        overdue: s.overdue,
        lastGoodBackup: s.lastGoodBackup,
      });
    await this.notify(events);
    return plans;
  }

  /** Runs a job's backup now (a manual run goes to every destination present). */
  async run(
    job: Job,
    trigger: 'schedule' | 'manual',
    destinationIds?: readonly string[],
  ): Promise<JobRunResult> {
    let target = job;
    if (destinationIds) {
      target = {
        ...job,
        destinations: job.destinations.filter((d) => destinationIds.includes(d.id)),
      };
    } else {
      const present = [];
      for (const d of job.destinations) if (await destinationPresent(d)) present.push(d);
      // None present: try them all, so the run fails and says which drive to connect.
      if (present.length > 0) target = { ...job, destinations: present };
      for (const d of job.destinations)
        if (!present.includes(d) && present.length > 0)
          this.o.bus.emit({
            type: 'log',
            jobId: job.id,
            level: 'warning',
            text: `${describeDestination(d)} is not connected: skipped`,
          });
    }
    const result = await this.runner.start(target, trigger);
    await this.notify([
      {
        type: 'run-finished',
        jobId: job.id,
        outcome: SCHEDULER_OUTCOME[result.outcome],
        at: this.now(),
        message: result.error ?? result.destinations.find((d) => d.error)?.error,
      },
    ]);
    return result;
  }

  /** Forget-and-prune or a test restore for a job, unless it is busy. */
  runMaintenance(job: Job, kind: Maintenance): Promise<MaintenanceResult[]> | undefined {
    if (this.busy(job.id)) return undefined;
    const deps = {
      catalog: this.o.catalog,
      passwords: this.o.passwords,
      workers: this.o.workers,
      pruneDelayMs: this.o.pruneDelayMs,
    };
    const work = (kind === 'prune' ? forgetAndPrune(deps, job) : testRestore(deps, job))
      .then((results) => {
        for (const r of results)
          this.o.bus.emit({
            type: 'log',
            jobId: job.id,
            level: r.outcome === 'failed' ? 'error' : 'info',
            text: `${kind} ${r.destinationId}: ${r.message}`,
          });
        return results;
      })
      .catch((err: unknown): MaintenanceResult[] => {
        this.o.bus.emit({
          type: 'log',
          jobId: job.id,
          level: 'error',
          text: `${kind}: ${messageOf(err)}`,
        });
        return [];
      })
      .finally(() => {
        this.maintenance.delete(job.id);
        this.o.bus.emit({ type: 'status-changed', jobId: job.id });
      });
    this.maintenance.set(job.id, work);
    return work;
  }

  private async notify(events: readonly NotifyEvent[]): Promise<void> {
    if (events.length === 0) return;
    const decision = decideNotifications({
      now: this.now(),
      timeZone: this.o.timeZone,
      jobs: this.jobs(),
      previous: this.notifyMemory,
      events,
    });
    this.notifyMemory = decision.memory;
    for (const n of decision.notifications) await this.o.notifier.notify(n).catch(() => undefined);
  }

  /** Resolves once no backup or maintenance run is in progress. */
  async idle(): Promise<void> {
    while (this.runner.runningJobs().length > 0 || this.maintenance.size > 0) {
      await Promise.allSettled([...this.maintenance.values(), this.runner.whenIdle()]);
    }
  }

  /** Stops everything: cancels runs (their stored data is kept), waits for maintenance. */
  async stop(): Promise<void> {
    await this.runner.stopAll();
    await Promise.allSettled([...this.maintenance.values()]);
  }
}
