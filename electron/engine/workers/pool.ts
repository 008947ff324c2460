/**
 * A pool of worker threads for the CPU-heavy stages. The size follows the core count and can be
 * set; size 0 runs the same tasks inline (tests, or where threads cannot start).
 *
 * The coordinator takes part in restores (unless told not to): when every worker has its fill,
 * it runs the next restore range itself. A restore's coordinator otherwise mostly waits on the
 * disk, so a restore pool can have one worker fewer than cores (restoreWorkers) and keep its
 * speed, and a worker isolate costs ~20 MiB idle, ~45 MiB busy: on a 2-core machine a quarter
 * of a large restore's peak memory. Backups do not do this: sealing on the coordinator was
 * tried and cost more than it saved (docs/engine.md: its blob-sized garbage lands in the main
 * arena, which glibc cannot trim past live allocations; ~1.3x the time for -20 to -40 MiB).
 *
 * Each worker runs its tasks in order; the pool keeps up to two tasks queued per worker so a
 * worker never idles between tasks. A worker that crashes is replaced and its tasks are sent
 * again (a request is never transferred, so it can be resent; only results are transferred).
 * Blobs streamed up by a task are acknowledged once the caller's handler has taken them: that
 * credit is what bounds the bytes in flight.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { makeChunker } from '../chunker/fastcdc';
import type { MasterKey } from '../crypto/master-key';
import { youngGenerationKeptSmall } from '../memory';
import { sealBlob } from '../repository/blob';
import type { ChunkerParams } from '../repository/config';
import type { IndexBuffers, MasterIndex } from '../repository/master-index';
import { ownsBuffer } from './protocol';
import type { BlobEvent, Down, Request, ResultOf, Up, WorkerInit } from './protocol';
import { runTask, type TaskContext } from './tasks';

export interface PoolOptions {
  /** Number of worker threads; default: one per core. 0 runs tasks inline. */
  readonly size?: number;
  /** Sealed bytes a worker may have unacknowledged. */
  readonly creditBytes?: number;
  /** Start every thread with the first task, not as the work grows (tests of sharing). */
  readonly startAll?: boolean;
  /** The coordinator runs restore ranges too when the workers are full (default true). */
  readonly coordinatorHelps?: boolean;
}

type EventHandler = (event: BlobEvent) => void | Promise<void>;

interface Pending {
  readonly seq: number;
  request: Request;
  readonly onEvent?: EventHandler;
  readonly transfer: ArrayBuffer[];
  /** The event handlers so far, chained: each message is handled after the one before. */
  events: Promise<void>;
  /** When it went to a worker (performance.now()). */
  sentAt?: number;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
  attempts: number;
}

interface Slot {
  worker: Worker;
  readonly tasks: Map<number, Pending>;
  /** Blobs sent to this worker to seal, by seq, with their plaintext (kept for a crash). */
  readonly seals: Map<number, { plain: Uint8Array; id: string; done: (s: Sealed) => void }>;
  /** When its thread started running (performance.now()). */
  onlineAt?: number;
}

interface Sealed {
  readonly sealed: Buffer;
  readonly compressed: boolean;
}

const DEPTH = 2;
const MAX_ATTEMPTS = 3;

/**
 * A task sent again after its worker died: a restore range's files to create may exist by
 * now (that worker made them), so the retry opens them without O_EXCL (restore-blobs' again).
 */
export function forRetry(request: Request): Request {
  return request.kind === 'restore-blobs' ? { ...request, again: true } : request;
}
/** How long the running workers must be saturated before another one starts. */
const GROW_AFTER_MS = 100;
/** How long one task may run before another worker starts to share its sealing. */
const LONG_TASK_MS = 300;

/** The compiled worker entry; under a TypeScript test runner, the built copy in dist/. */
function workerEntry(): string | undefined {
  const candidates = [
    join(__dirname, 'worker.js'),
    resolve(__dirname, '../../../dist/electron/engine/workers/worker.js'),
  ];
  return candidates.find((c) => existsSync(c));
}

/** The number of workers by default: the cores this process may use. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism());
}

/** The number of workers for a restore by default: the coordinator does the last core's share. */
export function restoreWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Tasks the coordinator may run itself: short (a range of at most a few MiB), no events. */
const HERE_KINDS: ReadonlySet<Request['kind']> = new Set(['restore-blobs', 'create-files']);

