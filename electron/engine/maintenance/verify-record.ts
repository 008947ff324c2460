/**
 * The local record of the last test restore (`last-verify.json` in the repository's local state
 * folder), so the app and `strata verify --last` can say when the repository was last proven
 * restorable. Counts and reasons only: the names of the files are left out, since this folder
 * is not encrypted (local-state.ts).
 */
import { readStateFile, writeStateFile } from './local-state';

const FILE = 'last-verify.json';
const VERSION = 1;

/** Why a sampled file was not proven. */
export const VERIFY_REASONS = [
  'not-restored',
  'damaged',
  'unreadable',
  'differs',
  'error',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export interface LastVerify {
  readonly ok: boolean;
  readonly started: string;
  readonly finished: string;
  readonly snapshot: string;
  readonly snapshotTime: string;
  /** Files sampled, and how many of them (and how many bytes) were proven. */
  readonly files: number;
  readonly filesProven: number;
  readonly bytesProven: number;
  /** Files not proven (or 1 when the test restore could not run: reason "error"). */
  readonly problems: number;
  readonly reasons: Partial<Record<VerifyReason, number>>;
}

/** Counts a test restore's files into the record. */
export function summarise(outcome: {
  readonly ok: boolean;
  readonly started: string;
  readonly finished: string;
  readonly snapshot: string;
  readonly snapshotTime: string;
  readonly files: readonly { readonly ok: boolean; readonly reason?: VerifyReason }[];
  readonly filesProven: number;
  readonly bytesProven: number;
}): LastVerify {
  const reasons: Partial<Record<VerifyReason, number>> = {};
  for (const f of outcome.files)
    if (!f.ok && f.reason) reasons[f.reason] = (reasons[f.reason] ?? 0) + 1;
  return {
    ok: outcome.ok,
    started: outcome.started,
    finished: outcome.finished,
    snapshot: outcome.snapshot,
    snapshotTime: outcome.snapshotTime,
    files: outcome.files.length,
    filesProven: outcome.filesProven,
    bytesProven: outcome.bytesProven,
    problems: outcome.files.filter((f) => !f.ok).length,
    reasons,
  };
}

export async function saveLastVerify(dir: string, last: LastVerify): Promise<void> {
  await writeStateFile(dir, FILE, { version: VERSION, ...last });
}

/** The last recorded test restore, if any; a damaged record reads as none, with a warning. */
export async function loadLastVerify(
  dir: string,
): Promise<{ last?: LastVerify; warning?: string }> {
  const { value, warning } = await readStateFile(dir, FILE);
  if (value === undefined) return { warning };
  const v = value as Partial<LastVerify> & { version?: unknown };
  const ok =
    v.version === VERSION &&
    typeof v.ok === 'boolean' &&
    typeof v.finished === 'string' &&
    typeof v.snapshot === 'string' &&
    typeof v.files === 'number' &&
    typeof v.bytesProven === 'number';
  if (!ok) return { warning: `${dir}/${FILE} is not a test restore record; ignoring it` };
  const { version: _version, ...last } = v as LastVerify & { version: number };
  return { last };
}
