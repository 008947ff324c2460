/**
 * Picking the files a test restore proves: n regular files of a snapshot, uniformly at random
 * (reservoir sampling, so a snapshot of millions of files costs one walk and n entries), and,
 * when n >= 2, always the largest file: it has the most blobs, usually across several packs, so
 * it exercises most of the restore path.
 *
 * Only files restore can select by path are candidates: entries with names restore refuses
 * (restore/sanitize.ts) are reported by restore itself, and names holding a backslash cannot be
 * told apart from a separator in an include.
 */
import type { Repository } from '../repository/repository';
import type { TreeNode } from '../repository/tree';
import { unsafeNameReason } from '../restore/sanitize';

export interface SampledFile {
  /** Its path in the snapshot, '/'-separated. */
  readonly path: string;
  readonly node: TreeNode;
}

/** Keeps a uniform sample of `size` of the items offered, plus the largest. */
export class FileSample {
  private readonly kept: SampledFile[] = [];
  private largest?: SampledFile;
  private seen = 0;

  constructor(
    private readonly size: number,
    private readonly random: () => number = Math.random,
  ) {}

  offer(file: SampledFile): void {
    this.seen++;
    if (!this.largest || (file.node.size ?? 0) > (this.largest.node.size ?? 0)) this.largest = file;
    if (this.kept.length < this.size) this.kept.push(file);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < this.size) this.kept[slot] = file;
    }
  }

  /** How many files were offered. */
  get offered(): number {
    return this.seen;
  }

  /** The sample, in path order. With size >= 2 the largest is in it (replacing a random one). */
  result(): SampledFile[] {
    const out = [...this.kept];
    const big = this.largest;
    if (this.size >= 2 && big && !out.includes(big))
      out[Math.floor(this.random() * out.length)] = big;
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Walks the snapshot tree and samples its regular files. */
export async function sampleFiles(
  repo: Repository,
  rootTree: string,
  size: number,
  random: () => number = Math.random,
): Promise<{ files: SampledFile[]; total: number }> {
  const sample = new FileSample(size, random);
  const walk = async (treeId: string, prefix: string): Promise<void> => {
    const tree = await repo.loadTree(treeId);
    for (const node of tree.nodes) {
      if (unsafeNameReason(node.name) || node.name.includes('\\')) continue;
      const path = `${prefix}/${node.name}`;
      if (node.type === 'dir' && node.subtree) await walk(node.subtree, path);
      else if (node.type === 'file') sample.offer({ path, node });
    }
  };
  await walk(rootTree, '');
  return { files: sample.result(), total: sample.offered };
}
