/**
 * Restore: preview what a restore would write and overwrite, then start it; progress and the
 * summary arrive as events carrying the restore id.
 */
import { z } from 'zod';
import { IdSchema } from '../jobs';

export const CONFLICT_POLICIES = ['overwrite', 'keep-both', 'skip-if-newer'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

export const RestoreTargetSchema = z.discriminatedUnion('kind', [
  /** Where the files were backed up from. */
  z.strictObject({ kind: z.literal('original') }),
  /** A folder: paths keep their place below it. */
  z.strictObject({ kind: z.literal('folder'), path: z.string().min(1, 'choose a folder') }),
]);
export type RestoreTarget = z.infer<typeof RestoreTargetSchema>;

export const RestoreArgs = z.strictObject({
  jobId: IdSchema,
  destinationId: IdSchema,
  snapshotId: z.string().regex(/^[0-9a-f]{8,64}$/, 'a snapshot id (hex digits)'),
  /** Snapshot paths to restore (files or folders); empty restores the whole snapshot. */
  paths: z.array(z.string().startsWith('/', 'a path in the snapshot')).default([]),
  target: RestoreTargetSchema,
  /**
   * When a file is in the way: overwrite it; keep both (the restored copy goes next to it with
   * the date in its name); or skip it when it is newer than the snapshot's copy.
   */
  conflict: z.enum(CONFLICT_POLICIES).default('keep-both'),
});
export type RestoreRequest = z.output<typeof RestoreArgs>;

export type RestoreAction = 'create' | 'overwrite' | 'keep-both' | 'skip' | 'same';

/** One file a restore would touch. */
export interface RestoreItem {
  /** Where it would be written (absolute, on this computer). */
  readonly path: string;
  readonly action: RestoreAction;
  readonly size: number;
  /** keep-both: the name the restored copy gets. */
  readonly renamedTo?: string;
}

export interface RestorePreview {
  readonly files: number;
  readonly bytes: number;
  /** Counts per action. */
  readonly actions: Readonly<Record<RestoreAction, number>>;
  /** Files touched, conflicts first; at most 2000 (see truncated). */
  readonly items: readonly RestoreItem[];
  readonly truncated: boolean;
}

export interface RestoreSummary {
  readonly restoreId: string;
  readonly outcome: 'ok' | 'warning' | 'failed';
  readonly files: number;
  readonly bytes: number;
  readonly skipped: number;
  /** keep-both: restored copies written next to existing files. */
  readonly keptBoth: readonly { readonly path: string; readonly restoredAs: string }[];
  readonly problems: readonly { readonly path: string; readonly message: string }[];
  /** Set when the restore failed as a whole. */
  readonly error?: { readonly code: string; readonly message: string };
}
