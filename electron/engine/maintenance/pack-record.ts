/**
 * The local record of data checks: per pack id, when it was last read and found good, and which
 * packs were last found damaged. Kept in the repository's local state folder (local-state.ts) as
 * `packs.json`; only pack ids (the names the packs are stored under) and times, no names.
 *
 * Two checks running at once may each overwrite the other's additions: the packs lost are only
 * read again sooner, which is harmless.
 */
import type { PackHistory } from './pack-selection';
import { readStateFile, writeStateFile } from './local-state';

const FILE = 'packs.json';
const VERSION = 1;

export interface PackRecord extends PackHistory {
  readonly verified: Map<string, number>;
  readonly damaged: Set<string>;
}

/** Loads the record; a missing file is an empty record, a damaged one too (with a warning). */
export async function loadPackRecord(
  dir: string,
): Promise<{ record: PackRecord; warning?: string }> {
  const record: PackRecord = { verified: new Map(), damaged: new Set() };
  const { value, warning } = await readStateFile(dir, FILE);
  if (value === undefined) return { record, warning };
  const v = value as { version?: unknown; verified?: unknown; damaged?: unknown };
  const ok =
    typeof v === 'object' &&
    v !== null &&
    v.version === VERSION &&
    typeof v.verified === 'object' &&
    v.verified !== null &&
    Array.isArray(v.damaged);
  if (!ok) return { record, warning: `${dir}/${FILE} is not a pack record; starting over` };
  for (const [pack, when] of Object.entries(v.verified as Record<string, unknown>))
    if (typeof when === 'number' && Number.isFinite(when)) record.verified.set(pack, when);
  for (const pack of v.damaged as unknown[]) if (typeof pack === 'string') record.damaged.add(pack);
  return { record };
}

/** Saves the record, keeping only packs in `current` (packs removed since are forgotten). */
export async function savePackRecord(
  dir: string,
  record: PackHistory,
  current: ReadonlySet<string>,
): Promise<void> {
  const verified: Record<string, number> = {};
  for (const [pack, when] of record.verified) if (current.has(pack)) verified[pack] = when;
  const damaged = [...record.damaged].filter((p) => current.has(p)).sort();
  await writeStateFile(dir, FILE, { version: VERSION, verified, damaged });
}

/** Counts for the report: packs never found good, and the oldest time one was. */
export function coverage(
  record: PackHistory,
  packs: Iterable<string>,
): { neverVerified: number; oldestVerified?: number } {
  let neverVerified = 0;
  let oldest: number | undefined;
  for (const p of packs) {
    const when = record.verified.get(p);
    if (when === undefined) neverVerified++;
    else if (oldest === undefined || when < oldest) oldest = when;
  }
  return { neverVerified, oldestVerified: oldest };
}
