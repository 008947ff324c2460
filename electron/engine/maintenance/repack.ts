/**
 * Repacking: copies the used blobs of mostly-unused packs into new packs, so the old packs can
 * be marked and later deleted. Blobs are copied sealed (their seal binds type and id, not a
 * position) but each is opened first, so damage is never copied: a pack with a damaged used
 * blob is left as it is and reported.
 *
 * Write order as in a backup: the new packs, then an index file naming them. Only then may the
 * caller mark the old packs. Memory: one source pack and what the saver holds.
 */
import { isStrataError } from '../../../shared/errors';
import { openBlob, type SealedBlob } from '../repository/blob';
import type { Repository } from '../repository/repository';
import { BlobSaver } from '../repository/saver';

export interface RepackResult {
  /** Packs whose used blobs are now stored elsewhere too. */
  readonly done: string[];
  readonly failed: { pack: string; message: string }[];
  readonly blobs: number;
  readonly bytes: number;
  readonly packsWritten: number;
}

/**
 * `blobsByPack`: for each pack to repack, the index entry numbers of its used blobs. New packs
 * are built and indexed by a BlobSaver, as in a backup (index files every 32 packs, so an
 * interrupted repack is reused).
 */
export async function repack(
  repo: Repository,
  blobsByPack: ReadonlyMap<string, readonly number[]>,
  onPack?: (done: number) => void,
): Promise<RepackResult> {
  const saver = new BlobSaver(repo, { copyKnown: true });
  const done: string[] = [];
  const failed: { pack: string; message: string }[] = [];
  let count = 0;
  for (const [pack, entries] of blobsByPack) {
    let copies;
    try {
      copies = await verifiedCopies(repo, pack, entries);
    } catch (err) {
      // Damage is reported and the pack kept; an unreachable destination stops the prune.
      if (isStrataError(err) && err.code !== 'REPO_CORRUPT' && err.code !== 'NOT_FOUND') throw err;
      failed.push({ pack, message: (err as Error).message });
      onPack?.(++count);
      continue;
    }
    for (const c of copies) await saver.addSealed(c);
    done.push(pack);
    onPack?.(++count);
  }
  await saver.flush();
  const { blobsAdded, bytesStored, packsStored } = saver.stats;
  return { done, failed, blobs: blobsAdded, bytes: bytesStored, packsWritten: packsStored };
}
/** Reads a pack once and returns its listed blobs sealed as stored, each proven intact. */
async function verifiedCopies(
  repo: Repository,
  pack: string,
  entries: readonly number[],
): Promise<SealedBlob[]> {
  const bytes = await repo.backend.read({ kind: 'data', name: pack });
  return entries.map((n) => {
    const entry = repo.index.entryAt(n);
    const id = repo.index.idAt(n);
    const sealed = bytes.subarray(entry.offset, entry.offset + entry.length);
    if (sealed.length !== entry.length) throw new Error(`blob ${id.slice(0, 12)} is cut off`);
    openBlob(repo.key, id, entry, sealed); // throws on damage
    // A view: the pack builder copies it into its own buffers.
    const { type, rawLength, compressed } = entry;
    return { type, id, sealed, rawLength, compressed };
  });
}
