/**
 * The archiver: the coordinator's side of a backup. It walks the sources depth first, decides
 * per file whether the parent snapshot's content can be reused, hands the rest to the worker
 * pool (read -> chunk -> hash -> compress -> seal), packs what the workers send back, and saves
 * each folder's tree once everything in it is saved, so every tree references stored blobs only.
 *
 * The walk runs ahead of the workers, bounded: files are sent in batches (many small files per
 * message, a large file alone), and the walk waits while `2 x pool size` batches are out. Stats
 * and listings are synchronous: for an unchanged tree they are all the work there is, and the
 * threadpool round trip of the async calls would cost more than the calls (aim: >50k files/s).
 *
 * Unchanged files (change-detection.ts) are never opened. Files are opened without following
 * symlinks and re-checked after reading: one that changed meanwhile is kept, flagged and
 * reported. Anything unreadable or vanished becomes a warning and the backup goes on.
 */
import type { BigIntStats } from 'node:fs';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { sep } from 'node:path';
import { StrataError } from '../../../shared/errors';
import type { Repository } from '../repository/repository';
import type { BlobSaver } from '../repository/saver';
import { encodeTree, type Tree, type TreeNode } from '../repository/tree';
import type { WorkerPool } from '../workers/pool';
import type { BlobEvent, FileOutcome } from '../workers/protocol';
import { isUnchanged, type ChangeOptions } from './change-detection';
import type { Excluder } from './excludes';
import { metaFromStat, sameMeta } from './node-meta';
import type { BackupWarning, ProgressTracker } from './progress';
import { TreePrefetch } from './tree-prefetch';

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
  readonly pool: WorkerPool;
  readonly exclude: Excluder;
  readonly change: ChangeOptions;
  readonly parentStartNs: bigint | undefined;
  readonly progress: ProgressTracker;
  readonly signal?: AbortSignal;
  /** Awaited before each batch of files goes to the workers: a paused backup waits here. */
  readonly pause?: PauseGate;
  readonly warn: (w: BackupWarning) => void;
  readonly counts: Counts;
}

/** Holds a backup between batches while paused; what is in flight finishes first. */
export interface PauseGate {
  wait(): Promise<void>;
}

/** A file's content as stored: what a tree node needs. */
interface Content {
  readonly size: number;
  readonly content: readonly string[];
}

interface Queued {
  readonly path: string;
  readonly ino: string;
  readonly resolve: (o: FileOutcome) => void;
  readonly reject: (e: unknown) => void;
}

const BATCH_FILES = 128;
const BATCH_BYTES = 8 * 1024 * 1024;
/** Yield to the event loop every so many entries, so worker messages and progress flow. */
const YIELD_EVERY = 512;

/**
 * A result that comes later. Wrapped in an object on purpose: an async function cannot resolve
 * to a bare promise (it would be adopted), and the walk must return before the work is done.
 */
export interface Later<T> {
  readonly later: Promise<T>;
}

const later = <T>(p: Promise<T>): Later<T> => ({ later: p });

