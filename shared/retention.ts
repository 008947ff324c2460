/**
 * Retention ("forget") policies: which snapshots of one group to keep, and why.
 *
 * The rules are restic's (internal/restic/snapshot_policy.go, restic 0.18), so scripts and
 * habits carry over:
 * - snapshots are taken newest first; each count rule (last, hourly, daily, weekly, monthly,
 *   yearly) keeps the newest snapshot of each bucket it has not seen yet and counts down until
 *   its count is used; -1 never runs out. The oldest snapshot of the group is kept as well while
 *   a rule still has count left ("oldest daily snapshot"), so a short history is not cut.
 * - every rule sees every snapshot: one kept by a tag, by keep-within or by a pin still uses up
 *   a bucket and a count when it is the newest of its bucket.
 * - keep-within counts back from the newest snapshot that is not in the future (not from now),
 *   with calendar months and years; a snapshot is kept when strictly newer than that point.
 * - keep-tag keeps snapshots that carry a tag; an entry "a,b" needs both tags (restic's tag
 *   lists), separate entries are alternatives.
 * - an empty policy keeps everything ("policy is empty"): it never means "remove all".
 *
 * Where Strata differs: buckets use the wall clock of one named time zone (restic uses the UTC
 * offset stored in each snapshot), and pinned snapshots are always kept (reason "pinned"); for
 * the count rules a pinned snapshot is like one kept by keep-tag.
 */
import { StrataError } from './errors';
import {
  checkTimeZone,
  formatCalendarDuration,
  isZeroDuration,
  isoWeek,
  localParts,
  parseDuration,
  subtractDuration,
  systemTimeZone,
  type LocalParts,
} from './retention-time';

export {
  checkTimeZone,
  formatCalendarDuration,
  formatInZone,
  parseDuration,
  systemTimeZone,
  type CalendarDuration,
} from './retention-time';
export { groupSnapshots, parseGroupBy, describeGroup, DEFAULT_GROUP_BY } from './retention-groups';
export type { GroupBy, GroupItem, GroupKey, SnapshotGroup } from './retention-groups';
export { RETENTION_PRESETS, describePolicy, findPreset } from './retention-presets';
export type { RetentionPreset } from './retention-presets';

/** A count meaning "no limit". */
export const UNLIMITED = -1;

/** What to keep. Counts are whole numbers, -1 for unlimited; 0 or absent turns a rule off. */
export interface RetentionPolicy {
  readonly keepLast?: number;
  readonly keepHourly?: number;
  readonly keepDaily?: number;
  readonly keepWeekly?: number;
  readonly keepMonthly?: number;
  readonly keepYearly?: number;
  /** Keep everything newer than this before the newest snapshot: `1y2m3d4h` (see parseDuration). */
  readonly keepWithin?: string;
  /** Keep snapshots with any of these tags; "a,b" needs both. */
  readonly keepTags?: readonly string[];
}

type Bucket = 'always' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** The count rules in restic's order (the order reasons are listed in). */
export const COUNT_RULES: readonly {
  readonly field: CountField;
  readonly option: string;
  readonly bucket: Bucket;
  readonly reason: string;
}[] = [
  { field: 'keepLast', option: 'keep-last', bucket: 'always', reason: 'last snapshot' },
  { field: 'keepHourly', option: 'keep-hourly', bucket: 'hour', reason: 'hourly snapshot' },
  { field: 'keepDaily', option: 'keep-daily', bucket: 'day', reason: 'daily snapshot' },
  { field: 'keepWeekly', option: 'keep-weekly', bucket: 'week', reason: 'weekly snapshot' },
  { field: 'keepMonthly', option: 'keep-monthly', bucket: 'month', reason: 'monthly snapshot' },
  { field: 'keepYearly', option: 'keep-yearly', bucket: 'year', reason: 'yearly snapshot' },
];

export type CountField =
  'keepLast' | 'keepHourly' | 'keepDaily' | 'keepWeekly' | 'keepMonthly' | 'keepYearly';

/** One snapshot as the policy sees it. */
export interface PolicyItem {
  readonly id: string;
  /** ISO 8601 time. */
  readonly time: string;
  readonly tags: readonly string[];
  readonly pinned?: boolean;
}

/** The verdict on one snapshot: kept when at least one reason applies. */
export interface PolicyDecision<T extends PolicyItem = PolicyItem> {
  readonly item: T;
  readonly keep: boolean;
  /** Why it is kept, e.g. "pinned", "tag important", "within 2d", "daily snapshot". */
  readonly reasons: readonly string[];
}

export interface ApplyOptions {
  /** IANA zone whose wall clock defines hours, days, weeks, months, years; default the system's. */
  readonly timeZone?: string;
  /** Snapshots after this instant are not "the newest" for keep-within; default the clock. */
  readonly now?: number;
}

