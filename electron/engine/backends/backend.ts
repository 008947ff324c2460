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
   */
  read(handle: FileHandle, range?: ByteRange): Promise<Buffer>;

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

  /** Releases connections; the backend is unusable afterwards. */
  close(): Promise<void>;
}

/** A file being written in pieces (Backend.openPartial). */
export interface PartialFile {
  /** Appends bytes after those appended before. */
  append(parts: readonly Uint8Array[]): Promise<void>;
  /** Makes the file durable and visible under `name`; ALREADY_EXISTS if the name is taken. */
  commit(name: string): Promise<void>;
  /** Deletes what was written (best effort: a leftover is never listed). */
  abort(): Promise<void>;
}
