/**
 * The in-memory index: every blob the repository's index files know, by id.
 */
import type { BlobEntry } from './blob';
import { toEntry } from './pack';
import type { IndexedPack } from './index-file';

export class MasterIndex {
  private readonly blobs = new Map<string, BlobEntry>();
  private readonly packs = new Map<string, number>();

  get size(): number {
    return this.blobs.size;
  }

  has(id: string): boolean {
    return this.blobs.has(id);
  }

  get(id: string): BlobEntry | undefined {
    return this.blobs.get(id);
  }

  /** The packs the index names, with how many blobs each holds. */
  packIds(): ReadonlyMap<string, number> {
    return this.packs;
  }

  add(pack: IndexedPack): void {
    this.packs.set(pack.id, pack.blobs.length);
    for (const b of pack.blobs) {
      if (!this.blobs.has(b.id)) this.blobs.set(b.id, toEntry(pack.id, b));
    }
  }

  entries(): IterableIterator<[string, BlobEntry]> {
    return this.blobs.entries();
  }
}
