/**
 * Crafting repositories the way an attacker (or a failing disk) would: trees with hostile names
 * written straight through the engine API, byte flips, and fingerprints of folders so a test can
 * prove that nothing changed.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LocalBackend } from '../../electron/engine/backends/local';
import { Repository } from '../../electron/engine/repository/repository';
import { BlobSaver } from '../../electron/engine/repository/saver';
import { SNAPSHOT_VERSION, type Snapshot } from '../../electron/engine/repository/snapshot';
import { encodeTree, type TreeNode } from '../../electron/engine/repository/tree';

export const TEST_PASSWORD = 'test-password';

/** A new repository (cheap KDF) opened through the engine. */
export function createRepository(dir: string, password = TEST_PASSWORD): Promise<Repository> {
  return Repository.init(new LocalBackend(dir), password, { kdfLogN: 10 });
}

/** Opens an existing repository through the engine. */
export function openRepository(dir: string, password = TEST_PASSWORD): Promise<Repository> {
  return Repository.open(new LocalBackend(dir), password);
}

const T = '1700000000000000000';

function base(name: string, type: TreeNode['type'], mode: number): TreeNode {
  return {
    name,
    type,
    mode,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    mtime: T,
    atime: T,
    ctime: T,
    inode: '0',
    dev: '0',
    links: 1,
  };
}

export function symlinkNode(name: string, target: string): TreeNode {
  return { ...base(name, 'symlink', 0o777), target };
}

/** Writes trees, file contents and snapshots into a repository, as a backup would. */
export class TreeWriter {
  readonly saver: BlobSaver;

  constructor(readonly repo: Repository) {
    this.saver = new BlobSaver(repo);
  }

  /** A file node whose content is `data` (one blob). */
  async file(name: string, data: string | Buffer): Promise<TreeNode> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const content = bytes.length === 0 ? [] : [(await this.saver.save('data', bytes)).id];
    return { ...base(name, 'file', 0o644), size: bytes.length, content };
  }

  /** Saves a tree blob of `nodes` (in the given order for equal names) and returns its id. */
  async tree(nodes: readonly TreeNode[]): Promise<string> {
    return (await this.saver.save('tree', encodeTree({ nodes }))).id;
  }

  /** A folder node holding `nodes`. */
  async dir(name: string, nodes: readonly TreeNode[]): Promise<TreeNode> {
    return { ...base(name, 'dir', 0o755), subtree: await this.tree(nodes) };
  }

  /** Stores everything pending and a snapshot whose root tree holds `nodes`; returns its id. */
  async snapshot(nodes: readonly TreeNode[], overrides: Partial<Snapshot> = {}): Promise<string> {
    const tree = await this.tree(nodes);
    await this.saver.flush();
    const now = new Date().toISOString();
    const snapshot: Snapshot = {
      version: SNAPSHOT_VERSION,
      time: now,
      host: 'crafted-host',
      username: 'crafted-user',
      uid: 0,
      gid: 0,
      paths: ['/crafted'],
      tags: [],
      excludes: [],
      tree,
      program: 'hostile-repo test helper',
      summary: {
        filesNew: 0,
        filesChanged: 0,
        filesUnchanged: 0,
        dirsNew: 0,
        dirsChanged: 0,
        dirsUnchanged: 0,
        filesChangedDuringBackup: 0,
        warnings: 0,
        totalBytes: 0,
        bytesRead: 0,
        blobsAdded: 0,
        bytesAdded: 0,
        bytesStored: 0,
        started: now,
        finished: now,
      },
      ...overrides,
    };
    return this.repo.saveFile('snapshots', Buffer.from(JSON.stringify(snapshot)));
  }
}

/** Inverts every bit of the byte at `offset` (negative: from the end). */
export async function flipByte(file: string, offset: number): Promise<void> {
  const bytes = await readFile(file);
  const at = offset < 0 ? bytes.length + offset : offset;
  if (at < 0 || at >= bytes.length) throw new Error(`offset ${offset} outside ${file}`);
  bytes[at] = bytes[at]! ^ 0xff;
  await writeFile(file, bytes);
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface FingerprintOptions {
  /** Also record mode and mtime (catches chmod / utimes through a link). */
  readonly metadata?: boolean;
  /** Absolute paths to leave out, with everything below them. */
  readonly skip?: readonly string[];
}

/**
 * Every entry below `root` (not following symlinks), as relative path -> description: type,
 * content hash for files, target for links; sorted, so `toEqual` shows a readable diff.
 */
export async function fingerprint(
  root: string,
  options: FingerprintOptions = {},
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      if (options.skip?.includes(path)) continue;
      const st = await lstat(path);
      const meta = options.metadata ? ` mode=${st.mode.toString(8)} mtime=${st.mtimeMs}` : '';
      const rel = relative(root, path);
      if (st.isSymbolicLink()) out[rel] = `link -> ${await readlink(path)}`;
      else if (st.isDirectory()) {
        out[rel] = `dir${meta}`;
        await walk(path);
      } else if (st.isFile()) out[rel] = `file ${sha256(await readFile(path))}${meta}`;
      else out[rel] = `other${meta}`;
    }
  };
  await walk(root);
  return out;
}

/** Every regular file below `root`, as absolute paths. */
export async function allFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const st = await lstat(path);
      if (st.isDirectory()) await walk(path);
      else out.push(path);
    }
  };
  await walk(root);
  return out.sort();
}
