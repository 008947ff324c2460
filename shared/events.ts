/**
 * What the application core tells its hosts (the Electron main process, which forwards to the
 * renderer and the tray, and the headless daemon, which logs): plain data, safe to send over IPC.
 */

/** The phases of a job run, in order. */
export type RunPhase =
  | 'before-hooks'
  | 'opening'
  | 'backing-up'
  | 'finishing'
  | 'after-hooks'
  | 'forget-prune'
  | 'verify'
  | 'done';

export type RunTrigger = 'schedule' | 'manual';

/** How a job run (or one destination of it) ended. */
export type JobOutcome = 'ok' | 'warning' | 'failed' | 'cancelled';

export interface RunProgress {
  readonly jobId: string;
  readonly destinationId?: string;
  readonly phase: RunPhase;
  readonly filesDone: number;
  readonly filesTotal?: number;
  readonly bytesDone: number;
  readonly bytesTotal?: number;
  /** Bytes per second over the last seconds. */
  readonly throughput: number;
  readonly etaMs?: number;
  readonly currentFile?: string;
  readonly paused: boolean;
}

export interface DestinationResult {
  readonly destinationId: string;
  readonly outcome: JobOutcome;
  readonly snapshotId?: string;
  readonly error?: string;
  readonly warnings: number;
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly bytesAdded: number;
  readonly bytesStored: number;
}

export interface JobRunResult {
  readonly jobId: string;
  readonly trigger: RunTrigger;
  readonly outcome: JobOutcome;
  readonly started: string;
  readonly finished: string;
  /** Why the run failed as a whole (a before-hook, every destination), for people. */
  readonly error?: string;
  readonly destinations: readonly DestinationResult[];
}

export type StrataEvent =
  | { readonly type: 'run-started'; readonly jobId: string; readonly trigger: RunTrigger }
  | { readonly type: 'progress'; readonly progress: RunProgress }
  | { readonly type: 'run-finished'; readonly result: JobRunResult }
  | {
      readonly type: 'log';
      readonly jobId: string;
      readonly level: 'info' | 'warning' | 'error';
      readonly text: string;
    }
  | { readonly type: 'jobs-changed' }
  | { readonly type: 'status-changed'; readonly jobId: string };
