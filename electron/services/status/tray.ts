/**
 * The one tray icon for all jobs. Trouble outranks activity: an error or an overdue job shows
 * even while another job runs, because a tray that turns to "running" every few minutes would
 * hide exactly what the user must notice. Paused shows only when every job is paused.
 */
import type { JobStatus, TrayState } from './types';

const ORDER: readonly TrayState[] = ['error', 'overdue', 'running', 'warning'];

export function trayState(jobs: readonly Pick<JobStatus, 'tray' | 'paused'>[]): TrayState {
  for (const s of ORDER) if (jobs.some((j) => j.tray === s)) return s;
  return jobs.length > 0 && jobs.every((j) => j.paused) ? 'paused' : 'idle';
}

/**
 * The tray under "pause all": paused, unless something needs the user (an error or an overdue
 * job still shows, because pausing does not make a stale backup any less stale).
 */
export function trayWithPauseAll(tray: TrayState, pausedAll: boolean): TrayState {
  if (pausedAll && (tray === 'idle' || tray === 'running' || tray === 'warning')) return 'paused';
  return tray;
}
