/**
 * The full application state from main (state.get), kept current by pushed events.
 *
 * Main computes job status (RPO, overdue, next run); the renderer does not guess it. So after an
 * event that changes status we fetch state.get again (coalesced: one request in flight, one
 * queued), and only progress, which arrives many times a second, is patched in place.
 */
import type { StateCreator } from 'zustand';
import type { AppEvent, AppState, JobView } from '../../../shared/contract';
import type { JobRunResult } from '../../../shared/events';
import { api, toShownError, type ShownError } from '../api';
import type { StoreState } from './store';

export interface LogEntry {
  readonly level: 'info' | 'warning' | 'error';
  readonly text: string;
}

export interface AppSlice {
  readonly app: AppState | null;
  readonly loadError: ShownError | null;
  /** The last finished run of each job seen since the window opened (for its error text). */
  readonly lastResults: Readonly<Record<string, JobRunResult>>;
  /** Live log lines of each job's current or last run (newest last, at most 200). */
  readonly liveLogs: Readonly<Record<string, readonly LogEntry[]>>;
  /** Bumped for each finished run, so open run histories know to reload. */
  readonly runsVersion: number;
  load(): Promise<void>;
  applyEvent(event: AppEvent): void;
}

const MAX_LOG = 200;

export const createAppSlice: StateCreator<StoreState, [], [], AppSlice> = (set, get) => {
  let inFlight: Promise<void> | null = null;
  let again = false;

  const fetchState = async (): Promise<void> => {
    try {
      const app = await api().state.get();
      set({ app, loadError: null });
    } catch (err) {
      set({ loadError: toShownError(err) });
    }
  };

  const load = (): Promise<void> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      do {
        again = false;
        await fetchState();
      } while (again);
      inFlight = null;
    })();
    return inFlight;
  };

  const patchJob = (jobId: string, patch: (job: JobView) => JobView): void => {
    const app = get().app;
    if (!app) return;
    set({ app: { ...app, jobs: app.jobs.map((j) => (j.job.id === jobId ? patch(j) : j)) } });
  };

  const appendLog = (jobId: string, entry: LogEntry, reset = false): void => {
    const logs = reset ? [] : (get().liveLogs[jobId] ?? []);
    set({ liveLogs: { ...get().liveLogs, [jobId]: [...logs, entry].slice(-MAX_LOG) } });
  };

  return {
    app: null,
    loadError: null,
    lastResults: {},
    liveLogs: {},
    runsVersion: 0,
    load,
    applyEvent: (event) => {
      switch (event.type) {
        case 'progress':
          patchJob(event.progress.jobId, (j) => ({ ...j, progress: event.progress }));
          return;
        case 'run-started':
          appendLog(event.jobId, { level: 'info', text: 'Backup started' }, true);
          patchJob(event.jobId, (j) => ({ ...j, status: { ...j.status, state: 'running' } }));
          void load();
          return;
        case 'run-finished':
          set({
            lastResults: { ...get().lastResults, [event.result.jobId]: event.result },
            runsVersion: get().runsVersion + 1,
          });
          patchJob(event.result.jobId, (j) => ({ ...j, progress: undefined }));
          void load();
          return;
        case 'log':
          appendLog(event.jobId, { level: event.level, text: event.text });
          return;
        case 'jobs-changed':
        case 'status-changed':
        case 'state-changed':
          void load();
          return;
        case 'restore-progress':
        case 'restore-finished':
          get().applyRestoreEvent(event);
          return;
        default:
          assertNever(event);
      }
    },
  };
};

function assertNever(value: never): void {
  // A new event type from main is ignored rather than crashing the window.
  console.warn('unknown event', value);
}
