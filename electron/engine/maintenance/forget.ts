/**
 * Forget: deciding which snapshot files to remove (by policy or by id) and removing them.
 *
 * Only snapshot files go; the data they referenced stays until prune. Pins are read before
 * anything is decided and an unreadable pin stops everything (pinsForForget), so a snapshot is
 * never removed because its pin could not be read.
 */
import { StrataError, isStrataError } from '../../../shared/errors';
import {
  applyPolicy,
  groupSnapshots,
  type GroupBy,
  type GroupItem,
  type GroupKey,
  type PolicyDecision,
  type PolicyItem,
  type RetentionPolicy,
} from '../../../shared/retention';
import { pinsForForget } from '../repository/pins';
import type { LoadProblem, Repository } from '../repository/repository';
import type { SnapshotRecord } from '../repository/snapshot';
import {
  listSnapshots,
  matchesFilter,
  resolveSnapshot,
  type SnapshotFilter,
} from '../repository/snapshots';

/** A snapshot as policy and grouping see it, with its record. */
export interface ForgetCandidate extends PolicyItem, GroupItem {
  readonly record: SnapshotRecord;
}

export interface ForgetGroup {
  readonly key: GroupKey;
  /** Every snapshot of the group, newest first. */
  readonly decisions: readonly PolicyDecision<ForgetCandidate>[];
}

export interface PolicyForgetOptions {
  readonly policy: RetentionPolicy;
  readonly groupBy?: readonly GroupBy[];
  /** Only snapshots matching this are considered (the rest are neither kept nor removed). */
  readonly filter?: SnapshotFilter;
  readonly timeZone?: string;
  readonly now?: number;
}

/** What a policy decides: the groups with every verdict, and the snapshots to remove. */
export interface ForgetPlan {
  readonly groups: readonly ForgetGroup[];
  readonly remove: readonly SnapshotRecord[];
  /** Snapshot files that could not be read: they are left alone. */
  readonly problems: readonly LoadProblem[];
}

function candidate(record: SnapshotRecord, pinned: ReadonlySet<string>): ForgetCandidate {
  const s = record.snapshot;
  return {
    id: record.id,
    time: s.time,
    host: s.host,
    paths: s.paths,
    tags: s.tags,
    pinned: pinned.has(record.id),
    record,
  };
}

/** Applies a policy to already loaded snapshots (pure: no repository access). */
export function planPolicy(
  records: readonly SnapshotRecord[],
  pinned: ReadonlySet<string>,
  options: PolicyForgetOptions,
): Omit<ForgetPlan, 'problems'> {
  const considered = records
    .filter((r) => matchesFilter(r.snapshot, options.filter ?? {}))
    .map((r) => candidate(r, pinned));
  const groups = groupSnapshots(considered, options.groupBy).map((g) => ({
    key: g.key,
    decisions: applyPolicy(g.items, options.policy, {
      timeZone: options.timeZone,
      now: options.now,
    }),
  }));
  const remove = groups.flatMap((g) =>
    g.decisions.filter((d) => !d.keep && !d.item.pinned).map((d) => d.item.record),
  );
  return { groups, remove };
}

/** Loads snapshots and pins and applies the policy; nothing is removed. */
export async function planPolicyForget(
  repo: Repository,
  options: PolicyForgetOptions,
): Promise<ForgetPlan & { pinned: ReadonlySet<string> }> {
  const { snapshots, problems } = await listSnapshots(repo);
  const pinned = await pinsForForget(repo);
  return { ...planPolicy(snapshots, pinned, options), problems, pinned };
}

/**
 * Resolves ids (prefixes or `latest`) to forget; refuses, naming them, when any is pinned.
 */
export async function planExplicitForget(
  repo: Repository,
  refs: readonly string[],
  filter: SnapshotFilter = {},
): Promise<{ remove: SnapshotRecord[]; problems: LoadProblem[] }> {
  const { snapshots, problems } = await listSnapshots(repo);
  const pinned = await pinsForForget(repo);
  const remove = new Map<string, SnapshotRecord>();
  for (const ref of refs) {
    const record = resolveSnapshot(snapshots, ref, filter);
    remove.set(record.id, record);
  }
  const refused = [...remove.keys()].filter((id) => pinned.has(id));
  if (refused.length > 0) {
    const ids = refused.map((id) => id.slice(0, 8)).join(', ');
    throw new StrataError(
      'INVALID_ARGUMENT',
      `${refused.length === 1 ? 'snapshot' : 'snapshots'} ${ids} ${refused.length === 1 ? 'is' : 'are'} pinned: ` +
        `unpin first ("strata unpin ID") to forget ${refused.length === 1 ? 'it' : 'them'}. Nothing was forgotten.`,
    );
  }
  return { remove: [...remove.values()], problems };
}

/**
 * Removes snapshot files one by one, calling `onRemoved` after each; a file already gone
 * (removed by someone else meanwhile) counts as removed. Returns the ids removed.
 */
export async function removeSnapshots(
  repo: Repository,
  ids: readonly string[],
  onRemoved: (id: string) => void = () => {},
): Promise<string[]> {
  const removed: string[] = [];
  for (const id of ids) {
    try {
      await repo.backend.remove({ kind: 'snapshots', name: id });
    } catch (err) {
      if (!isStrataError(err, 'NOT_FOUND')) {
        if (removed.length === 0) throw err;
        const message = err instanceof Error ? err.message : String(err);
        throw new StrataError(
          isStrataError(err) ? err.code : 'IO_ERROR',
          `${message} (after ${removed.length} of ${ids.length} snapshots were removed)`,
          { cause: err },
        );
      }
    }
    removed.push(id);
    onRemoved(id);
  }
  return removed;
}
