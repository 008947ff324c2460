/**
 * The archiver walks the sources depth first and builds trees bottom up: a directory's tree
 * blob is saved once all its entries are, so every tree references only stored blobs.
 *
 * Unchanged files (see change-detection.ts) reuse the parent snapshot's content without being
 * opened. Files are opened without following symlinks and re-checked after reading: one that
 * changed meanwhile is kept, flagged and reported. Anything unreadable or vanished becomes a
 * warning and the backup goes on.
 */
import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError } from '../../../shared/errors';
import { chunkStream, type Chunker } from '../chunker/fastcdc';
import type { Repository } from '../repository/repository';
import type { BlobSaver } from '../repository/saver';
import { encodeTree, findNode, type Tree, type TreeNode } from '../repository/tree';
import { changedWhileReading, isUnchanged, type ChangeOptions } from './change-detection';
import type { Excluder } from './excludes';
import { metaFromStat } from './node-meta';
import type { BackupWarning, ProgressTracker } from './progress';

export interface Counts {
  filesNew: number;
  filesChanged: number;
  filesUnchanged: number;
  dirsNew: number;
  dirsChanged: number;
  dirsUnchanged: number;
  filesChangedDuringBackup: number;
  totalBytes: number;
  bytesRead: number;
}

export interface ArchiverContext {
  readonly repo: Repository;
  readonly saver: BlobSaver;
  readonly chunker: Chunker;
  readonly exclude: Excluder;
  readonly change: ChangeOptions;
  readonly parentStartNs: bigint | undefined;
  readonly progress: ProgressTracker;
  readonly signal?: AbortSignal;
  readonly warn: (w: BackupWarning) => void;
  readonly counts: Counts;
}

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export class Archiver {
  /** Files with several links seen in this run, by device and inode: read once. */
  private readonly hardlinks = new Map<string, { size: number; content: readonly string[] }>();

  constructor(private readonly ctx: ArchiverContext) {}

  private checkAbort(): void {
    if (this.ctx.signal?.aborted)
      throw new StrataError('INTERRUPTED', 'the backup was interrupted');
  }

  /** Loads a parent subtree; a damaged one is reported and treated as absent (files re-read). */
  async parentTree(node: TreeNode | undefined, path: string): Promise<Tree | undefined> {
    if (!node || node.type !== 'dir' || !node.subtree) return undefined;
    try {
      return await this.ctx.repo.loadTree(node.subtree);
    } catch (err) {
      this.ctx.warn({
        path,
        kind: 'changed',
        message: `parent tree unreadable, files re-read: ${(err as Error).message}`,
      });
      return undefined;
    }
  }

  /** Saves one entry at `path` (already lstat'ed); undefined when it had to be skipped. */
  async saveEntry(
    path: string,
    name: string,
    rel: string,
    st: BigIntStats,
    old: TreeNode | undefined,
  ): Promise<TreeNode | undefined> {
    this.checkAbort();
    const meta = metaFromStat(name, st);
    switch (meta.type) {
      case 'dir': {
        const subtree = await this.saveDir(path, rel, await this.parentTree(old, path));
        if (subtree === undefined) return undefined;
        const c = this.ctx.counts;
        if (!old || old.type !== 'dir') c.dirsNew++;
        else if (old.subtree === subtree) c.dirsUnchanged++;
        else c.dirsChanged++;
        return { ...meta, subtree };
      }
      case 'file':
        return this.saveFile(path, meta, st, old);
      case 'symlink':
        return { ...meta, target: await readlink(path) };
      default:
        return meta;
    }
  }

  /** Saves a directory's entries and its tree blob; returns the tree id. */
  async saveDir(path: string, rel: string, parent: Tree | undefined): Promise<string | undefined> {
    let names: string[];
    try {
      names = await readdir(path);
    } catch (err) {
      this.ctx.warn({
        path,
        kind: 'skipped',
        message: `cannot list folder: ${(err as Error).message}`,
      });
      return undefined;
    }
    names.sort();
    const nodes: TreeNode[] = [];
    for (const name of names) {
      const child = join(path, name);
      const childRel = rel === '' ? name : `${rel}/${name}`;
      let st: BigIntStats;
      try {
        st = await lstat(child, { bigint: true });
      } catch (err) {
        this.ctx.warn({
          path: child,
          kind: 'skipped',
          message: `vanished or unreadable: ${(err as Error).message}`,
        });
        continue;
      }
      if (this.ctx.exclude(childRel, st.isDirectory())) continue;
      try {
        const node = await this.saveEntry(
          child,
          name,
          childRel,
          st,
          parent && findNode(parent, name),
        );
        if (node) nodes.push(node);
      } catch (err) {
        if (err instanceof StrataError) throw err;
        this.ctx.warn({ path: child, kind: 'skipped', message: (err as Error).message });
      }
    }
    const { id } = await this.ctx.saver.save('tree', encodeTree({ nodes }));
    return id;
  }

  private async saveFile(
    path: string,
    meta: ReturnType<typeof metaFromStat>,
    st: BigIntStats,
    old: TreeNode | undefined,
  ): Promise<TreeNode | undefined> {
    const { counts, progress } = this.ctx;
    progress.currentFile = path;
    const linkKey = st.nlink > 1n ? `${st.dev}:${st.ino}` : undefined;
    const seen = linkKey ? this.hardlinks.get(linkKey) : undefined;
    const reuse =
      seen ??
      (isUnchanged(old, st, this.ctx.parentStartNs, this.ctx.change) &&
      old?.content?.every((id) => this.ctx.saver.known(id))
        ? { size: Number(st.size), content: old.content }
        : undefined);
    if (reuse) {
      if (seen && !(old?.type === 'file')) counts.filesNew++;
      else if (seen && old?.content?.join() !== reuse.content.join()) counts.filesChanged++;
      else counts.filesUnchanged++;
      counts.totalBytes += reuse.size;
      progress.filesDone++;
      progress.bytesDone += reuse.size;
      return { ...meta, size: reuse.size, content: reuse.content };
    }
    const read = await this.readFile(path, st);
    if (!read) return undefined;
    if (old?.type === 'file') counts.filesChanged++;
    else counts.filesNew++;
    counts.totalBytes += read.size;
    progress.filesDone++;
    if (linkKey) this.hardlinks.set(linkKey, read);
    const node: TreeNode = {
      ...metaFromStat(meta.name, read.stat),
      size: read.size,
      content: read.content,
    };
    return read.changed ? { ...node, changed: true } : node;
  }

  /** Reads, chunks and saves a file's content. */
  private async readFile(
    path: string,
    st: BigIntStats,
  ): Promise<{ size: number; content: string[]; stat: BigIntStats; changed: boolean } | undefined> {
    const { counts, progress, saver, chunker } = this.ctx;
    let fh;
    try {
      fh = await open(path, constants.O_RDONLY | O_NOFOLLOW);
    } catch (err) {
      this.ctx.warn({ path, kind: 'skipped', message: `cannot open: ${(err as Error).message}` });
      return undefined;
    }
    try {
      const before = await fh.stat({ bigint: true });
      if (!before.isFile() || before.ino !== st.ino) {
        this.ctx.warn({
          path,
          kind: 'skipped',
          message: 'replaced by something else while backing up',
        });
        return undefined;
      }
      const content: string[] = [];
      let size = 0;
      const handle = fh;
      const reader = (buf: Buffer, offset: number, length: number, position: number) =>
        handle.read(buf, offset, length, position).then((r) => r.bytesRead);
      for await (const chunk of chunkStream(chunker, reader, Number(before.size))) {
        this.checkAbort();
        content.push((await saver.save('data', chunk)).id);
        size += chunk.length;
        counts.bytesRead += chunk.length;
        progress.bytesDone += chunk.length;
      }
      const after = await fh.stat({ bigint: true });
      const changed = changedWhileReading(before, after) || BigInt(size) !== before.size;
      if (changed) {
        counts.filesChangedDuringBackup++;
        this.ctx.warn({
          path,
          kind: 'changed',
          message: 'changed while it was read: the stored copy may mix old and new content',
        });
      }
      return { size, content, stat: before, changed };
    } catch (err) {
      if (err instanceof StrataError) throw err;
      this.ctx.warn({ path, kind: 'skipped', message: `read failed: ${(err as Error).message}` });
      return undefined;
    } finally {
      await fh.close();
    }
  }
}
