/**
 * Worker thread entry: runs tasks one at a time, in the order they arrive, streaming sealed
 * blobs up with flow control (it waits for credit once `creditBytes` are unacknowledged).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { makeChunker } from '../chunker/fastcdc';
import { decodeMasterKey } from '../crypto/master-key';
import { sealBlob } from '../repository/blob';
import {
  collectIfGrown,
  keepYoungGenerationSmall,
  releaseDeadBuffers,
  ReleaseEvery,
} from '../memory';
import { IndexView } from '../repository/master-index';
import {
  ownBuffer,
  type BlobEvent,
  type Down,
  type Request,
  type Up,
  type WorkerInit,
} from './protocol';
import { runTask, type TaskContext } from './tasks';

const init = workerData as WorkerInit;
if (init.smallYoung) keepYoungGenerationSmall();
const port = parentPort!;
const key = decodeMasterKey(Buffer.concat([init.key.encryption, init.key.id, init.key.chunker]));
let index = new IndexView(init.index);
let unacknowledged = 0;
let waiting: (() => void) | undefined;
let seq = 0;
const idle = new Int32Array(init.idle);
let group: BlobEvent[] = [];
let groupBytes = 0;
const GROUP_BYTES = 1024 * 1024;
const GROUP_COUNT = 1024;
/** Each sealed MiB leaves about as much garbage (cipher output, group copies): free it often. */
const release = new ReleaseEvery(4 * 1024 * 1024);

/** Posts blobs whose sealed bytes lie back to back in `data`, which is transferred. */
function send(events: readonly BlobEvent[], data: Uint8Array): void {
  let at = 0;
  const blobs = events.map(({ sealed, ...rest }) => {
    const placed = { ...rest, at, length: sealed.byteLength };
    at += sealed.byteLength;
    return placed;
  });
  unacknowledged += data.byteLength;
  port.postMessage({ kind: 'events', seq, data, blobs } satisfies Up, [data.buffer as ArrayBuffer]);
}

function flushGroup(): void {
  if (group.length === 0) return;
  const data = new Uint8Array(groupBytes);
  let at = 0;
  for (const e of group) {
    data.set(e.sealed, at);
    at += e.sealed.byteLength;
  }
  send(group, data);
  group = [];
  groupBytes = 0;
}

const ctx: TaskContext = {
  key,
  chunker: makeChunker(key.chunker, init.chunker),
  scratch: { shortReadIsEnd: true },
  index: () => index,
  idle: () => Atomics.load(idle, 0),
  async emit(event) {
    release.count(event.sealed.byteLength);
    // Large blobs go alone (they own their buffer: no copy). Small ones are gathered into one
    // buffer per message: a message and a buffer per 100-byte blob would cost more than the blob.
    if (event.sealed.byteLength >= GROUP_BYTES / 4) {
      flushGroup();
      send([event], ownBuffer(event.sealed));
    } else {
      group.push(event);
      groupBytes += event.sealed.byteLength;
      if (groupBytes >= GROUP_BYTES || group.length >= GROUP_COUNT) flushGroup();
    }
    while (unacknowledged > init.creditBytes) await new Promise<void>((r) => (waiting = r));
  },
};

const run = (request: Request) => runTask(ctx, request, () => process.exit(70));

const queue: { seq: number; request: Request }[] = [];

/**
 * A restore range's bytes, listed for transfer with the task's answer: transferring detaches
 * them here (left to this thread's GC they outlived the task by tens of MiB: queued tasks'
 * ranges get promoted to the old generation, which a scavenge does not sweep), and the answer
 * names them (restore-blobs' `data`), so the coordinator reads its next range into them.
 */
function giveBack(task: { request: Request }): ArrayBuffer[] {
  const r = task.request;
  if (r.kind !== 'restore-blobs' || !(r.data.buffer instanceof ArrayBuffer)) return [];
  return r.data.byteLength > 0 ? [r.data.buffer] : [];
}
let busy = false;

async function drain(): Promise<void> {
  if (busy) return;
  busy = true;
  while (queue.length > 0) {
    const task = queue.shift()!;
    seq = task.seq;
    try {
      const result = await run(task.request);
      flushGroup();
      port.postMessage({ kind: 'result', seq: task.seq, result } satisfies Up, giveBack(task));
      // A task's dead buffers (its opened blobs) go now, not at the next GC; and its request's
      // objects, promoted by the scavenges the task ran into, once they add up (a restore
      // worker's heap reached ~80 MiB of them before V8 collected on its own).
      releaseDeadBuffers();
      collectIfGrown();
    } catch (err) {
      group = [];
      groupBytes = 0;
      const e = err as Error & { code?: string };
      port.postMessage(
        {
          kind: 'error',
          seq: task.seq,
          error: { name: e.name, message: e.message, code: e.code },
        } satisfies Up,
        giveBack(task),
      );
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
    case 'seal': {
      // Runs between the steps of a queued task: a worker that waits for credit still seals.
      const blob = sealBlob(
        key,
        'data',
        Buffer.from(msg.plain.buffer, msg.plain.byteOffset, msg.plain.byteLength),
        msg.id,
      );
      const sealed = ownBuffer(blob.sealed);
      port.postMessage(
        { kind: 'sealed', seq: msg.seq, sealed, compressed: blob.compressed } satisfies Up,
        [sealed.buffer as ArrayBuffer],
      );
      break;
    }
  }
});
