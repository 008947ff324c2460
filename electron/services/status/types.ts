/**
 * What a job's status is derived from, and what it says. Plain data; times are milliseconds
 * since the epoch. Nothing here is stored: the status is computed afresh from the run history
 * each time it is shown, so it can never be stale.
 */
import type { RunOutcome } from '../scheduler/types';

/** A job's state; the order of STATE_PRECEDENCE decides which one a job shows. */
export type JobState = 'running' | 'failing' | 'overdue' | 'warning' | 'ok' | 'never';
/** A destination's state: a destination is never "running" on its own. */
export type DestinationState = Exclude<JobState, 'running'>;
/** The tray icon's states (Duplicati's set, with overdue apart from error). */
export type TrayState = 'idle' | 'running' | 'paused' | 'warning' | 'error' | 'overdue';

export interface LastRun {
  readonly started: number;
  readonly finished?: number;
  readonly outcome: RunOutcome;
  /** What went wrong, in words, for a failure. */
  readonly message?: string;
  /** Failures in a row up to and including this run. */
  readonly consecutiveFailures?: number;
}

export interface LastVerify {
  readonly time: number;
  /** True when the sampled files were restored and read back intact. */
  readonly ok: boolean;
  readonly message?: string;
}

/** One destination's history, from the catalog. */
export interface DestinationHistory {
  readonly lastRun?: LastRun;
  /** The newest snapshot that completed (with or without warnings). */
  readonly lastGoodSnapshotTime?: number;
  readonly lastVerify?: LastVerify;
  /** The last verify that proved a restore, when the newest one did not. */
  readonly lastProvenRestore?: number;
}

export interface DestinationStatus {
  readonly destinationId: string;
  readonly state: DestinationState;
  readonly lastGoodBackup?: number;
  /** When this copy becomes older than the job's RPO. */
  readonly rpoDeadline?: number;
  readonly lastProvenRestore?: number;
  readonly overdue: boolean;
}

export interface JobStatus {
  readonly jobId: string;
  readonly state: JobState;
  /** Past its RPO, whatever state shows: a failing job can be overdue too. */
  readonly overdue: boolean;
  readonly paused: boolean;
  readonly destinations: readonly DestinationStatus[];
  /** The newest good backup in any destination: what "last backup" means to people. */
  readonly lastGoodBackup?: number;
  /** The earliest destination deadline: when the first copy goes stale. */
  readonly rpoDeadline?: number;
  readonly lastProvenRestore?: number;
  /** One sentence: "Last backup 3 hours ago; next at 14:00". */
  readonly summary: string;
  readonly tray: TrayState;
}
