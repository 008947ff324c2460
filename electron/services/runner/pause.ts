/**
 * Pause and resume for a running job: the backup waits at its next batch of files while paused
 * (work already handed to the workers finishes first).
 */
import type { PauseGate } from '../../engine/backup/archiver';

export class Pause implements PauseGate {
  private release: (() => void) | undefined;
  private gate: Promise<void> | undefined;

  get paused(): boolean {
    return this.gate !== undefined;
  }

  pause(): void {
    if (this.gate) return;
    this.gate = new Promise((r) => (this.release = r));
  }

  resume(): void {
    const release = this.release;
    this.gate = undefined;
    this.release = undefined;
    release?.();
  }

  wait(): Promise<void> {
    return this.gate ?? Promise.resolve();
  }
}
