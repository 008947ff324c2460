/**
 * A synthetic backup history for the catalog benchmark: trees made in memory, no repository.
 *
 * Layout: /data/big holds `bigFolder` files; the rest sit in /data/gNN/dNNN folders of 100
 * files. Each snapshot after the first changes `changeRate` of the files (new content and
 * mtime), and adds and deletes a few, so it looks like a daily backup. Only the folders on the
 * way to a change get a new tree id, as in a real repository; unchanged subtrees keep theirs, so
 * the catalog's skip of unchanged subtrees is exercised as it would be.
 *
 * Only the current snapshot's trees are kept: the catalog indexes snapshots one after another
 * and never reads an older snapshot's trees.
 */
import { createHash } from 'node:crypto';
import type { SnapshotRecord } from '../../electron/engine/repository/snapshot';
import type { Tree, TreeNode } from '../../electron/engine/repository/tree';
import type { TreeSource } from '../../electron/services/catalog';
import { seededRandom } from './content';

export interface HistoryShape {
  readonly files: number;
  readonly snapshots: number;
  /** Files in the one big folder (the rest are in folders of 100). */
  readonly bigFolder: number;
  /** Share of files changed per snapshot (0.01 = 1%). */
  readonly changeRate: number;
}

const PER_FOLDER = 100;
const GROUP = 30;
const START = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const hex = (text: string): string => createHash('sha256').update(text).digest('hex');

interface Folder {
  readonly path: string;
  readonly nodes: Map<string, TreeNode>;
  readonly folders: Map<string, Folder>;
  id: string | undefined;
}

function fileNode(name: string, version: number, time: number): TreeNode {
  return {
    name,
    type: 'file',
    mode: 0o644,
    uid: 1000,
    gid: 1000,
    mtime: `${time}000000`,
    ctime: `${time}000000`,
    inode: '0',
    dev: '0',
    links: 1,
    size: 1000 + version,
    content: [hex(`${name}:${version}`)],
  };
}

export class SyntheticHistory implements TreeSource {
  private readonly trees = new Map<string, Tree>();
  private readonly root: Folder;
  private readonly files: { folder: Folder; name: string; version: number }[] = [];
  private readonly next = seededRandom(0xca7a);
  private treeCounter = 0;
  private nameCounter = 0;
  private made = 0;

  constructor(readonly shape: HistoryShape) {
    this.root = this.folder('');
    const data = this.child(this.root, 'data');
    const big = this.child(data, 'big');
    for (let i = 0; i < shape.bigFolder; i++) this.addFile(big, 0);
    const rest = shape.files - shape.bigFolder;
    for (let i = 0; i < rest; i++) {
      const d = Math.floor(i / PER_FOLDER);
      const group = this.child(data, `g${String(Math.floor(d / GROUP)).padStart(2, '0')}`);
      this.addFile(this.child(group, `d${String(d % GROUP).padStart(3, '0')}`), 0);
    }
  }

  /** A name that matches exactly one file, for the search measurement. */
  static fileName(n: number): string {
    return `file-${String(n).padStart(7, '0')}.dat`;
  }

  static readonly bigPath = '/data/big';

  private folder(path: string): Folder {
    return { path, nodes: new Map(), folders: new Map(), id: undefined };
  }

  private child(parent: Folder, name: string): Folder {
    let f = parent.folders.get(name);
    if (!f) {
      f = this.folder(`${parent.path}/${name}`);
      parent.folders.set(name, f);
      parent.id = undefined;
    }
    return f;
  }

  private addFile(folder: Folder, time: number): void {
    const name = SyntheticHistory.fileName(this.nameCounter++);
    folder.nodes.set(name, fileNode(name, 0, time));
    folder.id = undefined;
    this.files.push({ folder, name, version: 0 });
  }

  /** Gives every folder whose id was cleared (a change below it) a new tree; returns the id. */
  private seal(folder: Folder, time: number): string {
    let changed = folder.id === undefined;
    const dirs: TreeNode[] = [];
    for (const [name, sub] of folder.folders) {
      const before = sub.id;
      const id = this.seal(sub, time);
      if (id !== before) changed = true;
      dirs.push({
        ...fileNode(name, 0, time),
        type: 'dir',
        size: undefined,
        content: undefined,
        subtree: id,
      });
    }
    if (!changed) return folder.id!;
    folder.id = hex(`tree:${this.treeCounter++}`);
    const nodes = [...folder.nodes.values(), ...dirs].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    this.trees.set(folder.id, { nodes });
    return folder.id;
  }

  /** The next snapshot: the first is the whole tree; later ones change a share of the files. */
  nextSnapshot(): SnapshotRecord {
    const n = this.made++;
    const time = START + n * DAY;
    if (n > 0) this.mutate(Math.floor(time / 1000) * 1000);
    const root = this.seal(this.root, START);
    // Keep only this snapshot's trees.
    const reachable = this.reachable;
    for (const id of this.trees.keys()) if (!reachable.has(id)) this.trees.delete(id);
    const id = hex(`snapshot:${n}`);
    return {
      id,
      snapshot: {
        version: 1,
        time: new Date(time).toISOString(),
        host: 'bench',
        username: 'bench',
        uid: 1000,
        gid: 1000,
        paths: ['/data'],
        tags: [],
        excludes: [],
        tree: root,
        program: 'bench',
        summary: undefined as never,
      },
    };
  }

  private get reachable(): Set<string> {
    const ids = new Set<string>();
    const visit = (f: Folder): void => {
      ids.add(f.id!);
      for (const sub of f.folders.values()) visit(sub);
    };
    visit(this.root);
    return ids;
  }

  private mutate(time: number): void {
    const count = Math.max(1, Math.round(this.shape.files * this.shape.changeRate));
    const churn = Math.max(1, Math.floor(count / 40));
    for (let i = 0; i < count - 2 * churn; i++) {
      const f = this.files[Math.floor(this.next() * this.files.length)]!;
      f.version++;
      f.folder.nodes.set(f.name, fileNode(f.name, f.version, time));
      f.folder.id = undefined;
    }
    for (let i = 0; i < churn; i++) {
      const at = Math.floor(this.next() * this.files.length);
      const gone = this.files[at]!;
      gone.folder.nodes.delete(gone.name);
      gone.folder.id = undefined;
      this.files[at] = this.files[this.files.length - 1]!;
      this.files.pop();
      const host = this.files[Math.floor(this.next() * this.files.length)]!.folder;
      this.addFile(host, time);
    }
  }

  /** The path of the file changed most often so far (the one with the most versions). */
  mostChanged(): { path: string; versions: number } {
    let best = this.files[0]!;
    for (const f of this.files) if (f.version > best.version) best = f;
    return { path: `${best.folder.path}/${best.name}`, versions: best.version + 1 };
  }

  async loadTree(id: string): Promise<Tree> {
    const tree = this.trees.get(id);
    if (!tree) throw new Error(`synthetic tree ${id} is not in the current snapshot`);
    return tree;
  }
}