export class WorkerPool {
  private readonly slots: Slot[] = [];
  /** Shared with the workers: how many of them are idle (see WorkerInit.idle). */
  private readonly idle = new Int32Array(new SharedArrayBuffer(4));
  private readonly queue: Pending[] = [];
  private seq = 0;
  private closed = false;
  private readonly inline?: TaskContext & { handler?: EventHandler };
  /** Whether the coordinator runs restore ranges when the workers are full (runHere). */
  private readonly helps: boolean = false;
  /** Its context, made with its first such task: backups never need one. */
  private here?: TaskContext;
  /** Whether the coordinator is running a task of the queue now. */
  private hereBusy = false;
  /** Tasks the coordinator has run itself so far (tests). */
  hereRuns = 0;

  constructor(
    private readonly key: MasterKey,
    private readonly chunker: ChunkerParams,
    private readonly index: MasterIndex,
    options: PoolOptions = {},
  ) {
    const size = options.size ?? defaultPoolSize();
    const entry = size > 0 ? workerEntry() : undefined;
    if (!entry) {
      const ctx: TaskContext & { handler?: EventHandler } = this.contextHere(async (e) => {
        await ctx.handler?.(e);
      });
      this.inline = ctx;
      return;
    }
    this.helps = options.coordinatorHelps ?? true;
    const init: WorkerInit = {
      key: { encryption: key.encryption, id: key.id, chunker: key.chunker },
      chunker,
      index: index.buffers(),
      idle: this.idle.buffer as SharedArrayBuffer,
      creditBytes: options.creditBytes ?? 4 * 1024 * 1024,
      smallYoung: youngGenerationKeptSmall(),
    };
    // Threads start with the first task: a backup of an unchanged tree never needs them.
    // One starts then; the others when work has waited for a while (grow).
    this.addWorker = () => {
      this.slots.push(
        this.spawn(entry, init, { tasks: new Map(), seals: new Map() } as unknown as Slot),
      );
    };
    this.start = () => {
      for (let i = 0; i < (options.startAll ? size : 1); i++) this.addWorker!();
      index.onGrow((buffers: IndexBuffers) => {
        for (const s of this.slots) s.worker.postMessage({ kind: 'index', buffers } satisfies Down);
      });
    };
    this.planned = size;
  }

  private start?: () => void;
  private addWorker?: () => void;
  private planned = 0;
  private growTimer?: NodeJS.Timeout;

  /** Whether every running worker has its fill of tasks and more work waits. */
  private saturated(): boolean {
    return this.queue.length > 0 || this.slots.every((s) => s.tasks.size >= DEPTH);
  }

  /** Whether a task has been running for LONG_TASK_MS (a large file: another core can seal). */
  private longTask(now: number): boolean {
    return this.slots.some((s) => {
      if (s.onlineAt === undefined) return false; // still starting: not the task's time
      return [...s.tasks.values()].some(
        (t) => t.sentAt !== undefined && now - Math.max(t.sentAt, s.onlineAt!) >= LONG_TASK_MS,
      );
    });
  }

  /**
   * Starts one more worker (up to the pool's size) when the running ones have been saturated
   * for GROW_AFTER_MS, or one task has run for LONG_TASK_MS. A thread costs ~20 MiB idle and
   * ~45 MiB busy, and start-up time: a small job (a 1% change, a few files restored) is done
   * before another would help.
   */
  private grow(): void {
    if (this.growTimer || !this.addWorker || this.slots.length >= this.planned) return;
    if (this.slots.length === 0 || !this.slots.some((s) => s.tasks.size > 0)) return;
    this.growTimer = setTimeout(() => {
      this.growTimer = undefined;
      if (this.closed) return;
      if (this.saturated() || this.longTask(performance.now())) {
        this.addWorker!();
        this.dispatch();
      } else this.grow();
    }, GROW_AFTER_MS);
  }

  /** Threads started so far. */
  get threads(): number {
    return this.slots.length;
  }

  /** Threads in use, or about to be (0 when running inline). */
  get size(): number {
    return this.planned;
  }

  /** Restore ranges that can be worked on at once: the workers', and the coordinator's. */
  get parallelism(): number {
    return Math.max(1, this.planned + (this.helps ? 1 : 0));
  }

