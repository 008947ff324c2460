/**
 * Snapshots: the root of one backup. Written last, after the packs and index files that hold
 * everything it references, so a snapshot that exists is always complete.
 */
export const SNAPSHOT_VERSION = 1;

/** What a backup did, stored in its snapshot. */
export interface BackupSummary {
  readonly filesNew: number;
  readonly filesChanged: number;
  readonly filesUnchanged: number;
  readonly dirsNew: number;
  readonly dirsChanged: number;
  readonly dirsUnchanged: number;
  readonly filesChangedDuringBackup: number;
  readonly warnings: number;
  /** Bytes of file content the backup covered (new, changed and unchanged files). */
  readonly totalBytes: number;
  /** Bytes of file content that were read. */
  readonly bytesRead: number;
  /** New blobs: their plaintext bytes, and what they took in the repository. */
  readonly blobsAdded: number;
  readonly bytesAdded: number;
  readonly bytesStored: number;
  readonly started: string;
  readonly finished: string;
}

export interface Snapshot {
  readonly version: number;
  readonly time: string;
  readonly host: string;
  readonly username: string;
  readonly uid: number;
  readonly gid: number;
  readonly paths: readonly string[];
  readonly tags: readonly string[];
  readonly excludes: readonly string[];
  readonly parent?: string;
  readonly tree: string;
  readonly program: string;
  readonly summary: BackupSummary;
}

/** A snapshot with its id. */
export interface SnapshotRecord {
  readonly id: string;
  readonly snapshot: Snapshot;
}

/** Checks the shape of a decrypted snapshot. */
export function validateSnapshot(value: unknown, what: string): Snapshot {
  const s = value as Snapshot;
  if (
    !s ||
    typeof s.time !== 'string' ||
    Number.isNaN(Date.parse(s.time)) ||
    typeof s.tree !== 'string' ||
    !Array.isArray(s.paths) ||
    typeof s.host !== 'string'
  ) {
    throw new Error(`${what}: malformed`);
  }
  if (s.version > SNAPSHOT_VERSION) {
    throw new Error(`${what}: written by a newer Strata (snapshot version ${s.version})`);
  }
  return { ...s, tags: s.tags ?? [], excludes: s.excludes ?? [] };
}
