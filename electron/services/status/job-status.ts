/**
 * A job's status, derived from its history: running / failing / overdue / warning / ok / never,
 * per destination and overall, with the last good backup, the RPO deadline and the last proven
 * restore.
 *
 * Precedence, highest first: running > failing > overdue > warning > ok > never. A job shows the
 * highest state any of its destinations has (running belongs to the job). Failing ranks above
 * overdue although overdue is the measure of risk, because a failing job is usually overdue as
 * well and the failure is the part the user can act on; the `overdue` flag stays set, and the
 * summary says how old the newest backup is, so nothing is hidden. A failed test restore counts
 * as failing: a backup that cannot be restored is the worst news there is.
 */
import type { Job } from '../../../shared/jobs';
import { destinationName } from '../scheduler/conditions';
import { summarize } from './summary';
import type {
  DestinationHistory,
  DestinationState,
  DestinationStatus,
  JobState,
  JobStatus,
  TrayState,
} from './types';

const HOUR = 3_600_000;

/** Highest first. */
export const STATE_PRECEDENCE: readonly JobState[] = [
  'running',
  'failing',
  'overdue',
  'warning',
  'ok',
  'never',
];

export interface StatusInput {
  readonly now: number;
  /** The user's zone, for "next at 14:00". */
  readonly timeZone: string;
  readonly job: Job;
  /** History by destination id; a destination missing here has never run. */
  readonly perDestination: Readonly<Record<string, DestinationHistory>>;
  readonly running: boolean;
  /** The scheduler's next time for the job, for the summary. */
  readonly nextAt?: number;
}

const newest = (xs: readonly (number | undefined)[]) => {
  const ys = xs.filter((x): x is number => x !== undefined);
  return ys.length === 0 ? undefined : Math.max(...ys);
};

/** The highest-precedence state of a list (never, for an empty list). */
export function highestState<S extends JobState>(states: readonly S[]): S | 'never' {
  for (const s of STATE_PRECEDENCE) if (states.includes(s as S)) return s as S;
  return 'never';
}

/** One destination's status; `rpoMs` is the job's RPO in milliseconds. */
export function destinationStatus(
  destinationId: string,
  h: DestinationHistory,
  now: number,
  rpoMs: number,
): DestinationStatus {
  const run = h.lastRun;
  const runWasGood = run && (run.outcome === 'success' || run.outcome === 'warning');
  const lastGoodBackup =
    h.lastGoodSnapshotTime ?? (runWasGood ? (run.finished ?? run.started) : undefined);
  const rpoDeadline = lastGoodBackup === undefined ? undefined : lastGoodBackup + rpoMs;
  const overdue = rpoDeadline !== undefined && now > rpoDeadline;
  let state: DestinationState;
  if (run?.outcome === 'failure' || h.lastVerify?.ok === false) state = 'failing';
  else if (lastGoodBackup === undefined) state = 'never';
  else if (overdue) state = 'overdue';
  else if (run?.outcome === 'warning') state = 'warning';
  else state = 'ok';
  const lastProvenRestore = newest([
    h.lastProvenRestore,
    h.lastVerify?.ok ? h.lastVerify.time : undefined,
  ]);
  return { destinationId, state, lastGoodBackup, rpoDeadline, lastProvenRestore, overdue };
}

function trayFor(state: JobState, paused: boolean): TrayState {
  switch (state) {
    case 'running':
      return 'running';
    case 'failing':
      return 'error';
    case 'overdue':
      return 'overdue';
    case 'warning':
      return 'warning';
    default:
      return paused ? 'paused' : 'idle';
  }
}

/** The status of a job from its destinations' histories. */
export function jobStatus(input: StatusInput): JobStatus {
  const { now, job } = input;
  const rpoMs = job.rpoHours * HOUR;
  const destinations = job.destinations.map((d) =>
    destinationStatus(d.id, input.perDestination[d.id] ?? {}, now, rpoMs),
  );
  const state: JobState = input.running
    ? 'running'
    : highestState(destinations.map((d) => d.state));
  const deadlines = destinations.map((d) => d.rpoDeadline).filter((x) => x !== undefined);
  const status = {
    jobId: job.id,
    state,
    overdue: destinations.some((d) => d.overdue),
    paused: job.paused,
    destinations,
    lastGoodBackup: newest(destinations.map((d) => d.lastGoodBackup)),
    rpoDeadline: deadlines.length === 0 ? undefined : Math.min(...deadlines),
    lastProvenRestore: newest(destinations.map((d) => d.lastProvenRestore)),
    tray: trayFor(state, job.paused),
  };
  const names = new Map(job.destinations.map((d) => [d.id, destinationName(d)]));
  return { ...status, summary: summarize({ ...input, status, names }) };
}
