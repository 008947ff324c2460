/**
 * Rewriting index files so they no longer name packs about to be deleted: the packs they still
 * list are written to new index files first, and only then are the old files removed, so at
 * every moment each surviving pack is named by some index file. A crash in between leaves
 * duplicate entries, which readers accept.
 */
import { isStrataError } from '../../../shared/errors';
import { decodeIndexFile, encodeIndexFile, type IndexedPack } from '../repository/index-file';
import type { Repository } from '../repository/repository';

/** Index files are written with at most this many blob entries each (bounded memory). */
const BLOBS_PER_FILE = 200_000;

export interface RewriteResult {
  readonly written: number;
  readonly removed: number;
}

/**
 * Rewrites every loaded index file that names a pack in `drop` (or, with `all`, every loaded
 * index file: compaction of the many small files backups leave).
 */
export async function rewriteIndexFiles(
  repo: Repository,
  drop: ReadonlySet<string>,
  all = false,
): Promise<RewriteResult> {
  const affected = [...repo.indexFiles]
    .filter(([, packs]) => all || packs.some((p) => drop.has(p)))
    .map(([name]) => name);
  if (affected.length === 0) return { written: 0, removed: 0 };
  let batch: IndexedPack[] = [];
  let blobs = 0;
  let written = 0;
  const seen = new Set<string>();
  const names = new Set<string>();
  const flush = async () => {
    if (batch.length === 0) return;
    names.add(await repo.saveFile('index', encodeIndexFile(batch)));
    written++;
    batch = [];
    blobs = 0;
  };
  for (const name of affected) {
    for (const pack of decodeIndexFile(await repo.loadFile('index', name))) {
      // A pack named by two files (a crash during an earlier rewrite) is written once.
      if (drop.has(pack.id) || seen.has(pack.id)) continue;
      seen.add(pack.id);
      batch.push(pack);
      blobs += pack.blobs.length;
      if (blobs >= BLOBS_PER_FILE) await flush();
    }
  }
  await flush();
  for (const name of affected) {
    // Same content, same name: a file rewritten unchanged is the new file, not an old one.
    if (names.has(name)) continue;
    await repo.backend.remove({ kind: 'index', name }).catch((err: unknown) => {
      if (!isStrataError(err, 'NOT_FOUND')) throw err;
    });
    repo.indexFiles.delete(name);
  }
  return { written, removed: affected.length };
}
