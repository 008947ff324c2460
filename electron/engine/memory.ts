/**
 * Process-wide memory policy for the engine's threads (V8 flags are per process, not per thread).
 *
 * Two things kept Strata's peak memory at ~3x restic's on a 1 GiB backup:
 * - V8 grows each thread's young generation up to 2 x 16 MiB when many objects survive a
 *   scavenge (a backup's tree nodes do), and never gives it back while the run lasts.
 * - A Buffer's bytes live outside the V8 heap and are freed only when V8 collects the Buffer
 *   object. A worker allocates few objects per MiB it seals, so scavenges are rare and tens of
 *   MiB of dead compressed/sealed blobs wait for one (V8 only steps in at ~64 MiB per thread).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor' | 'major' }) => void;
let collect: Collect | null | undefined;
let smallYoung = false;

/**
 * Keeps every thread's young generation at its initial size (1 MiB semi-spaces): call before
 * starting work. Measured on the 1 GiB bench, no slower: the engine's survivors are few and
 * scavenges of a small space are cheap.
 */
export function keepYoungGenerationSmall(): void {
  // Read by V8 at each growth decision, so it applies to the running thread too. Starting a
  // worker thread resets V8's flags (all threads'): workers call this again (WorkerInit).
  setFlagsFromString('--semi-space-growth-factor=1');
  smallYoung = true;
}

/** Whether keepYoungGenerationSmall was called in this thread. */
export function youngGenerationKeptSmall(): boolean {
  return smallYoung;
}

/**
 * Runs a scavenge now, so the Buffers that died young (blobs sealed, packed and written) free
 * their bytes at once rather than at the next GC. ~0.1 ms with a small young generation; call
 * it every few MiB of data, not per blob.
 */
export function releaseDeadBuffers(): void {
  if (collect === undefined) {
    try {
      // `gc` is installed in contexts made after the flag is set: a fresh one has it.
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  collect?.({ type: 'minor' });
}

/** Calls releaseDeadBuffers once every `every` bytes counted. */
export class ReleaseEvery {
  private since = 0;
  constructor(private readonly every: number) {}

  count(bytes: number): void {
    this.since += bytes;
    if (this.since < this.every) return;
    this.since = 0;
    releaseDeadBuffers();
  }
}
