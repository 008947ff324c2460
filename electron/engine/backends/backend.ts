/**
 * The Backend port: the only way the engine touches storage.
 *
 * Shaped after what object stores guarantee, so S3, SFTP and rclone adapters fit: no rename, no
 * append, no overwrite, listings that may lag behind writes. Files are immutable once written
 * and are addressed by a kind (a top-level folder) and a name (lowercase hex, no separators).
 *
 * Errors are StrataErrors: NOT_FOUND (no such file), ALREADY_EXISTS (write to a taken name),
 * NO_SPACE, PERMISSION_DENIED, BACKEND_UNAVAILABLE (the destination cannot be reached at all,
 * e.g. an unplugged drive), REPO_NOT_FOUND (no repository at this location).
 */

/**
 * The kinds of file a repository holds; each is a folder of its own. `locks` holds prune locks
 * and the session markers of running backups, `marks` prune's record of packs marked for
 * deletion, `pins` the snapshots that forget must keep.
 */
export const FILE_KINDS = [
  'config',
  'keys',
  'data',
  'index',
  'snapshots',
  'locks',
  'marks',
  'pins',
] as const;

/** Kinds added after format v1 was first written: their folders may be missing, made on use. */
export const LATER_KINDS: readonly FileKind[] = ['marks', 'pins'];
export type FileKind = (typeof FILE_KINDS)[number];

/** Names one stored file. For kind 'config' the name is always 'config'. */
export interface FileHandle {
  readonly kind: FileKind;
  readonly name: string;
}

/** What list and stat return. */
export interface FileInfo {
  readonly name: string;
  readonly size: number;
}

/** A byte range of a stored file. */
export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export interface Backend {
  /** Where the repository lives, for messages (never contains credentials). */
  readonly location: string;

  /** Makes the empty layout. Fails with REPO_EXISTS when a config file is already there. */
  create(): Promise<void>;

  /** Lists the files of one kind (order unspecified; temporary files are never listed). */
  list(kind: FileKind): Promise<FileInfo[]>;

  /** Size of one file; NOT_FOUND when it does not exist. */
  stat(handle: FileHandle): Promise<FileInfo>;

  /**
   * Reads a whole file, or a range of it. A range that runs past the end of the file fails
   * with REPO_CORRUPT (a short read means a damaged file, never a silent short buffer).
   * `into`, optional, at least range.length bytes: a backend may read the range into it and
   * return a view of it (a restore reuses its read buffers); it may also ignore it.
   */
  read(handle: FileHandle, range?: ByteRange, into?: Buffer): Promise<Buffer>;

  /**
   * A small range, read synchronously where that is cheaper than a round trip (a local disk:
   * a no-change backup reads hundreds of tree blobs, each open-read-close through the
   * threadpool otherwise). Undefined when the backend cannot, or on any failure: the caller
   * then uses read(), which reports the failure properly.
   */
  readSmallSync?(handle: FileHandle, range: ByteRange): Buffer | undefined;

  /**
   * Stores a file atomically: after a crash it either exists whole or not at all. Never
   * overwrites: a taken name fails with ALREADY_EXISTS. `data` may come in parts (a pack's
   * blobs), written one after the other, so callers need not join them into one copy.
   */
  write(handle: FileHandle, data: Uint8Array | readonly Uint8Array[]): Promise<void>;

  /**
   * Optional: a data file written piece by piece and named once complete (a pack is named by
   * the hash of its bytes), so its bytes need not all be held in memory until then. Same
   * guarantees as write(): invisible until committed, never overwriting, durable on commit.
   */
  openPartial?(kind: 'data'): Promise<PartialFile>;

  /** Deletes a file; NOT_FOUND when it does not exist. */
  remove(handle: FileHandle): Promise<void>;

  /**
   * Optional: temporary files a crash left behind (a pack being written, a file being stored)
   * not modified for `olderThanMs`, removed unless `remove` is false. Backends whose writes
   * cannot leave such files (a single PUT) need not have it. A live writer touches its temp
   * file at least every few MiB (a pack is appended every 2 MiB), so a day-old one is dead;
   * removing one a stalled writer still held would fail that write, never lose stored data:
   * temp files are never named by an index.
   */
  sweepTemp?(options: { olderThanMs: number; remove: boolean }): Promise<TempSweep>;

  /** Releases connections; the backend is unusable afterwards. */
  close(): Promise<void>;
}

/** What Backend.sweepTemp found: stale temp files, and how many of them it removed. */
export interface TempSweep {
  readonly files: number;
  readonly bytes: number;
  readonly removed: number;
}

/** Temp files untouched for this long are a crash's leftovers (prune removes them). */
export const STALE_TEMP_MS = 24 * 60 * 60 * 1000;

/** A file being written in pieces (Backend.openPartial). */
export interface PartialFile {
  /** Appends bytes after those appended before. */
  append(parts: readonly Uint8Array[]): Promise<void>;
  /** Makes the file durable and visible under `name`; ALREADY_EXISTS if the name is taken. */
  commit(name: string): Promise<void>;
  /** Deletes what was written (best effort: a leftover is never listed). */
  abort(): Promise<void>;
}
