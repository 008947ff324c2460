/**
 * The setup wizard's helpers: size the sources and suggest exclusions, check a destination
 * folder, and preview what a retention policy keeps.
 */
import { z } from 'zod';
import { IdSchema, RetentionPolicySchema, RetentionSchema } from '../jobs';

export const SourcesPreviewArgs = z.strictObject({
  paths: z.array(z.string().min(1)).min(1, 'choose at least one folder'),
  excludes: z.array(z.string().min(1)).default([]),
});

/** A folder the wizard suggests leaving out, with what it would save. */
export interface ExclusionSuggestion {
  /** The exclude pattern to add, e.g. "node_modules/". */
  readonly pattern: string;
  /** Why: "build output of JavaScript projects, rebuilt by npm install". */
  readonly reason: string;
  readonly kind: 'cache' | 'trash' | 'dev' | 'temp';
  /** Some of the folders it matches (absolute). */
  readonly examples: readonly string[];
  readonly files: number;
  readonly bytes: number;
}

export interface SourcesPreview {
  readonly files: number;
  readonly folders: number;
  readonly bytes: number;
  /** Paths that could not be read (permissions), at most 50. */
  readonly unreadable: readonly string[];
  /** Source paths that do not exist. */
  readonly missing: readonly string[];
  readonly suggestions: readonly ExclusionSuggestion[];
  /** True when the walk stopped at its limit: the figures are a lower bound. */
  readonly truncated: boolean;
}

export const DestinationsCheckArgs = z.strictObject({ path: z.string().min(1) });

export interface DestinationCheck {
  readonly path: string;
  readonly exists: boolean;
  readonly isFolder: boolean;
  /** An existing folder with nothing in it. */
  readonly empty: boolean;
  /** It holds a Strata repository (a config file in the repository layout). */
  readonly repository: boolean;
  /** We can create files there (or create the folder in its parent). */
  readonly writable: boolean;
  /** Free space where it is (or would be), when the system says. */
  readonly freeBytes: number | null;
}

const SnapshotSample = z.strictObject({
  id: z.string().min(1).optional(),
  time: z.iso.datetime({ offset: true }),
  tags: z.array(z.string()).default([]),
  pinned: z.boolean().default(false),
});

export const RetentionPreviewArgs = z.strictObject({
  /** A job's retention (preset, custom, keep-all) or a bare policy. */
  retention: z.union([RetentionSchema, RetentionPolicySchema]),
  /** Snapshot times to judge; else the destination's snapshots; else a sample history. */
  snapshots: z.array(SnapshotSample).max(100_000).optional(),
  destinationId: IdSchema.optional(),
  /** IANA zone whose days and weeks count; default the system's. */
  timeZone: z.string().min(1).max(64).optional(),
});

export interface RetentionVerdict {
  readonly id: string;
  readonly time: string;
  readonly keep: boolean;
  /** Why it is kept ("daily snapshot", "pinned"); empty when removed. */
  readonly reasons: readonly string[];
}

export interface RetentionPreview {
  /** Newest first. */
  readonly verdicts: readonly RetentionVerdict[];
  readonly kept: number;
  readonly removed: number;
  /** Where the times came from. */
  readonly source: 'given' | 'destination' | 'sample';
  /** The policy in words ("keep 24 hourly, 30 daily..."). */
  readonly description: string;
}

/**
 * "I already have a backup": opens the repository in a folder with its password, to show what it
 * holds before a job is connected to it. Nothing is written and the password is not kept.
 */
export const RepositoryInspectArgs = z.strictObject({
  path: z.string().min(1, 'choose the folder that holds the backup'),
  password: z.string().min(1, 'enter the password of the backup').max(1024),
});

/** What an existing repository holds, in the terms the user knows. */
export interface RepositoryContents {
  readonly path: string;
  readonly snapshots: number;
  /** Computers that made its snapshots, most recent first. */
  readonly hosts: readonly string[];
  /** Folders its snapshots back up, newest snapshot's first. */
  readonly paths: readonly string[];
  /** Time of the newest and the oldest snapshot; null when it holds none. */
  readonly newest: string | null;
  readonly oldest: string | null;
  /** The newest snapshot's folders, split by whether they exist on this computer. */
  readonly newestPaths: { readonly here: readonly string[]; readonly missing: readonly string[] };
  /** Snapshots that could not be read (damaged files); the others are still counted. */
  readonly unreadable: number;
}
