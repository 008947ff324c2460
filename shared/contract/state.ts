/**
 * The full state the renderer loads on start and after any reload, then keeps current from
 * pushed events (no polling). Plain data; times are ISO strings or epoch milliseconds as named.
 */
import { z } from 'zod';
import type { RunProgress } from '../events';
import type { Job } from '../jobs';

/** A job's state, highest precedence first: running > failing > overdue > warning > ok > never. */
export type JobState = 'running' | 'failing' | 'overdue' | 'warning' | 'ok' | 'never';
/** The tray icon's states. */
export type TrayState = 'idle' | 'running' | 'paused' | 'warning' | 'error' | 'overdue';

/** The shape of electron/services/status DestinationStatus (times in epoch ms). */
export interface DestinationStatusView {
  readonly destinationId: string;
  readonly state: Exclude<JobState, 'running'>;
  readonly lastGoodBackup?: number;
  readonly rpoDeadline?: number;
  readonly lastProvenRestore?: number;
  readonly overdue: boolean;
}

/** The shape of electron/services/status JobStatus (times in epoch ms). */
export interface JobStatusView {
  readonly jobId: string;
  readonly state: JobState;
  readonly overdue: boolean;
  readonly paused: boolean;
  readonly destinations: readonly DestinationStatusView[];
  readonly lastGoodBackup?: number;
  readonly rpoDeadline?: number;
  readonly lastProvenRestore?: number;
  /** One sentence: "Last backup 3 hours ago; next at 14:00". */
  readonly summary: string;
  readonly tray: TrayState;
}

/** What a destination's repository holds and takes, as of its last sync. */
export interface DestinationUsage {
  readonly destinationId: string;
  readonly snapshots: number;
  /** File bytes the newest snapshot covers (what one full restore brings back). */
  readonly newestBytes: number;
  /** File bytes of all its snapshots added up: what keeping each as a plain copy would take. */
  readonly allBytes: number;
  /** What the repository takes on the destination, as listed at the last sync. */
  readonly storedBytes: number | null;
  /** When storedBytes was measured (ISO time). */
  readonly measured: string | null;
}

/** One job as the dashboard shows it. */
export interface JobView {
  readonly job: Job;
  readonly status: JobStatusView;
  /** The scheduler's next run (epoch ms), when it knows one. */
  readonly nextRunAt?: number;
  /** The running backup's latest progress, while one runs. */
  readonly progress?: RunProgress;
  /** True while a running backup is paused. */
  readonly runPaused: boolean;
  /**
   * Destinations whose password Strata does not know (not in the keychain, a password file or
   * this session's memory): the card asks for it (jobs.setPassword) before a run can open them.
   */
  readonly passwordNeeded: readonly string[];
  /** Per destination, as of its last sync; missing for one never synced. */
  readonly usage: readonly DestinationUsage[];
}

export const NOTIFICATION_LEVELS = ['all', 'problems', 'none'] as const;
export const THEMES = ['system', 'light', 'dark'] as const;

export const SettingsSchema = z.strictObject({
  startAtLogin: z.boolean(),
  /** all: also successes; problems: failures, warnings, overdue, drives; none: silent. */
  notifications: z.enum(NOTIFICATION_LEVELS),
  theme: z.enum(THEMES),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  startAtLogin: false,
  notifications: 'problems',
  theme: 'system',
};

/** "Pause all": scheduled backups wait, running ones hold, until `until` or a resume. */
export interface PauseAllState {
  readonly paused: boolean;
  /** ISO time it ends by itself; absent means until resumed. */
  readonly until?: string;
}

export interface KeychainState {
  readonly available: boolean;
  /** Why not, in words, when unavailable. */
  readonly reason?: string;
}

export interface AppState {
  readonly jobs: readonly JobView[];
  /** The one tray state over all jobs (pause-all shows as paused). */
  readonly tray: TrayState;
  readonly pauseAll: PauseAllState;
  readonly settings: Settings;
  readonly keychain: KeychainState;
  /** Restores still running, by id. */
  readonly restores: readonly string[];
  /** process.platform of main, for labels ("Finder" / "Explorer"). */
  readonly platform: string;
  readonly version: string;
}
