/**
 * Loads the parent snapshot's trees ahead of the walk. Each tree is one read from the
 * repository (four round trips through the threadpool on a local disk, a request on a remote
 * one); loaded one by one, as the walk reaches each folder, those waits were most of a
 * no-change backup. The walk is depth first, so the order it will want trees in is known: a
 * stack where entering a folder pushes its subfolders, first one on top.
 *
 * Bounded: at most `window` trees are loading or loaded-but-not-taken at once. A tree the walk
 * asks for before its turn is loaded directly, so a wrong guess costs time, never a deadlock.
 * A failed load is not reported here: the walk's own load of that tree reports it.
 */
import type { Tree } from '../repository/tree';

export type LoadTree = (id: string) => Promise<Tree>;

export class TreePrefetch {
  private readonly stack: string[] = [];
  private readonly started = new Map<string, Promise<Tree | undefined>>();
  private busy = 0;

  constructor(
    private readonly load: LoadTree,
    private readonly window = 8,
  ) {}

  /** The walk entered a folder whose parent tree is `tree`: its subfolders come next. */
  enter(tree: Tree | undefined): void {
    if (!tree) return;
    for (let i = tree.nodes.length - 1; i >= 0; i--) {
      const n = tree.nodes[i]!;
      if (n.type === 'dir' && n.subtree && !this.started.has(n.subtree)) {
        this.stack.push(n.subtree);
      }
    }
    this.pump();
  }

  /**
   * The walk is done with a folder: what was fetched for subfolders it did not walk (deleted
   * or excluded since) is dropped, so it does not hold the window for the rest of the run.
   */
  leave(tree: Tree | undefined): void {
    if (!tree) return;
    const ids = new Set<string>();
    for (const n of tree.nodes) if (n.type === 'dir' && n.subtree) ids.add(n.subtree);
    if (ids.size === 0) return;
    for (const id of ids) {
      if (this.started.delete(id)) this.busy--;
    }
    let kept = 0;
    for (const id of this.stack) if (!ids.has(id)) this.stack[kept++] = id;
    this.stack.length = kept;
    this.pump();
  }

  /** The tree `id`, from a load started earlier or started now. */
  take(id: string): Promise<Tree> {
    const early = this.started.get(id);
    if (!early) return this.load(id);
    this.started.delete(id);
    this.busy--;
    this.pump();
    return early.then((t) => t ?? this.load(id));
  }

  private pump(): void {
    while (this.busy < this.window && this.stack.length > 0) {
      const id = this.stack.pop()!;
      if (this.started.has(id)) continue;
      this.busy++;
      this.started.set(
        id,
        this.load(id).catch(() => undefined),
      );
    }
  }
}
