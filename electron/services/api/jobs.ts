/**
 * The job channels over the core and the catalog: create and update (destinations checked and
 * passwords kept first, then the job stored), remove, run now, cancel, pause and resume (a job,
 * or all of them), history with logs, export and import.
 */
import { StrataError } from '../../../shared/errors';
import type { ApiHandlers } from '../../../shared/contract';
import { describeIssues, JobExportSchema, type Job, type JobExport } from '../../../shared/jobs';
import { backendOf, describeDestination } from '../destinations';
import { Repository } from '../../engine/repository/repository';
import { passwordKey } from '../passwords';
import type { ApiContext } from './context';
import { keepPassword, prepareDestinations } from './prepare';

type JobHandlers = Pick<
  ApiHandlers,
  | 'jobs.create'
  | 'jobs.update'
  | 'jobs.remove'
  | 'jobs.runNow'
  | 'jobs.cancel'
  | 'jobs.pause'
  | 'jobs.resume'
  | 'jobs.pauseAll'
  | 'jobs.resumeAll'
  | 'jobs.history'
  | 'jobs.export'
  | 'jobs.import'
  | 'jobs.setPassword'
>;

/** The job `id`, or NOT_FOUND. */
export function jobOf(c: ApiContext, id: string): Job {
  const job = c.s.catalog.getJob(id);
  if (!job) throw new StrataError('NOT_FOUND', `there is no job "${id}" (was it removed?)`);
  return job;
}

export function destinationOf(job: Job, destinationId: string) {
  const d = job.destinations.find((x) => x.id === destinationId);
  if (!d)
    throw new StrataError('NOT_FOUND', `the job "${job.name}" has no destination ${destinationId}`);
  return d;
}

/** Pause-all ends by itself at `until`: called on every tick and on state.get. */
export function expirePauseAll(c: ApiContext): void {
  const until = c.pauseAll.until;
  if (c.pauseAll.paused && until !== undefined && Date.parse(until) <= c.now())
    // Not awaited (callers are synchronous); a failed write only means the file still holds an
    // expired pause, which readPauseAll treats as over.
    resumeAll(c).catch(() => undefined);
}

/** Ends "pause all"; resolves once the pause file says so (the resume itself is immediate). */
function resumeAll(c: ApiContext): Promise<void> {
  const saved = c.setPauseAll({ paused: false });
  for (const id of c.s.core.runner.runningJobs())
    if (!c.s.catalog.getJob(id)?.paused) c.s.core.runner.resume(id);
  c.emit({ type: 'state-changed' });
  return saved;
}

