/**
 * The `--keep-*`, `--preset`, `--group-by` and `--time-zone` options of `strata forget`,
 * read into a RetentionPolicy and its settings.
 */
import { StrataError } from '../../shared/errors';
import {
  COUNT_RULES,
  DEFAULT_GROUP_BY,
  checkTimeZone,
  findPreset,
  parseDuration,
  parseGroupBy,
  systemTimeZone,
  validatePolicy,
  type GroupBy,
  type RetentionPolicy,
} from '../../shared/retention';
import { list, str, type Options, type Parsed } from './context';

export const RETENTION_OPTIONS: Options = {
  ...Object.fromEntries(COUNT_RULES.map((r) => [r.option, { type: 'string' } as const])),
  'keep-within': { type: 'string' },
  'keep-tag': { type: 'string', multiple: true },
  preset: { type: 'string' },
  'group-by': { type: 'string', short: 'g' },
  'time-zone': { type: 'string' },
};

/** A count option: a whole number, or -1 / "unlimited" for no limit. */
function count(option: string, text: string): number {
  if (text === 'unlimited') return -1;
  const n = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < -1) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--${option} takes a whole number, or "unlimited" (got "${text}")`,
    );
  }
  return n;
}

/**
 * The policy the options give: a preset's, with any --keep-* option replacing the preset's
 * value for that rule (and --keep-tag adding to its tags).
 */
export function policyFrom(p: Parsed): RetentionPolicy {
  const presetId = str(p, 'preset');
  const base: RetentionPolicy = presetId === undefined ? {} : findPreset(presetId).policy;
  const policy: Record<string, unknown> = { ...base };
  for (const rule of COUNT_RULES) {
    const text = str(p, rule.option);
    if (text !== undefined) policy[rule.field] = count(rule.option, text);
  }
  const within = str(p, 'keep-within');
  if (within !== undefined) {
    try {
      parseDuration(within);
    } catch (err) {
      throw new StrataError('INVALID_ARGUMENT', `--keep-within: ${(err as Error).message}`);
    }
    policy.keepWithin = within;
  }
  const tags = list(p, 'keep-tag');
  if (tags.length > 0) policy.keepTags = [...(base.keepTags ?? []), ...tags];
  const result = policy as RetentionPolicy;
  validatePolicy(result);
  return result;
}

export function groupByFrom(p: Parsed): readonly GroupBy[] {
  const text = str(p, 'group-by');
  return text === undefined ? DEFAULT_GROUP_BY : parseGroupBy(text);
}

export function timeZoneFrom(p: Parsed): string {
  const zone = str(p, 'time-zone') ?? systemTimeZone();
  checkTimeZone(zone);
  return zone;
}
