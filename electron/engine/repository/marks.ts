/**
 * Prune marks: the packs a prune found unused and will delete on a later run, in `marks/`.
 *
 * Each marks file holds the whole state (no file is ever changed): a generation number and,
 * per marked pack, the generation and time it was marked. The file with the highest
 * generation is the state; older ones are removed after a newer one is stored, and a crash in
 * between leaves an older file that the generation order ignores.
 *
 * Generations are max(previous + 1, now in ms): they only grow, and a prune that cannot read a
 * damaged marks file still picks a generation above the one that file held (unless the clock
 * went back by more than the time since). Sessions record the generation they loaded; a pack
 * marked in generation m is hidden from every session that loaded m or later.
 */
import { isStrataError } from '../../../shared/errors';
import type { LoadProblem, Repository } from './repository';

export interface PackMark {
  readonly generation: number;
  readonly time: string;
}

export interface MarkState {
  /** The generation of the state loaded (0: no marks yet). */
  readonly generation: number;
  readonly packs: ReadonlyMap<string, PackMark>;
  /** The marks files read (the newest and any older ones left by a crash). */
  readonly files: readonly string[];
  /** Marks files that could not be read: the state may be incomplete. */
  readonly damaged: readonly LoadProblem[];
}

interface MarksFile {
  readonly version: 1;
  readonly generation: number;
  readonly created: string;
  readonly packs: readonly [string, number, string][];
}

function parse(bytes: Buffer, what: string): MarksFile {
  const f = JSON.parse(bytes.toString()) as MarksFile;
  if (!f || typeof f.generation !== 'number' || !Array.isArray(f.packs)) {
    throw new Error(`${what}: malformed`);
  }
  if (f.version > 1)
    throw new Error(`${what}: written by a newer Strata (marks version ${f.version})`);
  for (const p of f.packs) {
    if (!Array.isArray(p) || !/^[0-9a-f]{64}$/.test(String(p[0])) || typeof p[1] !== 'number')
      throw new Error(`${what}: malformed entry`);
  }
  return f;
}

export async function loadMarks(repo: Repository): Promise<MarkState> {
  const files: string[] = [];
  const damaged: LoadProblem[] = [];
  let newest: MarksFile | undefined;
  for (const { name } of await repo.backend.list('marks')) {
    try {
      const f = parse(await repo.loadFile('marks', name), `marks file ${name}`);
      files.push(name);
      if (!newest || f.generation > newest.generation) newest = f;
    } catch (err) {
      if (isStrataError(err, 'NOT_FOUND')) continue; // replaced by a newer one meanwhile
      if (isStrataError(err) && err.code !== 'REPO_CORRUPT') throw err;
      damaged.push({ kind: 'marks', name, message: (err as Error).message });
    }
  }
  const packs = new Map<string, PackMark>();
  for (const [id, generation, time] of newest?.packs ?? []) packs.set(id, { generation, time });
  return { generation: newest?.generation ?? 0, packs, files, damaged };
}

/** The next generation after `previous`. */
export function nextGeneration(previous: number): number {
  return Math.max(previous + 1, Date.now());
}

/**
 * Stores a new state, then removes the files it replaces. Returns the new file's name.
 * `replaces` should list every marks file the caller read, damaged ones too.
 */
export async function saveMarks(
  repo: Repository,
  generation: number,
  packs: ReadonlyMap<string, PackMark>,
  replaces: readonly string[],
): Promise<string> {
  const file: MarksFile = {
    version: 1,
    generation,
    created: new Date().toISOString(),
    packs: [...packs].map(([id, m]) => [id, m.generation, m.time]),
  };
  const name = await repo.saveFile('marks', Buffer.from(JSON.stringify(file)));
  for (const old of replaces) {
    if (old === name) continue;
    await repo.backend.remove({ kind: 'marks', name: old }).catch((err: unknown) => {
      if (!isStrataError(err, 'NOT_FOUND')) throw err;
    });
  }
  return name;
}

/**
 * Loads the index for reading (restore, browse, check): a blob is found in an unmarked pack
 * when one holds it, in a marked pack otherwise. Returns the index problems and the marks
 * generation the view is based on (null when a marks file could not be read).
 */
export async function loadIndexForReading(
  repo: Repository,
): Promise<{ problems: LoadProblem[]; generation: number | null }> {
  const marks = await loadMarks(repo);
  const problems = await repo.loadIndex({ marked: new Set(marks.packs.keys()) });
  return { problems, generation: marks.damaged.length > 0 ? null : marks.generation };
}
