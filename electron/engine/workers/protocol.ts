/**
 * The typed protocol between the coordinator and its worker threads.
 *
 * Down: `{seq, request}` starts a task; `{kind: 'credit'}` returns flow-control credit;
 * `{kind: 'index'}` hands over the index's new shared buffers after it grew.
 * Up: `{seq, event}` streams a sealed blob of a running task, then `{seq, result}` or
 * `{seq, error: {name, message, code}}` ends it. Buffers are transferred, never copied.
 */
import type { ChunkerParams } from '../repository/config';
import type { BlobType } from '../repository/blob';
import type { IndexBuffers } from '../repository/master-index';

/** What every worker gets at start. */
export interface WorkerInit {
  readonly key: {
    readonly encryption: Uint8Array;
    readonly id: Uint8Array;
    readonly chunker: Uint8Array;
  };
  readonly chunker: ChunkerParams;
  readonly index: IndexBuffers;
  /** One Int32: how many workers sit idle. A worker reading a large file then hands some of
   *  its chunks up unsealed, for an idle one to seal: large files use every core. */
  readonly idle: SharedArrayBuffer;
  /** Sealed bytes a worker may have sent before it waits for credit. */
  readonly creditBytes: number;
  /** Whether the process keeps young generations small (memory.ts): a starting worker thread
   *  resets V8's flags to their defaults, process-wide, so each worker sets it again. */
  readonly smallYoung: boolean;
}

/** A file to read, chunk, hash, compress and seal. */
export interface FileTask {
  readonly path: string;
  /** The inode the walk saw: a file replaced since then is not read. */
  readonly ino: string;
}

/** The times and identity of a file as read (decimal strings: nanoseconds, inode). */
export interface StatStamp {
  readonly size: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly ino: string;
}

export type FileOutcome =
  | {
      readonly ok: true;
      readonly size: number;
      readonly content: readonly string[];
      readonly before: StatStamp;
      readonly changed: boolean;
    }
  | { readonly ok: false; readonly message: string; readonly code?: string };

/** One blob of a pack range to open and write to its places in restored files. */
/**
 * Where a blob goes. `create`: the file does not exist yet and this blob is all of it: the
 * worker creates it (O_EXCL, O_NOFOLLOW) at that size as it writes, one open instead of two.
 */
export interface RestoreTarget {
  readonly path: string;
  readonly offset: number;
  /** The size of a file to create (O_EXCL) as this blob is written: its only blob. */
  readonly create?: number;
  /** With create: the file's metadata, applied once it is written, before it is closed. */
  readonly meta?: FileMeta;
}

/** Owner, mode and times (seconds) of a restored file. */
export interface FileMeta {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly atime: number;
  readonly mtime: number;
}

export interface RestoreBlob {
  readonly id: string;
  readonly type: BlobType;
  readonly compressed: boolean;
  readonly rawLength: number;
  /** Position of the sealed blob in the range's bytes. */
  readonly at: number;
  readonly length: number;
  readonly targets: readonly RestoreTarget[];
}

export type Request =
  | { readonly kind: 'chunk-files'; readonly files: readonly FileTask[] }
  | {
      readonly kind: 'restore-blobs';
      readonly pack: string;
      readonly data: Uint8Array;
      readonly blobs: readonly RestoreBlob[];
      /** A retry after a worker died: files it was to create may exist (no O_EXCL). */
      readonly again?: boolean;
    }
  | { readonly kind: 'hash-files'; readonly paths: readonly string[] }
  | {
      readonly kind: 'create-files';
      readonly files: readonly { readonly path: string; readonly size: number }[];
    }
  | { readonly kind: 'crash' };

export interface ResultOf {
  'chunk-files': readonly FileOutcome[];
  'restore-blobs': {
    readonly failed: readonly { readonly id: string; readonly message: string }[];
    /** Files to create that could not be (path, why): nothing was written to them. */
    readonly notCreated: readonly { readonly path: string; readonly message: string }[];
    /** Files of several blobs (made before) that could not be opened to write (path, why). */
    readonly unwritten: readonly { readonly path: string; readonly message: string }[];
    readonly bytesWritten: number;
    /**
     * The range's bytes when they were transferred here (a range longer than the coordinator's
     * shared read buffers), handed back the same way: the coordinator's GC need not free them.
     */
    readonly data?: Uint8Array;
  };
  'hash-files': readonly (
    | { readonly ok: true; readonly size: number; readonly ids: readonly string[] }
    | { readonly ok: false; readonly message: string }
  )[];
  /** One entry per file: undefined when created, else why not. */
  'create-files': readonly (string | undefined)[];
  crash: never;
}

/** A new blob found while chunking: sealed, ready to pack. */
export interface BlobEvent {
  /** The file of the task's list the blob belongs to. */
  readonly file: number;
  readonly id: string;
  readonly type: BlobType;
  readonly sealed: Uint8Array;
  readonly rawLength: number;
  readonly compressed: boolean;
  /** True: `sealed` holds the plaintext, for another thread to seal (see WorkerInit.idle). */
  readonly raw?: boolean;
}

export type Down =
  | { readonly kind: 'task'; readonly seq: number; readonly request: Request }
  | { readonly kind: 'credit'; readonly bytes: number }
  | { readonly kind: 'index'; readonly buffers: IndexBuffers }
  /** Seal one blob now, ahead of any queued task. */
  | {
      readonly kind: 'seal';
      readonly seq: number;
      readonly id: string;
      readonly plain: Uint8Array;
    };

export type Up =
  | {
      readonly kind: 'sealed';
      readonly seq: number;
      readonly sealed: Uint8Array;
      readonly compressed: boolean;
    }
  | {
      readonly kind: 'events';
      readonly seq: number;
      /** The sealed bytes of every blob listed, back to back. */
      readonly data: Uint8Array;
      readonly blobs: readonly (Omit<BlobEvent, 'sealed'> & { at: number; length: number })[];
    }
  | { readonly kind: 'result'; readonly seq: number; readonly result: unknown }
  | {
      readonly kind: 'error';
      readonly seq: number;
      readonly error: { name: string; message: string; code?: string };
    };

/** True when a view spans its whole ArrayBuffer, so the buffer can be transferred. */
export function ownsBuffer(view: Uint8Array): boolean {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
}

/**
 * The view itself when it owns its buffer, else a copy that does. Small Node buffers are
 * slices of a shared 8 KiB pool that cannot be transferred: posting one would clone the
 * whole slab.
 */
export function ownBuffer(view: Uint8Array): Uint8Array {
  if (ownsBuffer(view)) return view;
  const copy = new Uint8Array(view.byteLength);
  copy.set(view);
  return copy;
}