/** Throws INVALID_ARGUMENT naming the first thing wrong with a policy. */
export function validatePolicy(policy: RetentionPolicy): void {
  for (const rule of COUNT_RULES) {
    const n = policy[rule.field];
    if (n !== undefined && !(Number.isSafeInteger(n) && n >= UNLIMITED)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `${rule.option} must be a whole number, or -1 for unlimited (got ${n})`,
      );
    }
  }
  if (policy.keepWithin !== undefined) parseDuration(policy.keepWithin);
  for (const entry of policy.keepTags ?? []) {
    if (tagList(entry).length === 0) {
      throw new StrataError('INVALID_ARGUMENT', `a keep-tag entry needs a tag (got "${entry}")`);
    }
  }
}

/** True when no rule is set: applying the policy keeps everything. */
export function isEmptyPolicy(policy: RetentionPolicy): boolean {
  if (COUNT_RULES.some((r) => (policy[r.field] ?? 0) !== 0)) return false;
  if (policy.keepWithin !== undefined && !isZeroDuration(parseDuration(policy.keepWithin))) {
    return false;
  }
  return (policy.keepTags ?? []).length === 0;
}

function tagList(entry: string): string[] {
  return entry
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function bucketOf(bucket: Bucket, p: LocalParts, nr: number): number {
  switch (bucket) {
    case 'always':
      return nr;
    case 'hour':
      return ((p.year * 100 + p.month) * 100 + p.day) * 100 + p.hour;
    case 'day':
      return (p.year * 100 + p.month) * 100 + p.day;
    case 'week': {
      const w = isoWeek(p.year, p.month, p.day);
      return w.year * 100 + w.week;
    }
    case 'month':
      return p.year * 100 + p.month;
    case 'year':
      return p.year;
  }
}

function timeOf(item: PolicyItem): number {
  const ms = Date.parse(item.time);
  if (Number.isNaN(ms)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `snapshot ${item.id}: cannot read its time "${item.time}"`,
    );
  }
  return ms;
}

/**
 * Applies a policy to ONE group of snapshots (see groupSnapshots); returns every snapshot,
 * newest first, with its verdict and the reasons it is kept.
 */
export function applyPolicy<T extends PolicyItem>(
  items: readonly T[],
  policy: RetentionPolicy,
  options: ApplyOptions = {},
): PolicyDecision<T>[] {
  validatePolicy(policy);
  const timeZone = options.timeZone ?? systemTimeZone();
  checkTimeZone(timeZone);
  // Newest first; equal times in id order, so the verdict does not depend on listing order.
  const sorted = items
    .map((item) => ({ item, ms: timeOf(item) }))
    .sort((a, b) => b.ms - a.ms || (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0));
  const pinReason = (item: T): string[] => (item.pinned ? ['pinned'] : []);

  if (isEmptyPolicy(policy)) {
    return sorted.map(({ item }) => ({
      item,
      keep: true,
      reasons: [...pinReason(item), 'policy is empty'],
    }));
  }

  const within = policy.keepWithin ? parseDuration(policy.keepWithin) : undefined;
  const withinLabel =
    within && !isZeroDuration(within) ? `within ${formatCalendarDuration(within)}` : '';
  // restic ignores snapshots from the future when finding the newest; with none left, its
  // reference is the zero time and every snapshot is "within".
  const now = options.now ?? Date.now();
  const reference = sorted.find((s) => s.ms <= now)?.ms;
  const cutoff =
    withinLabel && within && reference !== undefined
      ? subtractDuration(reference, within, timeZone)
      : -Infinity;
  const tagLists = (policy.keepTags ?? []).map(tagList);
  const buckets = COUNT_RULES.filter((r) => (policy[r.field] ?? 0) !== 0).map((rule) => ({
    rule,
    left: policy[rule.field] ?? 0,
    last: undefined as number | undefined,
  }));

  return sorted.map(({ item, ms }, nr) => {
    const reasons = pinReason(item);
    for (const tags of tagLists) {
      if (tags.every((t) => item.tags.includes(t))) {
        reasons.push(`${tags.length > 1 ? 'tags' : 'tag'} ${tags.join(',')}`);
      }
    }
    if (withinLabel && ms > cutoff) reasons.push(withinLabel);
    const oldest = nr === sorted.length - 1;
    const parts = localParts(ms, timeZone);
    for (const b of buckets) {
      if (b.left === 0) continue;
      const key = bucketOf(b.rule.bucket, parts, nr);
      if (key === b.last && !oldest) continue;
      reasons.push(key === b.last ? `oldest ${b.rule.reason}` : b.rule.reason);
      b.last = key;
      if (b.left > 0) b.left--;
    }
    return { item, keep: reasons.length > 0, reasons };
  });
}
