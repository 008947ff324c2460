/**
 * The notification at the end of a restore. Restores can take an hour and the user has usually
 * gone to another window: they hear how it ended, where the files went and what to look at,
 * at every notification level except "none" (they asked for this restore; it is not noise).
 */
import type { RestoreSummary } from '../../../shared/contract';
import type { Notification } from './notifier';

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** What to tell the user when a restore of `jobName` into `where` ends as `s` says. */
export function restoreNotice(
  jobId: string,
  jobName: string,
  where: string,
  s: RestoreSummary,
): Notification {
  if (s.outcome === 'failed') {
    return {
      kind: 'restore',
      jobId,
      urgency: 'critical',
      title: `${jobName}: the restore failed`,
      body: `${s.error?.message ?? 'It stopped before the end.'} Files restored so far are in ${where}; open Strata to try again.`,
    };
  }
  const parts = [`${count(s.files, 'file', 'files')} restored to ${where}.`];
  if (s.keptBoth.length > 0)
    parts.push(
      `${count(s.keptBoth.length, 'copy was', 'copies were')} put next to files already there.`,
    );
  if (s.skipped > 0) parts.push(`${count(s.skipped, 'file was', 'files were')} skipped.`);
  if (s.problems.length > 0)
    parts.push(
      `${count(s.problems.length, 'file', 'files')} could not be restored: open Strata for the list.`,
    );
  return {
    kind: 'restore',
    jobId,
    urgency: s.outcome === 'ok' ? 'low' : 'normal',
    title:
      s.outcome === 'ok'
        ? `${jobName}: restore finished`
        : `${jobName}: restore finished with problems`,
    body: parts.join(' '),
  };
}
