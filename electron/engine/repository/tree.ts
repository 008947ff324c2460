/**
 * Trees: one blob per directory, listing its entries with their metadata. Stored as JSON inside
 * a sealed, compressed tree blob, so file names are as secret as contents. Times are nanoseconds
 * since the epoch as decimal strings (JSON numbers cannot hold them exactly).
 */
export const NODE_TYPES = [
  'file',
  'dir',
  'symlink',
  'fifo',
  'socket',
  'chardev',
  'blockdev',
] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export interface TreeNode {
  readonly name: string;
  readonly type: NodeType;
  /** Permission and special bits (mode & 0o7777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: string;
  /** Access time: not recorded by default (it changes whenever anyone reads the file). */
  readonly atime?: string;
  readonly ctime: string;
  readonly inode: string;
  readonly dev: string;
  /** Link count at backup time; above 1 for hardlinked files. */
  readonly links: number;
  /** Files: size in bytes and the data blobs in order. */
  readonly size?: number;
  readonly content?: readonly string[];
  /** Directories: the tree blob of their entries. */
  readonly subtree?: string;
  /** Symlinks: the target, stored as is and never followed. */
  readonly target?: string;
  /** Devices: the device number. */
  readonly rdev?: string;
  /** The file changed while it was read: its content may mix old and new. */
  readonly changed?: boolean;
}

/**
 * What a restore keeps of a node once it is planned: its kind, metadata and content, without the
 * name (the planned path has it), ctime, inode and device (used only while planning). A restore
 * plan holds one per selected entry, so the fields it drops are most of its memory.
 */
export type RestoreNode = Pick<
  TreeNode,
  'type' | 'mode' | 'uid' | 'gid' | 'mtime' | 'atime' | 'links' | 'size' | 'content' | 'target'
>;

/** The RestoreNode of a node: a fresh object that keeps none of the dropped strings alive. */
export function restoreNode(n: TreeNode): RestoreNode {
  return {
    type: n.type,
    mode: n.mode,
    uid: n.uid,
    gid: n.gid,
    mtime: n.mtime,
    atime: n.atime,
    links: n.links,
    size: n.size,
    content: n.content,
    target: n.target,
  };
}

export interface Tree {
  readonly nodes: readonly TreeNode[];
}

export function encodeTree(tree: Tree): Buffer {
  const nodes = [...tree.nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Buffer.from(JSON.stringify({ nodes }));
}

/** Parses a tree blob, checking the shape of every node (a tampered tree must not crash us). */
export function decodeTree(bytes: Buffer, what: string): Tree {
  const parsed = JSON.parse(bytes.toString('utf8')) as { nodes?: unknown };
  if (!parsed || !Array.isArray(parsed.nodes)) throw new Error(`${what}: not a tree`);
  for (const n of parsed.nodes as TreeNode[]) {
    if (
      typeof n !== 'object' ||
      typeof n.name !== 'string' ||
      !NODE_TYPES.includes(n.type) ||
      (n.type === 'file' && !Array.isArray(n.content)) ||
      (n.type === 'dir' && typeof n.subtree !== 'string') ||
      (n.type === 'symlink' && typeof n.target !== 'string')
    ) {
      throw new Error(`${what}: malformed entry`);
    }
  }
  return parsed as Tree;
}

/** Finds an entry by name (trees are sorted, but the list is short: a scan is fine). */
export function findNode(tree: Tree, name: string): TreeNode | undefined {
  return tree.nodes.find((n) => n.name === name);
}
