/**
 * What the snapshots use: one byte per index entry (set when a snapshot references the blob),
 * then per pack the bytes its used blobs take. Memory is a byte per blob and a few numbers per
 * pack, whatever the number of snapshots; each tree is read once however many snapshots
 * share it (a used tree is not walked again).
 */
import { StrataError } from '../../../shared/errors';
import type { Repository } from '../repository/repository';
import type { SnapshotRecord } from '../repository/snapshot';

export class UsedBlobs {
  used: Uint8Array;
  /** Referenced blobs the index does not know (a few kept for the message). */
  missing: string[] = [];
  missingCount = 0;

  constructor(private readonly repo: Repository) {
    this.used = new Uint8Array(repo.index.size);
  }

  /** Follows index growth (new index files loaded after the first walk). */
  private fit(): void {
    if (this.used.length >= this.repo.index.size) return;
    const grown = new Uint8Array(this.repo.index.size);
    grown.set(this.used);
    this.used = grown;
  }

  private note(id: string): number {
    const n = this.repo.index.position(id);
    if (n < 0) {
      this.missingCount++;
      if (this.missing.length < 10) this.missing.push(id);
    }
    return n;
  }

  /** Marks every blob the snapshots reference. */
  async walk(
    snapshots: readonly SnapshotRecord[],
    onSnapshot?: (done: number) => void,
  ): Promise<void> {
    this.fit();
    let done = 0;
    for (const { id, snapshot } of snapshots) {
      const stack = [snapshot.tree];
      while (stack.length > 0) {
        const treeId = stack.pop()!;
        const n = this.note(treeId);
        if (n < 0 || this.used[n]) continue;
        this.used[n] = 1;
        let tree;
        try {
          tree = await this.repo.loadTree(treeId, { cache: false }); // each tree is read once
        } catch (err) {
          const why = (err as Error).message;
          throw new StrataError(
            'REPO_CORRUPT',
            `snapshot ${id.slice(0, 8)}: tree ${treeId.slice(0, 12)} cannot be read (${why}); nothing was deleted. Run "strata check".`,
          );
        }
        for (const node of tree.nodes) {
          for (const blob of node.content ?? []) {
            const b = this.note(blob);
            if (b >= 0) this.used[b] = 1;
          }
          if (node.subtree) stack.push(node.subtree);
        }
      }
      onSnapshot?.(++done);
    }
  }

  /** Fails when a snapshot references a blob no index names: deleting anything could be fatal. */
  assertComplete(): void {
    if (this.missingCount === 0) return;
    throw new StrataError(
      'REPO_CORRUPT',
      `${this.missingCount} blob(s) used by snapshots are in no index file (e.g. ${this.missing[0]!.slice(0, 12)}); nothing was deleted. Run "strata check" to see which snapshots are affected.`,
    );
  }

  /** Per pack number: the stored bytes of used blobs, and how many there are. */
  perPack(): { bytes: Float64Array; blobs: Uint32Array } {
    const index = this.repo.index;
    const bytes = new Float64Array(index.packCount);
    const blobs = new Uint32Array(index.packCount);
    for (let n = 0; n < this.used.length; n++) {
      if (!this.used[n]) continue;
      const p = index.packOf(n);
      bytes[p]! += index.lengthOf(n);
      blobs[p]!++;
    }
    return { bytes, blobs };
  }
}