  private spawn(entry: string, init: WorkerInit, slot: Slot): Slot {
    const worker = new Worker(entry, { workerData: { ...init, index: this.index.buffers() } });
    slot.worker = worker;
    slot.onlineAt = undefined;
    worker.once('online', () => {
      if (slot.worker === worker) slot.onlineAt = performance.now();
    });
    worker.on('message', (msg: Up) => this.onMessage(slot, msg));
    const replace = (why: string) => {
      if (slot.worker !== worker || this.closed) return;
      const lost = [...slot.tasks.values()];
      slot.tasks.clear();
      for (const seal of slot.seals.values())
        seal.done(this.sealHere(seal.id, Buffer.from(seal.plain)));
      slot.seals.clear();
      this.spawn(entry, init, slot);
      for (const t of lost) {
        t.attempts++;
        if (t.transfer.length > 0) {
          // Its buffers went to the dead thread: only the caller can make them again.
          t.reject(
            Object.assign(new Error(`a worker thread died: ${why}`), { code: 'WORKER_LOST' }),
          );
        } else if (t.attempts >= MAX_ATTEMPTS) {
          t.reject(new Error(`a worker thread failed ${MAX_ATTEMPTS} times on this task: ${why}`));
        } else {
          t.request = forRetry(t.request);
          this.queue.unshift(t);
        }
      }
      this.dispatch();
    };
    worker.on('error', (err) => replace(err.message));
    worker.on('exit', (code) => replace(`exit code ${code}`));
    return slot;
  }

  /**
   * Seals a blob a worker handed up unsealed: on an idle worker other than the one that read
   * it, or here when none is idle any more.
   */
  private sealElsewhere(from: Slot, id: string, plain: Buffer): Promise<Sealed> {
    const helper = this.slots.find((s) => s !== from && s.tasks.size === 0 && s.seals.size < DEPTH);
    if (!helper) return Promise.resolve(this.sealHere(id, plain));
    return new Promise((done) => {
      const seq = ++this.seq;
      helper.seals.set(seq, { plain, id, done });
      // Not transferred: kept, so a crash of the helper loses nothing.
      helper.worker.postMessage({ kind: 'seal', seq, id, plain } satisfies Down);
      this.updateIdle();
    });
  }

  private sealHere(id: string, plain: Buffer): Sealed {
    const blob = sealBlob(this.key, 'data', plain, id);
    return { sealed: blob.sealed, compressed: blob.compressed };
  }

  /** Publishes how many workers have nothing to do. */
  private updateIdle(): void {
    const free =
      this.queue.length > 0
        ? 0
        : this.slots.filter((s) => s.tasks.size === 0 && s.seals.size === 0).length;
    Atomics.store(this.idle, 0, free);
  }

  private onMessage(slot: Slot, msg: Up): void {
    if (msg.kind === 'sealed') {
      const seal = slot.seals.get(msg.seq);
      slot.seals.delete(msg.seq);
      this.updateIdle();
      const sealed = Buffer.from(msg.sealed.buffer, msg.sealed.byteOffset, msg.sealed.byteLength);
      seal?.done({ sealed, compressed: msg.compressed });
      return;
    }
    const task = slot.tasks.get(msg.seq);
    if (!task) return;
    switch (msg.kind) {
      case 'events': {
        const { data, blobs } = msg;
        const handle = async () => {
          // Plain objects built field by field: rest and spread per blob were a large part of
          // the coordinator's garbage when backing up a million tiny files.
          for (const b of blobs) {
            const bytes = Buffer.from(data.buffer, data.byteOffset + b.at, b.length);
            let sealed = bytes;
            let compressed = b.compressed;
            if (b.raw) ({ sealed, compressed } = await this.sealElsewhere(slot, b.id, bytes));
            await task.onEvent?.({
              file: b.file,
              id: b.id,
              type: b.type,
              sealed,
              rawLength: b.rawLength,
              compressed,
            });
          }
        };
        // Handlers run in order, one message after the other. Their bytes go back with the
        // credit: handlers copy what they keep (a pack builder does), and transferring the
        // buffer frees it at once, where leaving it to this thread's GC let tens of MiB of
        // handled messages wait for a full collection.
        task.events = task.events
          .then(handle)
          .catch((err: Error) => task.reject(err))
          .finally(() =>
            slot.worker.postMessage(
              { kind: 'credit', bytes: data.byteLength } satisfies Down,
              ownsBuffer(data) ? [data.buffer as ArrayBuffer] : [],
            ),
          );
        break;
      }
      case 'result':
        slot.tasks.delete(msg.seq);
        // Settled only once every blob it streamed has been handled: a caller that sees the
        // result may rely on those blobs being packed.
        void task.events.then(() => task.resolve(msg.result));
        this.dispatch();
        break;
      case 'error': {
        slot.tasks.delete(msg.seq);
        const err = Object.assign(new Error(msg.error.message), {
          name: msg.error.name,
          code: msg.error.code,
        });
        void task.events.then(() => task.reject(err));
        this.dispatch();
        break;
      }
    }
  }

