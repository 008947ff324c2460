/**
 * The worker pool with real threads (the built worker in dist/: `npm test` builds first) and
 * inline, which must give the same answers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMasterKey, keyedId } from '../../../../electron/engine/crypto/master-key';
import { openBlob, sealBlob } from '../../../../electron/engine/repository/blob';
import { MasterIndex } from '../../../../electron/engine/repository/master-index';
import {
  ownBuffer,
  type BlobEvent,
  type FileOutcome,
} from '../../../../electron/engine/workers/protocol';
import { WorkerPool } from '../../../../electron/engine/workers/pool';
import { tempDir } from '../../../helpers/cli';

const params = { min: 4096, avg: 16384, max: 65536 };
const key = generateMasterKey();
let dir: { dir: string; cleanup: () => Promise<void> };
let file: string;
let data: Buffer;

beforeAll(async () => {
  dir = await tempDir();
  file = `${dir.dir}/f.bin`;
  data = Buffer.concat([randomBytes(300_000), Buffer.alloc(200_000, 'a')]);
  writeFileSync(file, data);
});
afterAll(() => dir.cleanup());

async function chunkWith(pool: WorkerPool, onEvent?: (e: BlobEvent) => Promise<void> | void) {
  const events: BlobEvent[] = [];
  const ino = statSync(file, { bigint: true }).ino.toString();
  const [outcome] = await pool.run(
    { kind: 'chunk-files', files: [{ path: file, ino }] },
    async (e) => {
      // A blob's bytes are handed back to the worker once its handler settles: keep a copy.
      events.push({ ...e, sealed: Buffer.from(e.sealed) });
      await onEvent?.(e);
    },
  );
  return { outcome: outcome as Extract<FileOutcome, { ok: true }>, events };
}

describe('WorkerPool', () => {
  it('chunks, hashes and seals the same in threads as inline', async () => {
    const threads = new WorkerPool(key, params, new MasterIndex(), { size: 2 });
    const inline = new WorkerPool(key, params, new MasterIndex(), { size: 0 });
    expect(threads.size).toBe(2);
    expect(inline.size).toBe(0);
    const a = await chunkWith(threads);
    const b = await chunkWith(inline);
    await threads.close();
    expect(a.outcome.ok).toBe(true);
    expect(a.outcome.size).toBe(data.length);
    expect(a.outcome.content).toEqual(b.outcome.content);
    expect(a.outcome.changed).toBe(false);
    // Every new chunk came up sealed, in order, and opens to its id.
    expect(a.events.map((e) => e.id)).toEqual([...new Set(a.outcome.content)]);
    const plain = new Map(
      a.events.map((e) => [e.id, openBlob(key, e.id, { ...e, pack: 'test' }, e.sealed)]),
    );
    const joined = Buffer.concat(a.outcome.content.map((id) => plain.get(id)!));
    expect(joined.equals(data)).toBe(true);
    expect(keyedId(key, plain.get(a.outcome.content[0]!)!)).toBe(a.outcome.content[0]);
  });

  it('shares the sealing of a large file with an idle worker, and the result is the same', async () => {
    const big = `${dir.dir}/big.bin`;
    const bytes = Buffer.concat([
      randomBytes(6_000_000),
      Buffer.alloc(6_000_000, 'b'),
      randomBytes(2_000_000),
    ]);
    writeFileSync(big, bytes);
    const ino = statSync(big, { bigint: true }).ino.toString();
    const run = async (size: number) => {
      const pool = new WorkerPool(key, params, new MasterIndex(), { size, startAll: true });
      const events: BlobEvent[] = [];
      const [o] = await pool.run({ kind: 'chunk-files', files: [{ path: big, ino }] }, (e) => {
        events.push({ ...e, sealed: Buffer.from(e.sealed) });
      });
      await pool.close();
      return { outcome: o as Extract<FileOutcome, { ok: true }>, events };
    };
    const shared = await run(2);
    const alone = await run(0);
    expect(shared.outcome.content).toEqual(alone.outcome.content);
    // Whoever sealed them, every blob arrives sealed and opens to its content.
    expect(shared.events.every((e) => !e.raw)).toBe(true);
    const plain = new Map(
      shared.events.map((e) => [e.id, openBlob(key, e.id, { ...e, pack: 'p' }, e.sealed)]),
    );
    expect(Buffer.concat(shared.outcome.content.map((id) => plain.get(id)!)).equals(bytes)).toBe(
      true,
    );
  });

  it('starts one thread, and the others only when work keeps it saturated', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 2 });
    expect(pool.threads).toBe(0);
    await chunkWith(pool); // one small task: one thread is enough
    await new Promise((r) => setTimeout(r, 250));
    expect(pool.threads).toBe(1);
    // A queue that does not drain within the grow delay brings the second thread.
    const big = `${dir.dir}/grow.bin`;
    writeFileSync(big, randomBytes(8_000_000));
    const many = Array.from({ length: 40 }, () => pool.run({ kind: 'hash-files', paths: [big] }));
    await Promise.all(many);
    expect(pool.threads).toBe(2);
    await pool.close();
  });

  it('does not seal chunks the index already knows', async () => {
    const index = new MasterIndex();
    const pool = new WorkerPool(key, params, index, { size: 1 });
    const first = await chunkWith(pool);
    index.add({
      id: 'e'.repeat(64),
      blobs: first.events.map((e, i) => ({
        id: e.id,
        type: 'data',
        offset: i,
        length: 1,
        rawLength: e.rawLength,
        compressed: e.compressed,
      })),
    });
    const second = await chunkWith(pool);
    await pool.close();
    expect(second.outcome.content).toEqual(first.outcome.content);
    expect(second.events).toHaveLength(0);
  });

  it('waits for credit: a slow consumer still gets every blob, before the result', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1, creditBytes: 1 });
    let handled = 0;
    const r = await chunkWith(pool, async () => {
      await new Promise((res) => setTimeout(res, 5));
      handled++;
    });
    await pool.close();
    expect(handled).toBe(r.events.length);
    expect(r.events.length).toBeGreaterThan(3);
  });

  it('replaces a crashed worker and keeps working', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1 });
    await expect(pool.run({ kind: 'crash' })).rejects.toThrow(/failed 3 times/);
    const r = await chunkWith(pool);
    await pool.close();
    expect(r.outcome.ok).toBe(true);
  });

  it('does not resend a task whose buffers were transferred to a worker that died', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1 });
    await expect(
      pool.run({ kind: 'crash' }, undefined, [new ArrayBuffer(16)]),
    ).rejects.toMatchObject({
      code: 'WORKER_LOST',
    });
    await pool.close();
  });

  it('creates restore targets at their size, never over an existing file or through a link', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1 });
    const made = `${dir.dir}/made.bin`;
    const taken = `${dir.dir}/f.bin`;
    const link = `${dir.dir}/link`;
    symlinkSync(`${dir.dir}/elsewhere`, link);
    const results = await pool.run({
      kind: 'create-files',
      files: [
        { path: made, size: 5_000_000 },
        { path: taken, size: 1 },
        { path: link, size: 1 },
      ],
    });
    await pool.close();
    expect(results[0]).toBeUndefined();
    expect(statSync(made).size).toBe(5_000_000);
    // Made sparse: nothing written yet, so (almost) nothing allocated.
    expect(statSync(made).blocks * 512).toBeLessThan(1_000_000);
    expect(results[1]).toMatch(/EEXIST/);
    expect(statSync(taken).size).toBe(data.length);
    expect(results[2]).toMatch(/EEXIST/);
    expect(existsSync(`${dir.dir}/elsewhere`)).toBe(false);
  });

  it('runs restore ranges on the coordinator too once the workers are full, with the same result', async () => {
    const plains = Array.from({ length: 24 }, (_, i) => Buffer.alloc(40_000 + i, i + 1));
    const run = async (coordinatorHelps: boolean) => {
      const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1, coordinatorHelps });
      expect(pool.parallelism).toBe(coordinatorHelps ? 2 : 1);
      const paths = plains.map((_, i) => `${dir.dir}/r-${coordinatorHelps}-${i}`);
      const answers = await Promise.all(
        plains.map((plain, i) => {
          const s = sealBlob(key, 'data', plain);
          const blob = {
            id: s.id,
            type: 'data' as const,
            compressed: s.compressed,
            rawLength: s.rawLength,
            at: 0,
            length: s.sealed.length,
            targets: [{ path: paths[i]!, offset: 0, create: plain.length }],
          };
          const data = ownBuffer(s.sealed);
          return pool.run({ kind: 'restore-blobs', pack: 'p', data, blobs: [blob] }, undefined, [
            data.buffer as ArrayBuffer,
          ]);
        }),
      );
      await pool.close();
      return { pool, paths, answers };
    };
    const helped = await run(true);
    const alone = await run(false);
    // With one worker and more ranges than it queues, the coordinator took some itself.
    expect(helped.pool.hereRuns).toBeGreaterThan(0);
    expect(alone.pool.hereRuns).toBe(0);
    for (const r of [helped, alone]) {
      expect(r.answers.every((a) => a.failed.length === 0 && a.notCreated.length === 0)).toBe(true);
      r.paths.forEach((p, i) => expect(readFileSync(p).equals(plains[i]!)).toBe(true));
    }
  });

  it('sends a range in shared memory again after its worker died, as a retry', async () => {
    // The range's bytes lie in a SharedArrayBuffer (content.ts ReadBuffers): nothing is
    // transferred, so the pool itself resends the task when the worker is lost. The dead
    // worker may have created the file already (here: it exists): the retry must not refuse it.
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1 });
    const plain = randomBytes(50_000);
    const s = sealBlob(key, 'data', plain);
    const data = Buffer.from(new SharedArrayBuffer(s.sealed.length + 100), 100);
    s.sealed.copy(data);
    const path = `${dir.dir}/shared-retry`;
    writeFileSync(path, '');
    const blob = {
      id: s.id,
      type: 'data' as const,
      compressed: s.compressed,
      rawLength: s.rawLength,
      at: 0,
      length: s.sealed.length,
      targets: [{ path, offset: 0, create: plain.length }],
    };
    // Both go to the one worker at once; the first kills it before the range is written.
    const crash = pool.run({ kind: 'crash' }).catch((e: Error) => e);
    const answer = await pool.run({ kind: 'restore-blobs', pack: 'p', data, blobs: [blob] });
    expect(await crash).toBeInstanceOf(Error);
    await pool.close();
    expect(answer.notCreated).toEqual([]);
    expect(answer.failed).toEqual([]);
    expect(answer.data).toBeUndefined();
    expect(readFileSync(path).equals(plain)).toBe(true);
  });

  it('reports an unreadable file as an outcome, not an exception', async () => {
    const pool = new WorkerPool(key, params, new MasterIndex(), { size: 1 });
    const [o] = await pool.run({
      kind: 'chunk-files',
      files: [{ path: `${dir.dir}/missing`, ino: '1' }],
    });
    await pool.close();
    expect(o).toMatchObject({ ok: false, code: 'ENOENT' });
  });
});

describe('ownBuffer', () => {
  it('keeps a view that owns its buffer and copies a slice of a shared one', () => {
    const whole = new Uint8Array(10);
    expect(ownBuffer(whole)).toBe(whole);
    const pooled = Buffer.from('tiny'); // a slice of Node's 8 KiB pool
    expect(pooled.buffer.byteLength).toBeGreaterThan(pooled.byteLength);
    const own = ownBuffer(pooled);
    expect(own.buffer.byteLength).toBe(4);
    expect(Buffer.from(own).toString()).toBe('tiny');
  });
});
