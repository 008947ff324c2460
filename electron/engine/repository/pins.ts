/**
 * Pins: snapshots that forget must keep whatever the policy says.
 *
 * A pin is a sealed file of kind 'pins' whose plaintext names one snapshot. The plaintext is
 * the same every time a snapshot is pinned, so its keyed name is too: pinning twice finds the
 * file already there, and unpinning removes it by that name without reading anything.
 *
 * A pin that cannot be read might be protecting anything, so it is reported as a problem and
 * forget refuses to run until it is dealt with (see pinsForForget).
 */
import { StrataError, isStrataError } from '../../../shared/errors';
import { keyedId } from '../crypto/master-key';
import type { LoadProblem, Repository } from './repository';

export const PIN_VERSION = 1;

interface PinFile {
  readonly version: number;
  readonly snapshot: string;
}

/** The exact plaintext for a snapshot's pin (key order fixed: the name depends on it). */
function pinPlaintext(snapshotId: string): Buffer {
  const pin: PinFile = { version: PIN_VERSION, snapshot: snapshotId };
  return Buffer.from(JSON.stringify(pin));
}

/** The name of a snapshot's pin file. */
export function pinName(repo: Repository, snapshotId: string): string {
  return keyedId(repo.key, pinPlaintext(snapshotId));
}

/** Pins a snapshot (a full id); false when it was pinned already. */
export async function pin(repo: Repository, snapshotId: string): Promise<boolean> {
  const name = pinName(repo, snapshotId);
  const there = await repo.backend.stat({ kind: 'pins', name }).then(
    () => true,
    (err: unknown) => {
      if (isStrataError(err, 'NOT_FOUND')) return false;
      throw err;
    },
  );
  if (there) return false;
  await repo.saveFile('pins', pinPlaintext(snapshotId));
  return true;
}

/** Unpins a snapshot (a full id); false when it was not pinned. */
export async function unpin(repo: Repository, snapshotId: string): Promise<boolean> {
  try {
    await repo.backend.remove({ kind: 'pins', name: pinName(repo, snapshotId) });
    return true;
  } catch (err) {
    if (isStrataError(err, 'NOT_FOUND')) return false;
    throw err;
  }
}

function parsePin(bytes: Buffer, name: string): string {
  let value: PinFile;
  try {
    value = JSON.parse(bytes.toString()) as PinFile;
  } catch {
    throw new Error(`pin file ${name}: not JSON`);
  }
  if (!value || typeof value.version !== 'number' || typeof value.snapshot !== 'string') {
    throw new Error(`pin file ${name}: malformed`);
  }
  if (value.version > PIN_VERSION) {
    throw new Error(`pin file ${name}: written by a newer Strata (pin version ${value.version})`);
  }
  if (!/^[0-9a-f]{64}$/.test(value.snapshot)) {
    throw new Error(`pin file ${name}: names no snapshot`);
  }
  return value.snapshot;
}

/** The ids of pinned snapshots; unreadable pin files are returned as problems, not thrown. */
export async function listPins(
  repo: Repository,
): Promise<{ pinned: Set<string>; problems: LoadProblem[] }> {
  const pinned = new Set<string>();
  const problems: LoadProblem[] = [];
  for (const { name } of await repo.backend.list('pins')) {
    try {
      pinned.add(parsePin(await repo.loadFile('pins', name), name));
    } catch (err) {
      // A pin removed since the listing (unpin elsewhere) is simply gone.
      if (isStrataError(err, 'NOT_FOUND')) continue;
      if (isStrataError(err) && err.code !== 'REPO_CORRUPT') throw err;
      problems.push({ kind: 'pin', name, message: (err as Error).message });
    }
  }
  return { pinned, problems };
}

/**
 * The pins, for a command about to remove snapshots: any unreadable pin stops it, because the
 * snapshot it protects cannot be known.
 */
export async function pinsForForget(repo: Repository): Promise<Set<string>> {
  const { pinned, problems } = await listPins(repo);
  if (problems.length > 0) {
    const names = problems.map((p) => `pins/${p.name} (${p.message})`).join('; ');
    throw new StrataError(
      'REPO_CORRUPT',
      `cannot read ${problems.length === 1 ? 'a pin file' : `${problems.length} pin files`}: ${names}. ` +
        'Nothing was forgotten: a damaged pin may protect any snapshot. Run "strata check"; ' +
        'once you know which snapshots must stay, pin them again and delete the damaged file.',
    );
  }
  return pinned;
}
