/**
 * The runner: executes a job. Before-hooks (a failing one aborts the run), a backup to each
 * destination (each its own repository, its own outcome), after-hooks with the outcome in their
 * environment; forget-and-prune and test restores as maintenance runs of their own. Everything
 * is recorded in the catalog and announced on the event bus. One run per job at a time;
 * cancel, pause and resume.
 */
import { StrataError, isStrataError } from '../../../shared/errors';
import type {
  DestinationResult,
  JobOutcome,
  JobRunResult,
  RunPhase,
  RunTrigger,
} from '../../../shared/events';
import type { Destination, Job } from '../../../shared/jobs';
import { backup } from '../../engine/backup/backup';
import type { Catalog } from '../catalog/catalog';
import type { EventBus } from '../events';
import { openDestination, type PasswordSource } from './destination';
import { runHook } from './hooks';
import { Pause } from './pause';

export interface RunnerDeps {
  readonly catalog: Catalog;
  readonly passwords: PasswordSource;
  readonly bus: EventBus;
  /** Worker threads per backup (default one per core). */
  readonly workers?: number;
}

interface Control {
  readonly abort: AbortController;
  readonly pause: Pause;
  readonly done: Promise<JobRunResult>;
}

const WORST: readonly JobOutcome[] = ['ok', 'warning', 'cancelled', 'failed'];
export const worst = (a: JobOutcome, b: JobOutcome): JobOutcome =>
  WORST.indexOf(a) >= WORST.indexOf(b) ? a : b;

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export class Runner {
  private readonly runs = new Map<string, Control>();

  constructor(private readonly deps: RunnerDeps) {}

  isRunning(jobId: string): boolean {
    return this.runs.has(jobId);
  }

  runningJobs(): string[] {
    return [...this.runs.keys()];
  }

  /** Starts a backup run; refuses a second run of the same job. */
  start(job: Job, trigger: RunTrigger): Promise<JobRunResult> {
    if (this.runs.has(job.id)) {
      throw new StrataError('INVALID_ARGUMENT', `the job "${job.name}" is already running`);
    }
    const abort = new AbortController();
    const pause = new Pause();
    const done = this.execute(job, trigger, abort.signal, pause).finally(() =>
      this.runs.delete(job.id),
    );
    this.runs.set(job.id, { abort, pause, done });
    return done;
  }

  /** Cancels a run (a paused one too); what was stored stays and is reused next time. */
  cancel(jobId: string): boolean {
    const c = this.runs.get(jobId);
    if (!c) return false;
    c.abort.abort();
    c.pause.resume();
    return true;
  }

  pause(jobId: string): boolean {
    const c = this.runs.get(jobId);
    c?.pause.pause();
    return c !== undefined;
  }

  resume(jobId: string): boolean {
    const c = this.runs.get(jobId);
    c?.pause.resume();
    return c !== undefined;
  }

  isPaused(jobId: string): boolean {
    return this.runs.get(jobId)?.pause.paused ?? false;
  }

  /** Resolves when the runs in progress now have ended. */
  async whenIdle(): Promise<void> {
    await Promise.allSettled([...this.runs.values()].map((c) => c.done));
  }

  /** Cancels every run and waits for them to wind down (quitting, SIGTERM). */
  async stopAll(): Promise<void> {
    const all = [...this.runs.values()];
    for (const c of all) {
      c.abort.abort();
      c.pause.resume();
    }
    await Promise.allSettled(all.map((c) => c.done));
  }

  private log(jobId: string, level: 'info' | 'warning' | 'error', text: string): void {
    this.deps.bus.emit({ type: 'log', jobId, level, text });
  }

  private phase(job: Job, phase: RunPhase, destinationId?: string): void {
    this.deps.bus.emit({
      type: 'progress',
      progress: {
        jobId: job.id,
        destinationId,
        phase,
        filesDone: 0,
        bytesDone: 0,
        throughput: 0,
        paused: this.isPaused(job.id),
      },
    });
  }

  private async execute(
    job: Job,
    trigger: RunTrigger,
    signal: AbortSignal,
    pause: Pause,
  ): Promise<JobRunResult> {
    const started = new Date().toISOString();
    const { bus, catalog } = this.deps;
    bus.emit({ type: 'run-started', jobId: job.id, trigger });
    const env: Record<string, string> = { STRATA_JOB_ID: job.id, STRATA_JOB_NAME: job.name };
    const destinations: DestinationResult[] = [];
    let error: string | undefined;

    this.phase(job, 'before-hooks');
    for (const hook of job.hooks.before) {
      const r = await runHook(hook, env, signal);
      this.log(job.id, r.ok ? 'info' : 'error', r.message);
      if (!r.ok) {
        error = `${r.message}; nothing was backed up`;
        break;
      }
    }
    if (error) {
      // A run record says why nothing happened, for the history and the status.
      const id = catalog.startRun({ jobId: job.id, kind: 'backup', started });
      catalog.appendLog(id, [{ level: 'error', time: new Date().toISOString(), text: error }]);
      catalog.finishRun(id, { outcome: signal.aborted ? 'cancelled' : 'failed', error });
    } else {
      for (const d of job.destinations) {
        if (signal.aborted) break;
        destinations.push(await this.backupTo(job, d, signal, pause));
      }
    }
    let outcome: JobOutcome = error ? (signal.aborted ? 'cancelled' : 'failed') : 'ok';
    for (const d of destinations) outcome = worst(outcome, d.outcome);
    if (!error && destinations.length > 0 && destinations.every((d) => d.outcome === 'failed'))
      error = destinations.map((d) => `${d.destinationId}: ${d.error}`).join('; ');

    // After-hooks always run (they may undo what a before-hook did), told how it went.
    this.phase(job, 'after-hooks');
    const afterEnv = {
      ...env,
      STRATA_OUTCOME: outcome,
      STRATA_SNAPSHOTS: destinations
        .filter((d) => d.snapshotId)
        .map((d) => `${d.destinationId}:${d.snapshotId}`)
        .join(' '),
    };
    for (const hook of job.hooks.after) {
      const r = await runHook(hook, afterEnv);
      this.log(job.id, r.ok ? 'info' : 'warning', r.message);
      if (!r.ok) outcome = worst(outcome, 'warning');
    }
    const result: JobRunResult = {
      jobId: job.id,
      trigger,
      outcome,
      started,
      finished: new Date().toISOString(),
      error,
      destinations,
    };
    this.phase(job, 'done');
    bus.emit({ type: 'run-finished', result });
    bus.emit({ type: 'status-changed', jobId: job.id });
    return result;
  }

  private async backupTo(
    job: Job,
    d: Destination,
    signal: AbortSignal,
    pause: Pause,
  ): Promise<DestinationResult> {
    const { catalog, bus } = this.deps;
    const runId = catalog.startRun({ jobId: job.id, destinationId: d.id, kind: 'backup' });
    const lines: { level: 'info' | 'warning' | 'error'; time: string; text: string }[] = [];
    const note = (level: 'info' | 'warning' | 'error', text: string) => {
      lines.push({ level, time: new Date().toISOString(), text });
      this.log(job.id, level, `${d.id}: ${text}`);
    };
    const empty = { warnings: 0, filesNew: 0, filesChanged: 0, bytesAdded: 0, bytesStored: 0 };
    try {
      this.phase(job, 'opening', d.id);
      const repo = await openDestination(d, this.deps.passwords);
      const r = await backup(repo, {
        paths: job.sources,
        excludes: job.excludes,
        workers: this.deps.workers,
        signal,
        pause,
        progressEveryMs: 500,
        onProgress: (p) =>
          bus.emit({
            type: 'progress',
            progress: {
              jobId: job.id,
              destinationId: d.id,
              phase: p.phase === 'finishing' ? 'finishing' : 'backing-up',
              filesDone: p.filesDone,
              filesTotal: p.filesTotal,
              bytesDone: p.bytesDone,
              bytesTotal: p.bytesTotal,
              throughput: p.throughput,
              etaMs: p.etaMs,
              currentFile: p.currentFile,
              paused: pause.paused,
            },
          }),
        onWarning: (w) => note('warning', `${w.path}: ${w.message}`),
      });
      const s = r.summary;
      const outcome: JobOutcome = r.warnings.length > 0 ? 'warning' : 'ok';
      note('info', `snapshot ${r.snapshotId?.slice(0, 8)} saved`);
      catalog.appendLog(runId, lines);
      catalog.finishRun(runId, {
        outcome,
        snapshotId: r.snapshotId,
        warnings: r.warnings.length,
        counts: {
          filesNew: s.filesNew,
          filesChanged: s.filesChanged,
          filesUnchanged: s.filesUnchanged,
          dirsNew: s.dirsNew,
          filesChangedDuringBackup: s.filesChangedDuringBackup,
        },
        bytes: {
          total: s.totalBytes,
          read: s.bytesRead,
          added: s.bytesAdded,
          stored: s.bytesStored,
        },
      });
      await catalog.syncSnapshots(d.id, repo).catch((err: unknown) => {
        this.log(job.id, 'warning', `${d.id}: the catalog could not be updated: ${messageOf(err)}`);
      });
      return {
        destinationId: d.id,
        outcome,
        snapshotId: r.snapshotId,
        warnings: r.warnings.length,
        filesNew: s.filesNew,
        filesChanged: s.filesChanged,
        bytesAdded: s.bytesAdded,
        bytesStored: s.bytesStored,
      };
    } catch (err) {
      const cancelled = signal.aborted && isStrataError(err, 'INTERRUPTED');
      const message = cancelled ? 'cancelled; what was stored is kept' : messageOf(err);
      note(cancelled ? 'warning' : 'error', message);
      catalog.appendLog(runId, lines);
      catalog.finishRun(runId, { outcome: cancelled ? 'cancelled' : 'failed', error: message });
      return {
        destinationId: d.id,
        outcome: cancelled ? 'cancelled' : 'failed',
        error: message,
        ...empty,
      };
    }
  }
}
