/**
 * Which packs a partial data check reads: a pure function of the packs, the subset asked for
 * and the local record of what was read before, so it can be tested without a repository.
 *
 * - `N%` reads ceil(N% of the packs): never-verified packs first, then the least recently
 *   verified, ties broken at random. Packs found good are recorded, so consecutive runs read
 *   disjoint sets until every pack has been read: ceil(100 / N) runs cover the repository.
 *   Packs found damaged before are read again every time, on top of that share, so a damaged
 *   pack keeps being reported (until it is repaired or removed) without slowing the rotation.
 * - `n/t` is a fixed partition that ignores the record: a pack belongs to part
 *   (first 32 bits of its id, read as hex) mod t, plus 1. Pack ids are SHA-256 hashes of their
 *   bytes, so the parts are even, and a pack never changes part; running 1/t to t/t reads every
 *   pack exactly once.
 */
import { StrataError } from '../../../shared/errors';

export type DataSubset =
  | { readonly kind: 'percent'; readonly percent: number }
  | { readonly kind: 'part'; readonly n: number; readonly t: number };

/** What the local record knows about packs (see pack-record.ts). */
export interface PackHistory {
  /** Pack id -> when it was last read and found good (ms since the epoch). */
  readonly verified: ReadonlyMap<string, number>;
  /** Packs the last read of which found damage. */
  readonly damaged: ReadonlySet<string>;
}

export interface PackSelection {
  readonly packs: readonly string[];
  readonly subset: DataSubset;
  readonly history: PackHistory;
  /** Packs not to read at all (for instance packs prune has marked for deletion). */
  readonly skip?: ReadonlySet<string>;
  /** Uniform in [0, 1); Math.random by default. */
  readonly random?: () => number;
}

/** Parses `N%` (0 < N <= 100, decimals allowed) or `n/t` (1 <= n <= t). */
export function parseSubset(spec: string): DataSubset {
  const text = spec.trim();
  const percent = /^(\d+(?:\.\d+)?|\.\d+)%$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 0 && value <= 100) return { kind: 'percent', percent: value };
  }
  const part = /^(\d+)\/(\d+)$/.exec(text);
  if (part) {
    const n = Number(part[1]);
    const t = Number(part[2]);
    if (n >= 1 && n <= t && Number.isSafeInteger(t)) return { kind: 'part', n, t };
  }
  throw new StrataError(
    'INVALID_ARGUMENT',
    `--read-data-subset: "${spec}" is neither N% (0 < N <= 100) nor n/t (1 <= n <= t)`,
  );
}

/** The part (1..t) of the partition into t parts that `pack` belongs to. */
export function partOf(pack: string, t: number): number {
  const head = Number.parseInt(pack.slice(0, 8), 16);
  // Pack ids are hex; anything else still lands in exactly one part.
  return (Number.isNaN(head) ? 0 : head % t) + 1;
}

/** How many packs `percent`% of `total` is, rounded up. */
export function shareOf(total: number, percent: number): number {
  // 7% of 100 is 7.000000000000001 in floating point: round that back before ceil.
  const exact = Math.round(((total * percent) / 100) * 1e9) / 1e9;
  return Math.min(total, Math.ceil(exact));
}

/** The packs to read, in the order to read them. */
export function selectPacks(input: PackSelection): string[] {
  const { subset, history } = input;
  const packs = input.skip ? input.packs.filter((p) => !input.skip!.has(p)) : [...input.packs];
  if (subset.kind === 'part') return packs.filter((p) => partOf(p, subset.t) === subset.n).sort();
  const random = input.random ?? Math.random;
  const suspects = packs.filter((p) => history.damaged.has(p)).sort();
  const keyed = packs
    .filter((p) => !history.damaged.has(p))
    .map((p) => ({ p, when: history.verified.get(p) ?? -Infinity, tie: random() }));
  keyed.sort((a, b) => (a.when === b.when ? a.tie - b.tie : a.when < b.when ? -1 : 1));
  const share = keyed.slice(0, shareOf(packs.length, subset.percent)).map((k) => k.p);
  return [...suspects, ...share];
}
