/**
 * Repacking: copies the used blobs of mostly-unused packs into new packs, so the old packs can
 * be marked and later deleted. Blobs are copied sealed (their seal binds type and id, not a
 * position) but each is opened first, so damage is never copied: a pack with a damaged used
 * blob is left as it is and reported.
 *
 * Write order as in a backup: the new packs, then an index file naming them. Only then may the
 * caller mark the old packs. Memory: one source pack and one pack being built.
 */
import { isStrataError } from '../../../shared/errors';
import { openBlob, type SealedBlob } from '../repository/blob';
import { encodeIndexFile, type IndexedPack } from '../repository/index-file';
import { PackBuilder } from '../repository/pack';
import type { Repository } from '../repository/repository';

const PACK_SIZE = 16 * 1024 * 1024;
const MAX_PACK_BLOBS = 65_536;

export interface RepackResult {
  /** Packs whose used blobs are now stored elsewhere too. */
  readonly done: string[];
  readonly failed: { pack: string; message: string }[];
  blobs: number;
  bytes: number;
  packsWritten: number;
}

/** Index files are written every this many new packs, so an interrupted repack is reused. */
const INDEX_EVERY = 32;

/**
 * `blobsByPack`: for each pack to repack, the index entry numbers of its used blobs.
 */
export async function repack(
  repo: Repository,
  blobsByPack: ReadonlyMap<string, readonly number[]>,
  onPack?: (done: number) => void,
): Promise<RepackResult> {
  const result: RepackResult = { done: [], failed: [], blobs: 0, bytes: 0, packsWritten: 0 };
  const builders = { data: new PackBuilder(), tree: new PackBuilder() };
  let unindexed: IndexedPack[] = [];
  const writeIndex = async () => {
    if (unindexed.length === 0) return;
    await repo.saveFile('index', encodeIndexFile(unindexed));
    for (const p of unindexed) repo.index.add(p);
    unindexed = [];
  };
  const store = async (type: 'data' | 'tree') => {
    const builder = builders[type];
    if (builder.count === 0) return;
    builders[type] = new PackBuilder();
    const { id, parts, blobs } = builder.finish(repo.key);
    await repo.backend.write({ kind: 'data', name: id }, parts);
    unindexed.push({ id, blobs });
    result.packsWritten++;
    if (unindexed.length >= INDEX_EVERY) await writeIndex();
  };

  let count = 0;
  for (const [pack, entries] of blobsByPack) {
    let copies;
    try {
      copies = await verifiedCopies(repo, pack, entries);
    } catch (err) {
      // Damage is reported and the pack kept; an unreachable destination stops the prune.
      if (isStrataError(err) && err.code !== 'REPO_CORRUPT' && err.code !== 'NOT_FOUND') throw err;
      result.failed.push({ pack, message: (err as Error).message });
      onPack?.(++count);
      continue;
    }
    for (const c of copies) {
      const builder = builders[c.type];
      builder.add(c);
      result.blobs++;
      result.bytes += c.sealed.length;
      if (builder.byteLength >= PACK_SIZE || builder.count >= MAX_PACK_BLOBS) await store(c.type);
    }
    result.done.push(pack);
    onPack?.(++count);
  }
  await store('data');
  await store('tree');
  await writeIndex();
  return result;
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
    // A copy: a view would pin the whole source pack until the new pack is stored.
    const { type, rawLength, compressed } = entry;
    return { type, id, sealed: Buffer.from(sealed), rawLength, compressed };
  });
}