export function jobHandlers(c: ApiContext): JobHandlers {
  const { catalog, core, bus } = c.s;
  const changed = () => bus.emit({ type: 'jobs-changed' });
  return {
    async 'jobs.create'({ job, ...choice }) {
      if (catalog.getJob(job.id))
        throw new StrataError('ALREADY_EXISTS', `a job with the id "${job.id}" exists already`);
      const destinations = await prepareDestinations(c.s, job, undefined, choice, c.o.kdfLogN);
      const saved = catalog.putJob(job);
      changed();
      return { job: saved, destinations };
    },
    async 'jobs.update'({ job, ...choice }) {
      const previous = jobOf(c, job.id);
      const destinations = await prepareDestinations(c.s, job, previous, choice, c.o.kdfLogN);
      const saved = catalog.putJob(job);
      changed();
      return { job: saved, destinations };
    },
    async 'jobs.remove'({ jobId, forgetPasswords }) {
      const job = jobOf(c, jobId);
      core.runner.cancel(jobId);
      const removed = catalog.removeJob(jobId);
      if (forgetPasswords) {
        // A secret nothing uses is only a risk; a destination another job shares keeps it.
        const used = new Set(catalog.listJobs().flatMap((j) => j.destinations.map((d) => d.id)));
        for (const d of job.destinations)
          if (!used.has(d.id)) await c.s.resolver.forget(passwordKey(d)).catch(() => undefined);
      }
      changed();
      return { removed };
    },
    async 'jobs.runNow'({ jobId }) {
      const job = jobOf(c, jobId);
      if (core.runner.isRunning(jobId)) return { started: false };
      // Not awaited: the renderer follows the run through events; a failure is an event too.
      core
        .run(job, 'manual')
        .catch((err: unknown) =>
          bus.emit({ type: 'log', jobId, level: 'error', text: (err as Error).message }),
        );
      return { started: true };
    },
    async 'jobs.cancel'({ jobId }) {
      jobOf(c, jobId);
      return { changed: core.runner.cancel(jobId) };
    },
    async 'jobs.pause'({ jobId }) {
      const job = jobOf(c, jobId);
      const held = core.runner.pause(jobId);
      if (!job.paused) catalog.putJob({ ...job, paused: true });
      bus.emit({ type: 'status-changed', jobId });
      return { changed: held || !job.paused };
    },
    async 'jobs.resume'({ jobId }) {
      const job = jobOf(c, jobId);
      const wasHeld = core.runner.isPaused(jobId);
      if (!c.pauseAll.paused) core.runner.resume(jobId);
      if (job.paused) catalog.putJob({ ...job, paused: false });
      bus.emit({ type: 'status-changed', jobId });
      return { changed: wasHeld || job.paused };
    },
    async 'jobs.pauseAll'({ until }) {
      const next =
        until === undefined ? { paused: true as const } : { paused: true as const, until };
      const saved = c.setPauseAll(next);
      for (const id of core.runner.runningJobs()) core.runner.pause(id);
      c.emit({ type: 'state-changed' });
      await saved;
      return next;
    },
    async 'jobs.resumeAll'() {
      await resumeAll(c);
      return { paused: false };
    },
    async 'jobs.history'({ jobId, limit }) {
      jobOf(c, jobId);
      const runs = catalog
        .listRuns(jobId, limit)
        .map((run) => ({ ...run, log: catalog.runLog(run.id) }));
      return { runs };
    },
    async 'jobs.export'({ jobIds }) {
      const jobs = jobIds ? jobIds.map((id) => jobOf(c, id)) : catalog.listJobs();
      const envelope: JobExport = JobExportSchema.parse({
        format: 'strata-jobs',
        version: 1,
        exported: new Date(c.now()).toISOString(),
        jobs,
      });
      return { text: JSON.stringify(envelope, null, 2) + '\n', jobs: jobs.map((j) => j.id) };
    },
    async 'jobs.import'({ text, replace }) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new StrataError('INVALID_ARGUMENT', `this is not JSON: ${(err as Error).message}`);
      }
      const r = JobExportSchema.safeParse(value);
      if (!r.success)
        throw new StrataError(
          'INVALID_ARGUMENT',
          `this is not a Strata job export: ${describeIssues(r.error)}; nothing was imported`,
        );
      const ids = r.data.jobs.map((j) => j.id);
      if (new Set(ids).size !== ids.length)
        throw new StrataError('INVALID_ARGUMENT', 'a job id appears twice; nothing was imported');
      const taken = ids.filter((id) => catalog.getJob(id) !== undefined);
      if (taken.length > 0 && !replace)
        throw new StrataError(
          'ALREADY_EXISTS',
          `job(s) ${taken.join(', ')} exist already: choose "replace"; nothing was imported`,
        );
      for (const job of r.data.jobs) catalog.putJob(job);
      changed();
      return { imported: ids, replaced: taken };
    },
    async 'jobs.setPassword'({ jobId, destinationId, password, remember }) {
      const d = destinationOf(jobOf(c, jobId), destinationId);
      // Proven before it is kept: WRONG_PASSWORD reaches the dialog that asked.
      await Repository.open(backendOf(d), password).catch((err: unknown) => {
        if (err instanceof StrataError) throw err;
        throw new StrataError('BACKEND_UNAVAILABLE', `${describeDestination(d)}: ${err}`);
      });
      const kept = await keepPassword(c.s, d, password, remember);
      bus.emit({ type: 'status-changed', jobId });
      return { destinationId, created: false, ...kept };
    },
  };
}
