/**
 * Browsing the past: snapshots of a destination, a folder in one of them, every version of a
 * file, search by name across versions, and what changed between two snapshots. All but diff
 * come from the catalog (fast, local); diff reads the repository's trees.
 */
import { z } from 'zod';
import { IdSchema } from '../jobs';

const SnapshotId = z.string().regex(/^[0-9a-f]{8,64}$/, 'a snapshot id (hex digits)');
const SnapshotPath = z.string().startsWith('/', 'a path in the snapshot, starting with "/"');

export const SnapshotsListArgs = z.strictObject({
  jobId: IdSchema,
  /** Default: every destination of the job. */
  destinationId: IdSchema.optional(),
});
/** Reads the destination's snapshots from the repository into the catalog (a new computer). */
export const SnapshotsRefreshArgs = z.strictObject({ jobId: IdSchema, destinationId: IdSchema });

/** The engine's node types (electron/engine/repository/tree.ts). */
export type EntryType = 'file' | 'dir' | 'symlink' | 'chardev' | 'blockdev' | 'fifo' | 'socket';

export interface SnapshotView {
  readonly destinationId: string;
  readonly id: string;
  readonly time: string;
  readonly host: string;
  readonly paths: readonly string[];
  readonly tags: readonly string[];
  readonly pinned: boolean;
  /** False when its folders could not be read: listed, not browsable. */
  readonly indexed: boolean;
  readonly files?: number;
  readonly bytes?: number;
  readonly bytesAdded?: number;
}

export const BrowseFolderArgs = z.strictObject({
  destinationId: IdSchema,
  snapshotId: SnapshotId,
  path: SnapshotPath,
});

export interface FolderEntryView {
  readonly name: string;
  readonly type: EntryType;
  readonly size: number | null;
  /** Epoch ms. */
  readonly mtime: number | null;
}

export const BrowseVersionsArgs = z.strictObject({
  destinationId: IdSchema,
  path: SnapshotPath,
});

export interface SnapshotRefView {
  readonly id: string;
  readonly time: string;
}

/** One distinct content of a file, with the snapshots holding it (oldest first). */
export interface FileVersionView {
  readonly type: EntryType;
  readonly size: number | null;
  readonly mtime: number | null;
  readonly snapshots: readonly SnapshotRefView[];
  readonly first: string;
  readonly last: string;
}

export const BrowseSearchArgs = z.strictObject({
  /** Default: every destination. */
  destinationId: IdSchema.optional(),
  /** A glob on names, or on paths when it holds "/". */
  pattern: z.string().min(1, 'type part of a name').max(1000),
  limit: z.number().int().min(1).max(10_000).default(500),
});

export interface SearchHitView {
  readonly destinationId: string;
  readonly path: string;
  readonly type: EntryType;
  readonly snapshots: readonly SnapshotRefView[];
}

export const BrowseDiffArgs = z.strictObject({
  jobId: IdSchema,
  destinationId: IdSchema,
  /** The older snapshot. */
  from: SnapshotId,
  to: SnapshotId,
  /** At most this many changes listed (totals count them all). */
  limit: z.number().int().min(1).max(100_000).default(5000),
});

export type DiffKind = 'added' | 'removed' | 'changed' | 'metadata' | 'type';

export interface DiffChange {
  readonly kind: DiffKind;
  readonly path: string;
  readonly type: EntryType;
  readonly sizeBefore: number | null;
  readonly sizeAfter: number | null;
}

export interface DiffResult {
  readonly changes: readonly DiffChange[];
  readonly totals: Readonly<Record<DiffKind, number>>;
  /** Bytes of files added or grown minus bytes removed or shrunk. */
  readonly bytesDelta: number;
  /** What grew the backup most: added or changed files by growth, largest first (at most 20). */
  readonly grown: readonly { readonly path: string; readonly bytes: number }[];
  readonly truncated: boolean;
}