  private dispatch(): void {
    this.dispatchQueued();
    this.updateIdle();
    this.grow();
  }

  private dispatchQueued(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.reduce((a, b) => (b.tasks.size < a.tasks.size ? b : a));
      if (slot.tasks.size >= DEPTH) {
        this.runHere();
        return;
      }
      const task = this.queue.shift()!;
      task.sentAt = performance.now();
      slot.tasks.set(task.seq, task);
      slot.worker.postMessage(
        { kind: 'task', seq: task.seq, request: task.request } satisfies Down,
        task.transfer,
      );
    }
  }

  /**
   * Takes the next queued task onto the coordinator when every worker has its fill, it is of a
   * kind the coordinator may run (short, no events) and the coordinator runs none already. It
   * blocks this thread while it runs (a restore range: tens of ms), so it starts from the event
   * loop, not from inside whatever queued it. Its buffers stay here: nothing is transferred.
   */
  private runHere(): void {
    const task = this.queue[0];
    if (!this.helps || this.hereBusy || !task || !HERE_KINDS.has(task.request.kind)) return;
    this.queue.shift();
    this.hereBusy = true;
    this.hereRuns++;
    const ctx = (this.here ??= this.contextHere(() =>
      Promise.reject(new Error('tasks run on the coordinator send no blobs')),
    ));
    setImmediate(() => {
      runTask(ctx, task.request, () => {
        throw new Error('a crash cannot be asked of the coordinator');
      })
        .then(task.resolve, task.reject)
        .finally(() => {
          this.hereBusy = false;
          if (!this.closed) this.dispatch();
        });
    });
  }

  /** A context for tasks run on this thread (inline pools, runHere). */
  private contextHere(emit: TaskContext['emit']): TaskContext {
    return {
      key: this.key,
      chunker: makeChunker(this.key.chunker, this.chunker),
      scratch: { shortReadIsEnd: true },
      index: () => this.index,
      idle: () => 0,
      emit,
    };
  }

  /**
   * Runs one task; `onEvent` receives the sealed blobs it streams, in order, and must copy what
   * it keeps: a blob's bytes are invalid once its handler has settled. Buffers listed in
   * `transfer` move to the worker (no copy); such a task is not retried if its worker dies: it
   * fails with code WORKER_LOST and the caller makes its buffers again.
   */
  run<K extends Request['kind']>(
    request: Extract<Request, { kind: K }>,
    onEvent?: EventHandler,
    transfer: ArrayBuffer[] = [],
  ): Promise<ResultOf[K]> {
    if (this.closed) return Promise.reject(new Error('the worker pool is closed'));
    if (this.inline) return this.runInline(request, onEvent) as Promise<ResultOf[K]>;
    if (this.start) {
      this.start();
      this.start = undefined;
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        seq: ++this.seq,
        request,
        onEvent,
        transfer,
        events: Promise.resolve(),
        resolve: resolve as (v: unknown) => void,
        reject,
        attempts: 0,
      });
      this.dispatch();
    });
  }

  private queueInline: Promise<unknown> = Promise.resolve();

  private runInline(request: Request, onEvent?: EventHandler): Promise<unknown> {
    const ctx = this.inline!;
    const next = this.queueInline.then(async () => {
      ctx.handler = onEvent;
      return runTask(ctx, request, () => {
        throw new Error('crash requested inline');
      });
    });
    this.queueInline = next.catch(() => undefined);
    return next;
  }

  /** Stops every worker; tasks still queued are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.growTimer);
    for (const t of this.queue.splice(0)) t.reject(new Error('the worker pool was closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
