/**
 * What a backup reports while it runs and when it ends.
 */

/** A file or folder that could not be backed up (or was backed up with a caveat). */
export interface BackupWarning {
  readonly path: string;
  readonly message: string;
  /** 'skipped': not in the snapshot; 'changed': in it, but it changed while it was read. */
  readonly kind: 'skipped' | 'changed';
}

export interface BackupProgress {
  readonly phase: 'scanning' | 'backing-up' | 'finishing' | 'done';
  readonly filesDone: number;
  readonly bytesDone: number;
  /** From a concurrent scan of the sources; undefined until the scan finishes. */
  readonly filesTotal?: number;
  readonly bytesTotal?: number;
  readonly currentFile?: string;
  readonly elapsedMs: number;
  /** Bytes per second over the whole run. */
  readonly throughput: number;
  readonly etaMs?: number;
}

/** Tracks counters and turns them into progress events. */
export class ProgressTracker {
  filesDone = 0;
  bytesDone = 0;
  filesTotal: number | undefined;
  bytesTotal: number | undefined;
  currentFile: string | undefined;
  private readonly started = Date.now();

  snapshot(phase: BackupProgress['phase']): BackupProgress {
    const elapsedMs = Date.now() - this.started;
    const throughput = elapsedMs > 0 ? (this.bytesDone * 1000) / elapsedMs : 0;
    let etaMs: number | undefined;
    if (this.bytesTotal !== undefined && throughput > 0) {
      etaMs = Math.max(0, ((this.bytesTotal - this.bytesDone) / throughput) * 1000);
    }
    return {
      phase,
      filesDone: this.filesDone,
      bytesDone: this.bytesDone,
      filesTotal: this.filesTotal,
      bytesTotal: this.bytesTotal,
      currentFile: this.currentFile,
      elapsedMs,
      throughput,
      etaMs,
    };
  }
}
