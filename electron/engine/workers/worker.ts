/**
 * Worker thread entry: runs tasks one at a time, in the order they arrive, streaming sealed
 * blobs up with flow control (it waits for credit once `creditBytes` are unacknowledged).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeChunker } from '../chunker/fastcdc';
import { decodeMasterKey } from '../crypto/master-key';
import { IndexView } from '../repository/master-index';
import { ownBuffer, type Down, type Request, type Up, type WorkerInit } from './protocol';
import { chunkFiles, createFiles, hashFiles, restoreBlobs, type TaskContext } from './tasks';

const init = workerData as WorkerInit;
const port = parentPort!;
const key = decodeMasterKey(Buffer.concat([init.key.encryption, init.key.id, init.key.chunker]));
let index = new IndexView(init.index);
let unacknowledged = 0;
let waiting: (() => void) | undefined;
let seq = 0;

const ctx: TaskContext = {
  key,
  chunker: makeChunker(key.chunker, init.chunker),
  scratch: {},
  index: () => index,
  async emit(event) {
    // Small buffers live in slices of Node's shared pool, which cannot be transferred: cloning
    // the view would copy the whole 8 KiB slab. Give each blob a buffer of its own.
    const sealed = ownBuffer(event.sealed);
    const up: Up = { kind: 'event', seq, event: { ...event, sealed } };
    unacknowledged += sealed.byteLength;
    port.postMessage(up, [sealed.buffer as ArrayBuffer]);
    while (unacknowledged > init.creditBytes) await new Promise<void>((r) => (waiting = r));
  },
};

async function run(request: Request): Promise<unknown> {
  switch (request.kind) {
    case 'chunk-files':
      return chunkFiles(ctx, request.files);
    case 'restore-blobs':
      return restoreBlobs(ctx, request.pack, request.data, request.blobs);
    case 'hash-files':
      return hashFiles(ctx, request.paths);
    case 'create-files':
      return createFiles(request.files);
    case 'crash':
      process.exit(70);
  }
}

const queue: { seq: number; request: Request }[] = [];
let busy = false;

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const task = queue.shift()!;
    seq = task.seq;
    try {
      const result = await run(task.request);
      port.postMessage({ kind: 'result', seq: task.seq, result } satisfies Up);
    } catch (err) {
      const e = err as Error & { code?: string };
      port.postMessage({
        kind: 'error',
        seq: task.seq,
        error: { name: e.name, message: e.message, code: e.code },
      } satisfies Up);
    }
  }
  busy = false;
}

port.on('message', (msg: Down) => {
  switch (msg.kind) {
    case 'task':
      queue.push({ seq: msg.seq, request: msg.request });
      void drain();
      break;
    case 'credit':
      unacknowledged -= msg.bytes;
      if (unacknowledged <= init.creditBytes && waiting) {
        const w = waiting;
        waiting = undefined;
        w();
      }
      break;
    case 'index':
      index = new IndexView(msg.buffers);
      break;
  }
});
