/**
 * Editing a job in the wizard: the job as a draft, and the draft back as the job for
 * jobs.update. Its id and destinations stay as they are. What the wizard cannot show (a custom
 * retention, more than one hook) is kept unless the user changes it.
 */
import type { Job, JobInput, Schedule } from '../../../../shared/jobs';
import { toJob, toRetention } from './job-draft';
import { toSchedule } from './schedule';
import { INITIAL_DRAFT, type Draft } from './wizard-store';

type WhenFields = 'frequency' | 'at' | 'days' | 'customMinutes' | 'customKind' | 'cron';

function frequencyOf(s: Schedule): Pick<Draft, WhenFields> {
  const base = {
    at: INITIAL_DRAFT.at,
    days: INITIAL_DRAFT.days,
    customKind: INITIAL_DRAFT.customKind,
    cron: INITIAL_DRAFT.cron,
  };
  const custom = INITIAL_DRAFT.customMinutes;
  switch (s.kind) {
    case 'interval':
      return s.minutes === 60
        ? { ...base, frequency: 'hourly', customMinutes: custom }
        : { ...base, frequency: 'custom', customMinutes: s.minutes };
    case 'daily':
      return { ...base, frequency: 'daily', at: s.at, customMinutes: custom };
    case 'weekly':
      return { ...base, frequency: 'weekly', at: s.at, days: [...s.days], customMinutes: custom };
    case 'cron':
      return {
        ...base,
        frequency: 'custom',
        customKind: 'cron',
        cron: s.expression,
        customMinutes: custom,
      };
    case 'manual':
      return { ...base, frequency: 'manual', customMinutes: custom };
  }
}

/** A stored job as the wizard's draft, on the first step it shows (editing skips two). */
export function fromJob(job: Job): Draft {
  return {
    ...INITIAL_DRAFT,
    name: job.name,
    sources: [...job.sources],
    excludeText: job.excludes.join('\n'),
    destinationPath: job.destinations[0]?.path ?? '',
    destinationLabel: job.destinations[0]?.label ?? '',
    ...frequencyOf(job.schedule),
    rpoHours: job.rpoHours,
    retention:
      job.retention.kind === 'preset'
        ? job.retention.preset
        : job.retention.kind === 'keep-all'
          ? 'keep-all'
          : INITIAL_DRAFT.retention,
    beforeHook: job.hooks.before[0]?.command ?? '',
    afterHook: job.hooks.after[0]?.command ?? '',
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The edited draft as jobs.update's job: what the user left alone stays byte for byte. */
export function toEditedJob(original: Job, d: Draft): JobInput {
  const start = fromJob(original);
  const made = toJob(d, []);
  const keepIfUntouched = <T>(now: T, then: T, old: T): T => (same(now, then) ? old : now);
  return {
    ...original,
    name: made.name,
    sources: made.sources,
    excludes: made.excludes,
    schedule: keepIfUntouched(made.schedule, toSchedule(start), original.schedule),
    retention: keepIfUntouched(made.retention, toRetention(start.retention), original.retention),
    hooks: {
      before: d.beforeHook === start.beforeHook ? original.hooks.before : made.hooks!.before!,
      after: d.afterHook === start.afterHook ? original.hooks.after : made.hooks!.after!,
    },
    rpoHours: made.rpoHours,
  };
}
