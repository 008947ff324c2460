/**
 * What the tray shows, as plain data: the menu template and the tooltip, pure functions of the
 * app state and `now`. No Electron here, so tests can read every state's menu and text; tray.ts
 * turns the template into Electron menu items and the actions into calls.
 *
 * The tooltip names the job behind the icon's state (error and overdue outrank running: the
 * icon is computed that way in services/status/tray.ts and the text follows the icon).
 */
import type { AppState, Channel, JobView } from '../../shared/contract';
import type { RunProgress } from '../../shared/events';
import { assertNever } from '../../shared/errors';
import { formatAgo, formatWhen } from '../services/scheduler/words';

const HOUR = 3_600_000;

/** What a menu item does: a contract call, a pause of a length counted from the click, or the app. */
export type TrayAction =
  | { readonly channel: Channel; readonly args: Readonly<Record<string, unknown>> }
  | { readonly pauseForMs: number }
  | 'open'
  | 'quit';

export type TrayMenuItem =
  | { readonly type: 'separator' }
  | {
      readonly type: 'item';
      readonly label: string;
      readonly enabled: boolean;
      readonly action?: TrayAction;
      readonly submenu?: readonly TrayMenuItem[];
    };

const SEPARATOR: TrayMenuItem = { type: 'separator' };

function item(label: string, action?: TrayAction, enabled = true): TrayMenuItem {
  return { type: 'item', label, enabled, ...(action !== undefined ? { action } : {}) };
}

/** A line that only informs (greyed out). */
const note = (label: string): TrayMenuItem => item(label, undefined, false);

/** "Documents", "Documents and Photos", "Documents and 2 others". */
function names(jobs: readonly JobView[]): string {
  const [first, second] = jobs;
  if (!first) return '';
  if (jobs.length === 1) return first.job.name;
  if (jobs.length === 2) return `${first.job.name} and ${second!.job.name}`;
  return `${first.job.name} and ${jobs.length - 1} others`;
}

/** The run's progress in percent, when the run knows its total; bytes first, files second. */
export function progressPercent(view: JobView): number | undefined {
  const p = view.progress;
  if (!p) return undefined;
  const ratio =
    p.bytesTotal !== undefined && p.bytesTotal > 0
      ? p.bytesDone / p.bytesTotal
      : p.filesTotal !== undefined && p.filesTotal > 0
        ? p.filesDone / p.filesTotal
        : undefined;
  return ratio === undefined ? undefined : Math.min(100, Math.max(0, Math.floor(ratio * 100)));
}

function runningText(jobs: readonly JobView[]): string {
  const running = jobs.filter((j) => j.status.state === 'running');
  const first = running[0];
  if (!first) return 'Backing up';
  const pct = running.length === 1 ? progressPercent(first) : undefined;
  const held = running.length === 1 && first.runPaused ? ' (on hold)' : '';
  return `Backing up ${names(running)}${pct === undefined ? '' : ` — ${pct}%`}${held}`;
}

/** "Paused until 15:00", "Paused until tomorrow at 02:00", "Paused until resumed". */
export function pausedText(state: AppState, now: number, timeZone: string): string {
  if (!state.pauseAll.paused) return 'All backup jobs are paused';
  const until = state.pauseAll.until;
  if (until === undefined) return 'Backups paused until resumed';
  const when = formatWhen(Date.parse(until), now, timeZone).replace(/^at /, '');
  return `Backups paused until ${when}`;
}

function idleText(state: AppState, now: number): string {
  if (state.jobs.length === 0) return 'No backups set up yet';
  const times = state.jobs
    .map((j) => j.status.lastGoodBackup)
    .filter((t): t is number => t !== undefined);
  if (times.length === 0) return 'Not backed up yet';
  return `Last backup ${formatAgo(Math.max(...times), now)}`;
}

/** The one status line: the tooltip after "Strata — ", and the menu's first line. */
export function trayStatusText(state: AppState, now: number, timeZone: string): string {
  const withTray = (t: string) => state.jobs.filter((j) => j.status.tray === t);
  switch (state.tray) {
    case 'error':
      return `${names(withTray('error'))}: backup failing`;
    case 'overdue':
      return `${names(withTray('overdue'))}: backup overdue`;
    case 'warning':
      return `${names(withTray('warning'))}: last backup had warnings`;
    case 'running':
      return runningText(state.jobs);
    case 'paused':
      return pausedText(state, now, timeZone);
    case 'idle':
      return idleText(state, now);
    default:
      return assertNever(state.tray);
  }
}

/**
 * `state` with a newer progress of a running job: progress events come many times a second and
 * a full state.get for each would be waste, so the tooltip's percentage is patched in.
 */
export function withProgress(state: AppState, progress: RunProgress): AppState {
  if (!state.jobs.some((j) => j.job.id === progress.jobId && j.status.state === 'running'))
    return state;
  return {
    ...state,
    jobs: state.jobs.map((j) => (j.job.id === progress.jobId ? { ...j, progress } : j)),
  };
}

/** The tray icon's tooltip: "Strata — Backing up Documents — 42%". */
export function trayTooltip(state: AppState, now: number, timeZone: string): string {
  return `Strata — ${trayStatusText(state, now, timeZone)}`;
}

/**
 * The tray menu: open, the status line, "back up now" per job (disabled while that job runs),
 * pause all (for an hour or until resumed) or resume, quit.
 */
export function trayMenu(state: AppState, now: number, timeZone: string): TrayMenuItem[] {
  const jobs: TrayMenuItem[] =
    state.jobs.length === 0
      ? [note('No backups set up yet')]
      : state.jobs.map((j) =>
          item(
            `Back up “${j.job.name}” now`,
            { channel: 'jobs.runNow', args: { jobId: j.job.id } },
            j.status.state !== 'running',
          ),
        );
  const pause: TrayMenuItem[] = state.pauseAll.paused
    ? [
        note(pausedText(state, now, timeZone)),
        item('Resume backups', { channel: 'jobs.resumeAll', args: {} }),
      ]
    : [
        {
          type: 'item',
          label: 'Pause backups',
          enabled: state.jobs.length > 0,
          submenu: [
            item('For 1 hour', { pauseForMs: HOUR }),
            item('Until resumed', { channel: 'jobs.pauseAll', args: {} }),
          ],
        },
      ];
  return [
    item('Open Strata', 'open'),
    note(trayStatusText(state, now, timeZone)),
    SEPARATOR,
    ...jobs,
    SEPARATOR,
    ...pause,
    SEPARATOR,
    item('Quit Strata', 'quit'),
  ];
}
