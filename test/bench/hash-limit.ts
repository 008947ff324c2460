/**
 * The "hash-everything limit": the time to read every byte of the dataset once and SHA-256 it,
 * using every core (one worker thread per core, files split among them by bytes). No backup tool
 * that reads and hashes all content can do a first backup faster than this on the same machine.
 *
 * Workers are started and waited for before the clock starts; the time runs from handing out the
 * file lists to the last worker's answer. The worker's code is inline (an `eval` worker) so the
 * same module works from TypeScript source (the smoke test under vitest) and from dist-bench.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface HashLimitResult {
  readonly seconds: number;
  readonly bytes: number;
  readonly files: number;
  readonly workers: number;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
parentPort.on('message', (paths) => {
  let bytes = 0;
  for (const path of paths) {
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, null);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        bytes += n;
      }
    } finally {
      closeSync(fd);
    }
    hash.digest();
  }
  parentPort.postMessage(bytes);
});
parentPort.postMessage('ready');
`;

/** Splits files among `n` lists with about equal bytes (largest first, into the lightest list). */
export function splitByBytes(
  files: readonly { path: string; size: number }[],
  n: number,
): string[][] {
  const lists = Array.from({ length: n }, () => ({ bytes: 0, paths: [] as string[] }));
  for (const file of [...files].sort((a, b) => b.size - a.size)) {
    const lightest = lists.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lightest.paths.push(file.path);
    lightest.bytes += file.size;
  }
  return lists.map((l) => l.paths);
}

function once(worker: Worker): Promise<unknown> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/** Reads and hashes `files` (absolute paths with sizes) with one worker per core. */
export async function hashEverything(
  files: readonly { path: string; size: number }[],
  workerCount = availableParallelism(),
): Promise<HashLimitResult> {
  const workers = Array.from(
    { length: workerCount },
    () => new Worker(WORKER_SOURCE, { eval: true }),
  );
  try {
    await Promise.all(workers.map(once)); // 'ready'
    const lists = splitByBytes(files, workerCount);
    const started = performance.now();
    const answers = workers.map((w, i) => {
      const answer = once(w);
      w.postMessage(lists[i]);
      return answer;
    });
    const bytes = (await Promise.all(answers)).reduce<number>((sum, b) => sum + Number(b), 0);
    return {
      seconds: (performance.now() - started) / 1000,
      bytes,
      files: files.length,
      workers: workerCount,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