/** True when `a` holds exactly the node objects of `b`, in order. */
function sameNodes(a: readonly TreeNode[], b: readonly TreeNode[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** quickEntry's answer for entries that need the full, asynchronous path. */
const SLOW = Symbol('slow');

export class Archiver {
  /** Files with several links seen in this run, by device and inode: read once. */
  private readonly hardlinks = new Map<string, Promise<Content | undefined>>();
  private batch: Queued[] = [];
  private batchBytes = 0;
  private outstanding = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly maxOutstanding: number;
  private sinceYield = 0;
  private failure: unknown;
  /** The parent's trees, loaded ahead of the walk (read once each, never cached). */
  private readonly trees: TreePrefetch;

  constructor(private readonly ctx: ArchiverContext) {
    this.maxOutstanding = Math.max(2, ctx.pool.size * 2);
    this.trees = new TreePrefetch((id) => ctx.repo.loadTree(id, { cache: false }));
  }

  private checkAbort(): void {
    if (this.failure) throw this.failure;
    if (this.ctx.signal?.aborted)
      throw new StrataError('INTERRUPTED', 'the backup was interrupted');
  }

  private async breathe(): Promise<void> {
    this.sinceYield = 0;
    await new Promise((r) => setImmediate(r));
    this.checkAbort();
  }

  /** Loads a parent subtree; a damaged one is reported and treated as absent (files re-read). */
  async parentTree(node: TreeNode | undefined, path: string): Promise<Tree | undefined> {
    if (!node || node.type !== 'dir' || !node.subtree) return undefined;
    try {
      return await this.trees.take(node.subtree);
    } catch (err) {
      this.ctx.warn({
        path,
        kind: 'changed',
        message: `parent tree unreadable, files re-read: ${(err as Error).message}`,
      });
      return undefined;
    }
  }

  /**
   * Walks one entry (already lstat'ed). Resolves once everything below it has been handed out;
   * the inner promise resolves to its node once it is saved (undefined: skipped).
   */
  async walkEntry(
    path: string,
    name: string,
    rel: string,
    st: BigIntStats,
    old: TreeNode | undefined,
  ): Promise<Later<TreeNode | undefined>> {
    this.checkAbort();
    const quick = this.quickEntry(name, st, old);
    if (quick !== SLOW) return later(Promise.resolve(quick));
    const meta = metaFromStat(name, st);
    switch (meta.type) {
      case 'dir': {
        const subtree = await this.walkDir(
          path,
          rel,
          await this.parentTree(old, path),
          old?.type === 'dir' ? old.subtree : undefined,
        );
        return later(
          subtree.later.then((id) => {
            if (id === undefined) return undefined;
            const c = this.ctx.counts;
            if (!old || old.type !== 'dir') c.dirsNew++;
            else if (old.subtree === id) c.dirsUnchanged++;
            else c.dirsChanged++;
            if (old?.subtree === id && sameMeta(old, st)) return old;
            return { ...meta, subtree: id };
          }),
        );
      }
      case 'file': {
        const node = this.fileNode(path, meta, st, old);
        if (this.batchFull()) await this.send();
        return later(node);
      }
      case 'symlink':
        return later(Promise.resolve({ ...meta, target: readlinkSync(path) }));
      default:
        return later(Promise.resolve(meta));
    }
  }

  /**
   * Walks a folder; the inner promise resolves to its tree id once the tree is saved.
   * `parentId` is the id of `parent`: when every entry is the parent's own node, in the same
   * order, the folder is unchanged and its tree is neither encoded nor hashed again.
   */
  async walkDir(
    path: string,
    rel: string,
    parent: Tree | undefined,
    parentId?: string,
  ): Promise<Later<string | undefined>> {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (err) {
      this.ctx.warn({
        path,
        kind: 'skipped',
        message: `cannot list folder: ${(err as Error).message}`,
      });
      return later(Promise.resolve(undefined));
    }
    names.sort();
    const olds = new Map(parent?.nodes.map((n) => [n.name, n]));
    const parts: (TreeNode | Promise<TreeNode | undefined>)[] = [];
    this.trees.enter(parent);
    try {
      await this.walkNames(path, rel, names, olds, parts);
      this.trees.leave(parent);
    } catch (err) {
      // Abandoned: nobody will wait for these any more.
      for (const p of parts) if (p instanceof Promise) p.catch(() => undefined);
      throw err;
    }
    return later(
      Promise.all(parts).then(async (nodes) => {
        const kept = nodes.filter((n): n is TreeNode => n !== undefined);
        if (parentId && parent && sameNodes(kept, parent.nodes) && this.ctx.saver.known(parentId))
          return parentId;
        return (await this.ctx.saver.save('tree', encodeTree({ nodes: kept }))).id;
      }),
    );
  }

  private async walkNames(
    path: string,
    rel: string,
    names: readonly string[],
    olds: ReadonlyMap<string, TreeNode>,
    parts: (TreeNode | Promise<TreeNode | undefined>)[],
  ): Promise<void> {
    for (const name of names) {
      // Checked here, not in an async call: an await per entry is a microtask per entry.
      if (++this.sinceYield >= YIELD_EVERY) await this.breathe();
      // A listing's names hold no separator and the folder's path is already normal: no join.
      const child = path.endsWith(sep) ? path + name : path + sep + name;
      const childRel = rel === '' ? name : `${rel}/${name}`;
      let st: BigIntStats | undefined;
      try {
        st = lstatSync(child, { bigint: true });
      } catch (err) {
        this.ctx.warn({
          path: child,
          kind: 'skipped',
          message: `vanished or unreadable: ${(err as Error).message}`,
        });
        continue;
      }
      if (this.ctx.exclude(childRel, st.isDirectory())) continue;
      // Most entries of an unchanged tree are settled on the spot, without a promise each.
      const quick = this.quickEntry(name, st, olds.get(name));
      if (quick !== SLOW) {
        parts.push(quick);
        continue;
      }
      try {
        if (st.isFile()) {
          // walkEntry's file case without its promises: two async frames and their awaits per
          // file were a fifth of what the coordinator allocated in a backup of tiny files.
          this.checkAbort();
          const node = this.fileNode(child, metaFromStat(name, st), st, olds.get(name));
          parts.push(this.guard(child, node));
          if (this.batchFull()) await this.send();
        } else {
          const entry = await this.walkEntry(child, name, childRel, st, olds.get(name));
          parts.push(this.guard(child, entry.later));
        }
      } catch (err) {
        if (err instanceof StrataError) throw err;
        this.ctx.warn({ path: child, kind: 'skipped', message: (err as Error).message });
      }
    }
  }

  /** Turns an entry's non-fatal failure into a warning; fatal ones (StrataError) propagate. */
  private guard(path: string, p: Promise<TreeNode | undefined>): Promise<TreeNode | undefined> {
    return p.catch((err: unknown) => {
      if (err instanceof StrataError) throw err;
      this.ctx.warn({ path, kind: 'skipped', message: (err as Error).message });
      return undefined;
    });
  }

  /**
   * The entries that need no reading and no waiting: unchanged files, symlinks, specials.
   * SLOW for anything else.
   */
  private quickEntry(
    name: string,
    st: BigIntStats,
    old: TreeNode | undefined,
  ): TreeNode | typeof SLOW {
    if (st.isSymbolicLink() || st.isDirectory()) return SLOW;
    if (!st.isFile()) return metaFromStat(name, st);
    const { counts, progress, change } = this.ctx;
    if (
      !isUnchanged(old, st, this.ctx.parentStartNs, change) ||
      !old?.content?.every((id) => this.ctx.saver.known(id))
    ) {
      return SLOW;
    }
    const size = Number(st.size);
    counts.filesUnchanged++;
    counts.totalBytes += size;
    progress.filesDone++;
    progress.bytesDone += size;
    if (sameMeta(old, st)) return old;
    const meta = metaFromStat(name, st);
    // Keep the times and inode that go with the stored content: when they were ignored to
    // call the file unchanged, the next normal backup must still see the difference.
    return {
      ...meta,
      ctime: change.ignoreCtime ? old.ctime : meta.ctime,
      inode: change.ignoreInode ? old.inode : meta.inode,
      size: old.size,
      content: old.content,
    };
  }

  /**
   * A file to read: queued for the workers (see batchFull), or waiting for the other link of
   * its inode already queued. Resolves to its node once its content is stored.
   */
  private fileNode(
    path: string,
    meta: ReturnType<typeof metaFromStat>,
    st: BigIntStats,
    old: TreeNode | undefined,
  ): Promise<TreeNode | undefined> {
    const { counts, progress } = this.ctx;
    const linkKey = st.nlink > 1n ? `${st.dev}:${st.ino}` : undefined;
    const seen = linkKey ? this.hardlinks.get(linkKey) : undefined;
    if (seen) {
      return seen.then((c): TreeNode | undefined => {
        if (!c) return undefined;
        if (old?.type !== 'file') counts.filesNew++;
        else if (old.content?.join() !== c.content.join()) counts.filesChanged++;
        else counts.filesUnchanged++;
        counts.totalBytes += c.size;
        return { ...meta, ...c };
      });
    }
    const outcome = this.enqueue(path, st);
    const node = outcome.then((o): TreeNode | undefined => {
      progress.filesDone++;
      if (!o.ok) {
        this.ctx.warn({ path, kind: 'skipped', message: o.message });
        return undefined;
      }
      if (old?.type === 'file') counts.filesChanged++;
      else counts.filesNew++;
      counts.totalBytes += o.size;
      counts.bytesRead += o.size;
      const stored: TreeNode = {
        ...meta,
        mtime: o.before.mtimeNs,
        ctime: o.before.ctimeNs,
        inode: o.before.ino,
        size: o.size,
        content: o.content,
      };
      if (!o.changed) return stored;
      counts.filesChangedDuringBackup++;
      this.ctx.warn({
        path,
        kind: 'changed',
        message: 'changed while it was read: the stored copy may mix old and new content',
      });
      return { ...stored, changed: true };
    });
    if (linkKey) {
      const content = node.then((n) => n && { size: n.size!, content: n.content! });
      this.hardlinks.set(
        linkKey,
        content.catch(() => undefined),
      );
    }
    return node;
  }

  /** Adds a file to the batch for the workers; send it when batchFull. */
  private enqueue(path: string, st: BigIntStats): Promise<FileOutcome> {
    this.ctx.progress.currentFile = path;
    this.batchBytes += Number(st.size);
    return new Promise<FileOutcome>((resolve, reject) => {
      this.batch.push({ path, ino: st.ino.toString(), resolve, reject });
    });
  }

  /** Whether the batch is full (by count or bytes) and must be sent: ask after each enqueue. */
  private batchFull(): boolean {
    return this.batch.length >= BATCH_FILES || this.batchBytes >= BATCH_BYTES;
  }

  /** Sends the current batch to the pool, waiting while too many batches are out. */
  async send(): Promise<void> {
    if (this.batch.length === 0) return;
    const items = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    while (this.outstanding >= this.maxOutstanding)
      await new Promise<void>((r) => this.waiting.push(r));
    if (this.ctx.pause) await this.ctx.pause.wait();
    this.checkAbort();
    this.outstanding++;
    const pending = new Map<number, number>();
    const onBlob = async (e: BlobEvent) => {
      if (this.ctx.signal?.aborted)
        throw new StrataError('INTERRUPTED', 'the backup was interrupted');
      this.ctx.progress.bytesDone += e.rawLength;
      pending.set(e.file, (pending.get(e.file) ?? 0) + e.rawLength);
      await this.ctx.saver.addSealed(e as BlobEvent & { sealed: Buffer });
    };
    this.ctx.pool
      .run({ kind: 'chunk-files', files: items.map(({ path, ino }) => ({ path, ino })) }, onBlob)
      .then(
        (outcomes) =>
          items.forEach((item, i) => {
            const o = outcomes[i]!;
            // Progress counted the new blobs as they came; add the rest of the file.
            if (o.ok) this.ctx.progress.bytesDone += o.size - (pending.get(i) ?? 0);
            item.resolve(o);
          }),
        (err: unknown) => {
          this.failure ??= err;
          for (const item of items) item.reject(err);
        },
      )
      .finally(() => {
        this.outstanding--;
        this.waiting.shift()?.();
      });
  }
}
