/**
 * Where there is no tray (GNOME without an AppIndicator extension), notifications carry the
 * state the icon would show. Pure decisions here; main feeds them the app state after each
 * change and sends what they answer through the Notifier.
 *
 * Rules: a notice when the overall state moves into error, overdue, warning or paused (or the
 * pause changes), and one "healthy again" when it moves from any of those back to idle or
 * running; nothing for idle <-> running, which would be a notification per backup. The start
 * of the app counts as coming from idle, so a problem or a pause that outlived a restart is
 * told once. A problem notice is dropped when the jobs behind it have just had their own
 * notification (services/notify's "backup failed", "overdue", "with warnings"): one popup per
 * event is enough.
 */
import type { AppState, TrayState } from '../../shared/contract';
import type { Notification, NotificationKind } from '../services/notify/notifier';
import { trayStatusText } from './tray-menu';

/** The overall state as far as no-tray notices are concerned. */
export interface OverallState {
  readonly tray: TrayState;
  /** The status line (as the tooltip says it). */
  readonly text: string;
  /** The jobs behind an error, overdue or warning state. */
  readonly jobIds: readonly string[];
  /** For paused: when it ends; undefined until resumed (or when each job is paused). */
  readonly pausedUntil?: string;
}

/** The overall state of `state`, seen at `now`. */
export function overallOf(state: AppState, now: number, timeZone: string): OverallState {
  const jobIds =
    state.tray === 'error' || state.tray === 'overdue' || state.tray === 'warning'
      ? state.jobs.filter((j) => j.status.tray === state.tray).map((j) => j.job.id)
      : [];
  return {
    tray: state.tray,
    text: trayStatusText(state, now, timeZone),
    jobIds,
    ...(state.tray === 'paused' && state.pauseAll.until !== undefined
      ? { pausedUntil: state.pauseAll.until }
      : {}),
  };
}

const HEALTHY: readonly TrayState[] = ['idle', 'running'];
const healthy = (t: TrayState) => HEALTHY.includes(t);

/** Marks a notice as the no-tray state (the jobId of one not about a single job). */
export const ALL_JOBS = '*';

/** The notification for the move from `prev` (undefined at start) to `next`, if one is due. */
export function trayFallbackNotice(
  prev: OverallState | undefined,
  next: OverallState,
): Notification | undefined {
  const before = prev ?? { tray: 'idle', text: '', jobIds: [] };
  if (healthy(next.tray)) {
    if (healthy(before.tray)) return undefined;
    return notice('low', ALL_JOBS, 'Strata: backups are healthy again', `${next.text}.`);
  }
  const sameJobs = before.jobIds.join('\n') === next.jobIds.join('\n');
  if (before.tray === next.tray && sameJobs && before.pausedUntil === next.pausedUntil)
    return undefined;
  const job = next.jobIds.length === 1 ? next.jobIds[0]! : ALL_JOBS;
  switch (next.tray) {
    case 'error':
      return notice(
        'critical',
        job,
        'Strata: a backup is failing',
        `${next.text}. Open Strata to see why.`,
      );
    case 'overdue':
      return notice(
        'critical',
        job,
        'Strata: a backup is overdue',
        `${next.text}. Changes since the last backup are not protected.`,
      );
    case 'warning':
      return notice('normal', job, 'Strata: backed up with warnings', `${next.text}.`);
    default: {
      // paused: the only other state that is not healthy.
      const wait = next.pausedUntil === undefined ? 'until you resume them' : 'until then';
      return notice(
        'normal',
        ALL_JOBS,
        'Strata: backups are paused',
        `${next.text}. Scheduled backups wait ${wait}.`,
      );
    }
  }
}

function notice(
  urgency: Notification['urgency'],
  jobId: string,
  title: string,
  body: string,
): Notification {
  return { kind: 'state', jobId, urgency, title, body };
}

/** A notification the services sent, as remembered by main. */
export interface SentNotification {
  readonly kind: NotificationKind;
  readonly jobId: string;
  readonly at: number;
}

/** Which services notification already tells each problem state. */
const TOLD_BY: Partial<Record<TrayState, readonly NotificationKind[]>> = {
  error: ['failure'],
  overdue: ['overdue', 'drive-needed'],
  warning: ['warning'],
};

/**
 * True when every job behind a problem state had its own notification of that kind within
 * `windowMs` before `now`: the no-tray notice would repeat it.
 */
export function alreadyTold(
  next: OverallState,
  sent: readonly SentNotification[],
  now: number,
  windowMs = 10 * 60_000,
): boolean {
  const kinds = TOLD_BY[next.tray];
  if (!kinds || next.jobIds.length === 0) return false;
  return next.jobIds.every((id) =>
    sent.some(
      (s) => s.jobId === id && kinds.includes(s.kind) && now - s.at <= windowMs && s.at <= now,
    ),
  );
}
