/**
 * AppState values for the shell's pure tests (tray menu, tooltip, no-tray notices), built with
 * the real status functions (jobStatus, trayState) from a few named histories, so a view is one
 * the services could really answer.
 */
import type { AppState, JobView, PauseAllState } from '../../../shared/contract';
import { DEFAULT_SETTINGS } from '../../../shared/contract';
import type { RunProgress } from '../../../shared/events';
import {
  jobStatus,
  trayState,
  trayWithPauseAll,
  type DestinationHistory,
} from '../../../electron/services/status';
import { makeJob } from '../../services/scheduler/job-fixture';

export const NOW = Date.parse('2026-06-03T11:00:00Z');
export const HOUR = 3_600_000;
const ago = (hours: number) => NOW - hours * HOUR;

export type Kind = 'ok' | 'never' | 'running' | 'failing' | 'overdue' | 'warning';

const HISTORY: Record<Kind, DestinationHistory | undefined> = {
  ok: {
    lastRun: { started: ago(3), finished: ago(3), outcome: 'success' },
    lastGoodSnapshotTime: ago(3),
  },
  never: undefined,
  running: {
    lastRun: { started: ago(5), finished: ago(5), outcome: 'success' },
    lastGoodSnapshotTime: ago(5),
  },
  failing: {
    lastRun: { started: ago(1), finished: ago(1), outcome: 'failure', message: 'disk full' },
    lastGoodSnapshotTime: ago(6),
  },
  overdue: {
    lastRun: { started: ago(50), finished: ago(50), outcome: 'success' },
    lastGoodSnapshotTime: ago(50),
  },
  warning: {
    lastRun: { started: ago(2), finished: ago(2), outcome: 'warning' },
    lastGoodSnapshotTime: ago(2),
  },
};

export interface ViewOptions {
  readonly paused?: boolean;
  readonly progress?: Partial<RunProgress>;
  readonly runPaused?: boolean;
}

/** A job named `name` (id: its lower-case name) whose history gives `kind`. */
export function view(name: string, kind: Kind, o: ViewOptions = {}): JobView {
  const id = name.toLowerCase();
  const job = makeJob({ id, name, paused: o.paused ?? false });
  const h = HISTORY[kind];
  const status = jobStatus({
    now: NOW,
    timeZone: 'UTC',
    job,
    perDestination: h ? { usb: h } : {},
    running: kind === 'running',
  });
  const progress: RunProgress | undefined = o.progress
    ? {
        jobId: id,
        phase: 'backing-up',
        filesDone: 0,
        bytesDone: 0,
        throughput: 0,
        paused: false,
        ...o.progress,
      }
    : undefined;
  return {
    job,
    status,
    ...(progress ? { progress } : {}),
    runPaused: o.runPaused ?? false,
    passwordNeeded: [],
    usage: [],
  };
}

/** The app state over `jobs`, with the tray computed as state.get does (pause-all included). */
export function appState(
  jobs: readonly JobView[],
  pauseAll: PauseAllState = { paused: false },
): AppState {
  const shown = trayWithPauseAll(trayState(jobs.map((j) => j.status)), pauseAll.paused);
  return {
    jobs,
    tray: shown,
    pauseAll,
    settings: DEFAULT_SETTINGS,
    keychain: { available: true },
    restores: [],
    platform: 'linux',
    version: '0.1.0',
  };
}
