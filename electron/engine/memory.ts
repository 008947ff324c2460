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
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: { type: 'minor' }) => void;
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
  gc()?.({ type: 'minor' });
}

function gc(): Collect | null {
  if (collect === undefined) {
    try {
      // `gc` is installed in contexts made after the flag is set: a fresh one has it.
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/** The heap in use after this thread's last collectIfGrown collection. */
let live = 0;

/**
 * A full collection once the heap has grown `slack` bytes past what was live at the last one.
 * With small young generations more short-lived objects (a folder's nodes, a range's plan)
 * reach the old generation, and V8 let it fill with ~20 MiB of them before collecting (and
 * keeps the pages it grew into). Cheap to call often (no system call); each collection of the
 * coordinator's heap takes a few ms.
 */
export function collectIfGrown(slack = 8 * 1024 * 1024): void {
  const used = getHeapStatistics().used_heap_size;
  if (used < live + slack) return;
  // Without options: gc({ type: 'major' }) left most dead objects in place here (V8 11.3).
  gc()?.();
  live = getHeapStatistics().used_heap_size;
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

/**
 * Checks the heap (collectIfGrown) every `ms` while a backup runs; returns the
 * function that stops it. A timer sees every phase, where calls from the code paths missed
 * the garbage of some (the end of a walk made 20 MiB in a second without adding a blob).
 */
export function watchHeap(ms = 50): () => void {
  const timer = setInterval(() => collectIfGrown(), ms);
  timer.unref();
  return () => clearInterval(timer);
}
