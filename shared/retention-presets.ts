/**
 * Named retention presets, defined once for the CLI (`forget --preset`) and the setup wizard,
 * and a plain-words description of any policy for the UI.
 *
 * Counts are restic's: "24 hourly" keeps the newest snapshot of each of the last 24 hours that
 * HAVE a snapshot, so the span a preset covers depends on how often backups run. The labels
 * assume hourly backups on a machine that is on most days.
 */
import { StrataError } from './errors';
import type { RetentionPolicy } from './retention';
import { parseDuration } from './retention-time';

export interface RetentionPreset {
  readonly id: string;
  readonly label: string;
  /** One line for people. */
  readonly description: string;
  readonly policy: RetentionPolicy;
}

export const RETENTION_PRESETS: readonly RetentionPreset[] = [
  {
    id: 'time-machine',
    label: 'Time Machine-like',
    description:
      'Hourly backups for the past day, daily ones for the past month, weekly ones after that.',
    // Weekly is unlimited as in Time Machine, which keeps weeklies until the disk is full.
    policy: { keepHourly: 24, keepDaily: 30, keepWeekly: -1 },
  },
  {
    id: 'keep-many',
    label: 'Keep many',
    description:
      'The last 10, hourly for 2 days, daily for 2 months, weekly for a year, monthly for 3 years, then one a year.',
    policy: {
      keepLast: 10,
      keepHourly: 48,
      keepDaily: 60,
      keepWeekly: 52,
      keepMonthly: 36,
      keepYearly: -1,
    },
  },
  {
    id: 'keep-some',
    label: 'Keep some',
    description: 'The last 3, daily for a week, weekly for a month, monthly for a year.',
    policy: { keepLast: 3, keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
  },
];

/** The preset with this id; INVALID_ARGUMENT listing the ids otherwise. */
export function findPreset(id: string): RetentionPreset {
  const preset = RETENTION_PRESETS.find((p) => p.id === id);
  if (!preset) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `there is no retention preset "${id}": choose ${RETENTION_PRESETS.map((p) => p.id).join(', ')}`,
    );
  }
  return preset;
}

const PERIODS = [
  ['keepHourly', 'hour', 'hours'],
  ['keepDaily', 'day', 'days'],
  ['keepWeekly', 'week', 'weeks'],
  ['keepMonthly', 'month', 'months'],
  ['keepYearly', 'year', 'years'],
] as const;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function andList(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/**
 * A policy in plain words, e.g. "Keeps the last 3 snapshots; the newest snapshot of each of
 * the last 7 days that have one; ... Pinned snapshots are always kept."
 */
export function describePolicy(policy: RetentionPolicy): string {
  const rules: string[] = [];
  const last = policy.keepLast ?? 0;
  if (last === -1) rules.push('every snapshot');
  else if (last > 0) rules.push(last === 1 ? 'the last snapshot' : `the last ${last} snapshots`);
  for (const [field, one, many] of PERIODS) {
    const n = policy[field] ?? 0;
    if (n === -1) rules.push(`the newest snapshot of every ${one}`);
    else if (n > 0) {
      rules.push(
        n === 1
          ? `the newest snapshot of the last ${one} that has one`
          : `the newest snapshot of each of the last ${n} ${many} that have one`,
      );
    }
  }
  if (policy.keepWithin) {
    const d = parseDuration(policy.keepWithin);
    const span = andList(
      [
        d.years ? plural(d.years, 'year', 'years') : '',
        d.months ? plural(d.months, 'month', 'months') : '',
        d.days ? plural(d.days, 'day', 'days') : '',
        d.hours ? plural(d.hours, 'hour', 'hours') : '',
      ].filter((s) => s !== ''),
    );
    if (span) rules.push(`every snapshot from the ${span} before the newest one`);
  }
  for (const entry of policy.keepTags ?? []) {
    const tags = entry.split(',').filter((t) => t.trim() !== '');
    if (tags.length === 1) rules.push(`every snapshot tagged "${tags[0]}"`);
    else if (tags.length > 1)
      rules.push(`every snapshot tagged ${andList(tags.map((t) => `"${t}"`))}`);
  }
  if (rules.length === 0) return 'Keeps every snapshot: the policy sets no rules.';
  return `Keeps ${rules.join('; ')}. Pinned snapshots are always kept.`;
}
