/**
 * The catalog's plain-data types: what its methods take and return, in the app's main process
 * and across the worker boundary alike (nothing here is a class or holds a handle).
 */
import type { NodeType } from '../../engine/repository/tree';
import type { BackupSummary } from '../../engine/repository/snapshot';

export const RUN_KINDS = ['backup', 'prune', 'verify', 'check'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RUN_OUTCOMES = ['ok', 'warning', 'failed', 'cancelled'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Named numbers: files new/changed/unchanged, bytes added/stored, and so on. */
export type Figures = Readonly<Record<string, number>>;

export interface RunStart {
  readonly jobId: string;
  readonly destinationId?: string | null;
  readonly kind: RunKind;
  /** ISO time; default now. */
  readonly started?: string;
}

export interface RunEnd {
  readonly outcome: RunOutcome;
  /** ISO time; default now. */
  readonly finished?: string;
  readonly counts?: Figures;
  readonly bytes?: Figures;
  readonly warnings?: number;
  readonly error?: string | null;
  readonly snapshotId?: string | null;
}

export interface Run {
  readonly id: number;
  readonly jobId: string;
  readonly destinationId: string | null;
  readonly kind: RunKind;
  readonly started: string;
  /** Null while the run is going (or when the app stopped before it ended). */
  readonly finished: string | null;
  readonly outcome: RunOutcome | null;
  readonly counts: Figures | null;
  readonly bytes: Figures | null;
  readonly warnings: number;
  readonly error: string | null;
  readonly snapshotId: string | null;
}

export interface LogLine {
  readonly level: LogLevel;
  readonly time: string;
  readonly text: string;
}

/** A snapshot as the catalog caches it. */
export interface CachedSnapshot {
  readonly destinationId: string;
  readonly id: string;
  /** Position in the destination's time order (gaps where snapshots were forgotten). */
  readonly seq: number;
  readonly time: string;
  readonly host: string;
  readonly username: string;
  readonly paths: readonly string[];
  readonly tags: readonly string[];
  readonly tree: string;
  readonly summary: BackupSummary | null;
  readonly pinned: boolean;
  /** False when its trees could not be read: it is listed but cannot be browsed. */
  readonly indexed: boolean;
}

/** One entry of a folder in one snapshot. */
export interface FolderEntry {
  readonly name: string;
  readonly type: NodeType;
  /** Files: bytes. */
  readonly size: number | null;
  /** Milliseconds since the epoch. */
  readonly mtime: number | null;
}

export interface SnapshotRef {
  readonly id: string;
  readonly time: string;
}

/** One distinct content of a path, with the snapshots that hold it. */
export interface FileVersion {
  readonly type: NodeType;
  readonly size: number | null;
  /** The modification time in the newest snapshot that holds this content. */
  readonly mtime: number | null;
  /** Oldest first. */
  readonly snapshots: readonly SnapshotRef[];
  readonly first: string;
  readonly last: string;
}

export interface SearchHit {
  readonly destinationId: string;
  readonly path: string;
  readonly type: NodeType;
  /** Oldest first. */
  readonly snapshots: readonly SnapshotRef[];
}

/** What a sync did. */
export interface SyncResult {
  readonly added: number;
  readonly removed: number;
  /** True when the destination's path index was rebuilt (an older snapshot arrived). */
  readonly reindexed: boolean;
  /** Snapshots the repository could not read (named, skipped). */
  readonly problems: readonly { readonly name: string; readonly message: string }[];
}

/** Row counts and the file's size in bytes. */
export interface CatalogStats {
  readonly jobs: number;
  readonly runs: number;
  readonly snapshots: number;
  readonly paths: number;
  readonly versions: number;
  readonly bytes: number;
}

/** Defined with the contract, which shows it on the dashboard. */
export type { DestinationUsage } from '../../../shared/contract/state';
