/**
 * The "when" step's choices as the job's schedule, and the RPO each implies: the newest backup
 * may be one interval old plus slack for a run that is late or slow, so the alert comes when a
 * backup was really missed, not when one is a minute behind.
 */
import type { Schedule } from '../../../../shared/jobs';
import type { Draft, Frequency } from './wizard-store';

export const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];

/** The draft's "when" choice as the job's schedule. */
export function toSchedule(d: Draft): Schedule {
  switch (d.frequency) {
    case 'hourly':
      return { kind: 'interval', minutes: 60 };
    case 'daily':
      return { kind: 'daily', at: d.at };
    case 'weekly':
      return { kind: 'weekly', days: [...d.days].sort(), at: d.at };
    case 'custom':
      return d.customKind === 'cron'
        ? { kind: 'cron', expression: d.cron.trim().split(/\s+/).join(' ') }
        : { kind: 'interval', minutes: d.customMinutes };
    case 'manual':
      return { kind: 'manual' };
  }
}

/**
 * The RPO (hours) a frequency implies by default: one interval plus slack. A cron expression's
 * RPO comes from its longest gap (cron-preview.ts); `customMinutes` is the custom interval's.
 */
export function impliedRpoHours(frequency: Frequency, customMinutes: number): number {
  switch (frequency) {
    case 'hourly':
      return 3;
    case 'daily':
      return 26;
    case 'weekly':
      return 24 * 7 + 2;
    case 'custom':
      return Math.max(1, Math.ceil((customMinutes * 2) / 60));
    case 'manual':
      return 24 * 7;
  }
}

/** One sentence: how much work could be lost, and when Strata warns. */
export function describeRpo(frequency: Frequency, rpoHours: number): string {
  const lose: Record<Frequency, string> = {
    hourly: 'about an hour of work',
    daily: 'about a day of work',
    weekly: 'about a week of work',
    custom: 'up to one interval of work',
    manual: 'everything since you last pressed “Back up now”',
  };
  const warn =
    rpoHours === 1
      ? '1 hour'
      : rpoHours < 48
        ? `${rpoHours} hours`
        : `${Math.round(rpoHours / 24)} days`;
  return `If this disk failed, you could lose ${lose[frequency]}. Strata warns you when the newest backup is older than ${warn} — also when the computer was off or the drive unplugged.`;
}

/** The schedule as the CLI's --schedule words (for the review's equivalent command). */
export function scheduleWords(s: Schedule): string {
  switch (s.kind) {
    case 'manual':
      return 'manual';
    case 'interval':
      return s.minutes === 60
        ? 'hourly'
        : s.minutes % 60 === 0
          ? `every ${s.minutes / 60}h`
          : `every ${s.minutes}m`;
    case 'daily':
      return `daily ${s.at}`;
    case 'weekly':
      return `weekly ${s.days.map((d) => DAY_NAMES[d]!.slice(0, 3).toLowerCase()).join(',')} ${s.at}`;
    case 'cron':
      return `cron "${s.expression}"`;
  }
}
