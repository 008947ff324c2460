/**
 * What the scheduler is handed and what it answers. Plain data only: the runner keeps the run
 * state (from the catalog), asks the host for conditions, and persists nothing of ours.
 * Times are milliseconds since the epoch.
 */
import type { BackoffPolicy } from './backoff';

/** How a run ended. `interrupted`: the app quit or the machine shut down while it ran. */
export type RunOutcome = 'success' | 'warning' | 'failure' | 'cancelled' | 'interrupted';

/** What the runner knows about one job's runs. */
export interface JobRunState {
  readonly lastStarted?: number;
  readonly lastFinished?: number;
  readonly lastOutcome?: RunOutcome;
  /** A run of this job is in progress (scheduled or manual). */
  readonly running: boolean;
  /** Failures since the last run that was not a failure; 0 when the last run was fine. */
  readonly consecutiveFailures: number;
  /**
   * When the job was created. A job that never ran waits for its first scheduled time after
   * this; without it, a job that never ran is due at once (the first backup should not wait).
   */
  readonly createdAt?: number;
  /** When the newest snapshot that succeeded (with or without warnings) was made. */
  readonly lastGoodBackup?: number;
  /** When forget-and-prune last finished well. */
  readonly lastPrune?: number;
  /** When a test restore (verify) last finished, whatever it found. */
  readonly lastVerify?: number;
}

/** What the host (main process or daemon) knows about the machine right now. */
export interface HostConditions {
  readonly onBattery: boolean;
  readonly meteredNetwork: boolean;
  /**
   * False when the machine has no network connection: destinations that use the network are
   * left out (and a run with none left waits) instead of failing and backing off. Undefined
   * means assumed online (a host that cannot tell).
   */
  readonly online?: boolean;
  /** Whether each local destination's folder is reachable; a destination not listed is assumed present. */
  readonly destinationsPresent: Readonly<Record<string, boolean>>;
  /**
   * Local destinations the host knows are network mounts (a NAS share), which a metered network
   * should spare. Non-local destination types always use the network.
   */
  readonly networkDestinations?: Readonly<Record<string, boolean>>;
}

/** Knobs with defaults; the app's settings may change them. */
export interface SchedulerPolicy {
  /** Run scheduled backups on battery power (default false: wait for the charger). */
  readonly runOnBattery: boolean;
  /** Use a metered network for destinations that need the network (default false). */
  readonly runOnMetered: boolean;
  readonly backoff: BackoffPolicy;
  /** A run starting this much (minutes) after its scheduled time is a catch-up (default 10). */
  readonly lateAfterMinutes: number;
}

/** Why a job is or is not due now. */
export type PlanReasonCode =
  | 'scheduled'
  | 'catch-up'
  | 'first-run'
  | 'retry'
  | 'resume'
  | 'running'
  | 'paused'
  | 'manual'
  | 'waiting'
  | 'backing-off'
  | 'destination-absent'
  | 'on-battery'
  | 'offline'
  | 'metered-network';

export interface PlanReason {
  readonly code: PlanReasonCode;
  /** One sentence for people: "Postponed: plug in Backup drive", "Next run at 14:00". */
  readonly message: string;
}

/** Why one destination is left out of a run that is owed. */
export interface SkippedDestination {
  readonly destinationId: string;
  readonly reason: 'destination-absent' | 'offline' | 'metered-network';
  /** The destination's label, or its path: what to plug in. */
  readonly name: string;
}

export interface MaintenancePlan {
  readonly due: boolean;
  /** When it became (or will become) due; undefined when turned off or not applicable. */
  readonly dueAt?: number;
  readonly reason: string;
}

/** The scheduler's answer for one job. */
export interface JobPlan {
  readonly jobId: string;
  /** Start a backup now. */
  readonly due: boolean;
  /**
   * The time a run is owed for: the scheduled time (the first missed one when catching up), the
   * retry time, or when it became owed. Set when due, and when owed but postponed.
   */
  readonly dueAt?: number;
  /** When the job will next be due if nothing changes; undefined when that depends on the host. */
  readonly nextAt?: number;
  readonly reason: PlanReason;
  /** The owed run covers one or more times missed while the machine was off or asleep. */
  readonly catchUp: boolean;
  /** When due: the destinations to back up to now (present, and allowed on this network). */
  readonly destinationIds: readonly string[];
  /** Destinations an owed run leaves out, and why; the run happens if any remain. */
  readonly skipped: readonly SkippedDestination[];
  readonly prune: MaintenancePlan;
  readonly verify: MaintenancePlan;
}
