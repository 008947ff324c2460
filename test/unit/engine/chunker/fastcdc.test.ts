import { createCipheriv, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  chunkStream,
  chunkViews,
  cutPoint,
  makeChunker,
  type Chunker,
  type ReadAt,
} from '../../../../electron/engine/chunker/fastcdc';
import { DEFAULT_CHUNKER, type ChunkerParams } from '../../../../electron/engine/repository/config';

const KiB = 1024;
const MiB = 1024 * KiB;
const SMALL: ChunkerParams = { min: 2 * KiB, avg: 8 * KiB, max: 64 * KiB };
const KEY_A = Buffer.alloc(32, 1);
const KEY_B = Buffer.alloc(32, 2);

/** Reproducible random bytes (an AES-CTR keystream), so these tests never flake. */
function randomData(n: number, seed = 'seed'): Buffer {
  const key = createHash('sha256').update(seed).digest();
  return createCipheriv('aes-256-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(n));
}

/** Chunk lengths from calling cutPoint over a whole buffer. */
function cutAll(c: Chunker, data: Uint8Array): number[] {
  const out: number[] = [];
  for (let at = 0; at < data.length;) {
    const n = cutPoint(c, data, at, data.length);
    out.push(n);
    at += n;
  }
  return out;
}

/** A ReadAt over a buffer, returning at most `step` bytes per call. */
function readerOver(data: Buffer, step = Infinity): { read: ReadAt; calls: () => number } {
  let calls = 0;
  const read: ReadAt = async (buf, offset, length, position) => {
    calls++;
    const n = Math.max(0, Math.min(length, step, data.length - position));
    data.copy(buf, offset, position, position + n);
    return n;
  };
  return { read, calls: () => calls };
}

async function collect(gen: AsyncGenerator<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const b of gen) out.push(b);
  return out;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('makeChunker', () => {
  it('derives the gear table from the secret, deterministically', () => {
    const a1 = makeChunker(KEY_A, SMALL);
    const a2 = makeChunker(Buffer.from(KEY_A), SMALL);
    const b = makeChunker(KEY_B, SMALL);
    expect(a1.gear).toHaveLength(256);
    expect(Array.from(a1.gear)).toEqual(Array.from(a2.gear));
    expect(Array.from(a1.gear)).not.toEqual(Array.from(b.gear));
    // A usable gear table has (nearly) all distinct entries.
    expect(new Set(a1.gear).size).toBeGreaterThan(250);
  });

  it('uses a harder mask before the average size than after it (normalised chunking)', () => {
    const c = makeChunker(KEY_A, SMALL);
    const bits = (m: number) => (m >>> 0).toString(2).replace(/0/g, '').length;
    expect(bits(c.maskSmall)).toBe(13 + 2);
    expect(bits(c.maskLarge)).toBe(13 - 2);
  });
});

describe('cutPoint', () => {
  const data = randomData(4 * MiB);

  it('gives the same cut points for the same key', () => {
    expect(cutAll(makeChunker(KEY_A, SMALL), data)).toEqual(
      cutAll(makeChunker(Buffer.from(KEY_A), SMALL), data),
    );
  });

  it('gives different cut points for a different key', () => {
    const offsets = (lens: number[]) => {
      let at = 0;
      return new Set(lens.map((n) => (at += n)));
    };
    const a = offsets(cutAll(makeChunker(KEY_A, SMALL), data));
    const b = offsets(cutAll(makeChunker(KEY_B, SMALL), data));
    const shared = [...a].filter((o) => b.has(o)).length;
    // Only the end of the data (and the odd coincidence) may be shared.
    expect(shared).toBeLessThan(a.size / 10);
  });

  it('respects min and max, except for the last chunk, and covers every byte', () => {
    const lens = cutAll(makeChunker(KEY_A, SMALL), data);
    expect(lens.reduce((s, n) => s + n, 0)).toBe(data.length);
    for (const n of lens.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(SMALL.min);
      expect(n).toBeLessThanOrEqual(SMALL.max);
    }
    expect(lens.at(-1)).toBeLessThanOrEqual(SMALL.max);
  });

  it('cuts at max on data whose rolling hash never matches (all zeros)', () => {
    // The gear hash of a constant byte settles on one value; for this key it does not match.
    const zeros = Buffer.alloc(300 * KiB);
    const lens = cutAll(makeChunker(KEY_A, SMALL), zeros);
    expect(lens).toEqual([...Array<number>(4).fill(SMALL.max), zeros.length - 4 * SMALL.max]);
  });

  it('returns what is left when it is at most min, and never more than max', () => {
    const c = makeChunker(KEY_A, SMALL);
    expect(cutPoint(c, data, 0, 0)).toBe(0);
    expect(cutPoint(c, data, 100, 100 + SMALL.min)).toBe(SMALL.min);
    expect(cutPoint(c, data, 5, 6)).toBe(1);
    expect(cutPoint(c, data, 0, data.length)).toBeLessThanOrEqual(SMALL.max);
  });

  it('depends only on the bytes from start, not on where they sit in the buffer', () => {
    const c = makeChunker(KEY_A, SMALL);
    const slice = data.subarray(12345, 12345 + 200 * KiB);
    const shifted = Buffer.concat([Buffer.alloc(777, 9), slice]);
    expect(cutPoint(c, shifted, 777, shifted.length)).toBe(cutPoint(c, slice, 0, slice.length));
  });

  it('averages near the target size on random data', () => {
    const lens = cutAll(makeChunker(KEY_A, SMALL), data).slice(0, -1);
    const mean = lens.reduce((s, n) => s + n, 0) / lens.length;
    expect(mean).toBeGreaterThan(SMALL.avg * 0.6);
    expect(mean).toBeLessThan(SMALL.avg * 1.6);
    // Normalised chunking: most chunks lie within a factor of 2 of the average.
    const near = lens.filter((n) => n >= SMALL.avg / 2 && n <= SMALL.avg * 2).length;
    expect(near / lens.length).toBeGreaterThan(0.6);
  });

  it('averages near 1 MiB with the default parameters and respects 512 KiB / 8 MiB', () => {
    const big = randomData(48 * MiB, 'default');
    const lens = cutAll(makeChunker(KEY_A, DEFAULT_CHUNKER), big);
    expect(lens.reduce((s, n) => s + n, 0)).toBe(big.length);
    for (const n of lens.slice(0, -1)) {
      expect(n).toBeGreaterThanOrEqual(DEFAULT_CHUNKER.min);
      expect(n).toBeLessThanOrEqual(DEFAULT_CHUNKER.max);
    }
    const full = lens.slice(0, -1);
    const mean = full.reduce((s, n) => s + n, 0) / full.length;
    expect(mean).toBeGreaterThan(DEFAULT_CHUNKER.avg * 0.6);
    expect(mean).toBeLessThan(DEFAULT_CHUNKER.avg * 1.6);
  });
});

describe('content-defined boundaries', () => {
  it('an insertion at the start changes only the first chunk(s); later chunks keep their ids', async () => {
    const c = makeChunker(KEY_A, SMALL);
    const data = randomData(2 * MiB, 'shift');
    const before = (await collect(chunkStream(c, readerOver(data).read, data.length))).map(sha);
    for (const inserted of [1, 100, 5000]) {
      const changed = Buffer.concat([randomData(inserted, `ins${inserted}`), data]);
      const after = (await collect(chunkStream(c, readerOver(changed).read, changed.length))).map(
        sha,
      );
      const old = new Set(before);
      const fresh = after.filter((id) => !old.has(id));
      expect(fresh.length, `insert ${inserted}`).toBeGreaterThanOrEqual(1);
      expect(fresh.length, `insert ${inserted}`).toBeLessThanOrEqual(3);
      // The new chunks are at the front; the tail is identical.
      expect(after.slice(fresh.length)).toEqual(
        before.slice(before.length - after.length + fresh.length),
      );
    }
  });

  it('a change in the middle leaves the chunks before and (mostly) after it alone', async () => {
    const c = makeChunker(KEY_A, SMALL);
    const data = randomData(2 * MiB, 'middle');
    const changed = Buffer.from(data);
    changed[MiB] = (changed[MiB] as number) ^ 0xff;
    const before = (await collect(chunkStream(c, readerOver(data).read, data.length))).map(sha);
    const after = (await collect(chunkStream(c, readerOver(changed).read, changed.length))).map(
      sha,
    );
    const old = new Set(before);
    expect(after.filter((id) => !old.has(id)).length).toBeLessThanOrEqual(2);
    expect(after.length).toBe(before.length);
  });
});

describe('chunkStream', () => {
  const c = makeChunker(KEY_A, SMALL);

  it('gives the same chunks as cutPoint over the whole buffer, as fresh copies', async () => {
    const data = randomData(MiB + 123, 'stream');
    const chunks = await collect(chunkStream(c, readerOver(data).read, data.length));
    expect(chunks.map((b) => b.length)).toEqual(cutAll(c, data));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    // Each chunk owns its bytes: it survives the stream's buffer being reused.
    const kept = chunks.map((b) => Buffer.from(b));
    expect(chunks.every((b, i) => b.equals(kept[i] as Buffer))).toBe(true);
    expect(new Set(chunks.map((b) => b.buffer)).size).toBeGreaterThan(1);
  });

  it('gives the same chunks when the reader returns short reads', async () => {
    const data = randomData(MiB + 4567, 'short');
    const whole = await collect(chunkStream(c, readerOver(data).read, data.length));
    const short = readerOver(data, 1000);
    const pieces = await collect(chunkStream(c, short.read, data.length));
    expect(pieces.map(sha)).toEqual(whole.map(sha));
    expect(short.calls()).toBeGreaterThan(data.length / 1000);
  });

  it('reads a file that grew beyond its size hint completely', async () => {
    const data = randomData(700 * KiB, 'grow');
    for (const hint of [0, 10 * KiB, 100 * KiB]) {
      const chunks = await collect(chunkStream(c, readerOver(data, 3000).read, hint));
      expect(Buffer.concat(chunks).equals(data), `hint ${hint}`).toBe(true);
      expect(chunks.map((b) => b.length)).toEqual(cutAll(c, data));
    }
  });

  it('reads a grown file completely with the default parameters too', async () => {
    const d = makeChunker(KEY_A, DEFAULT_CHUNKER);
    const data = randomData(20 * MiB, 'grow-default');
    const chunks = await collect(chunkStream(d, readerOver(data).read, 1000));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(chunks.map((b) => b.length)).toEqual(cutAll(d, data));
  });

  it('cuts runs longer than its buffer as cutPoint does, and keeps the buffer to max', async () => {
    const d = makeChunker(KEY_A, DEFAULT_CHUNKER);
    // Random, then 20 MiB of zeros (max-size chunks), then random: longer than the 4 MiB window.
    const data = Buffer.concat([
      randomData(5 * MiB, 'a'),
      Buffer.alloc(20 * MiB),
      randomData(3 * MiB, 'b'),
    ]);
    const scratch = { shortReadIsEnd: true };
    const lengths: number[] = [];
    for await (const v of chunkViews(d, readerOver(data).read, data.length, scratch)) {
      lengths.push(v.length);
    }
    expect(lengths).toEqual(cutAll(d, data));
    expect((scratch as { buf?: Buffer }).buf!.length).toBeLessThanOrEqual(DEFAULT_CHUNKER.max);
  });

  it('copes with a file that shrank below its size hint', async () => {
    const data = randomData(50 * KiB, 'shrink');
    const chunks = await collect(chunkStream(c, readerOver(data).read, 10 * MiB));
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('yields nothing for an empty file and one chunk for a tiny one', async () => {
    expect(await collect(chunkStream(c, readerOver(Buffer.alloc(0)).read, 0))).toEqual([]);
    const tiny = Buffer.from('hello');
    const chunks = await collect(chunkStream(c, readerOver(tiny).read, tiny.length));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.equals(tiny)).toBe(true);
  });

  it('takes a short read at the expected size as the end only when told to (regular files)', async () => {
    const data = randomData(40 * KiB, 'short');
    const plain = readerOver(data);
    const told = readerOver(data);
    const a: Buffer[] = [];
    for await (const v of chunkViews(c, plain.read, data.length)) a.push(Buffer.from(v));
    const b: Buffer[] = [];
    for await (const v of chunkViews(c, told.read, data.length, { shortReadIsEnd: true }))
      b.push(Buffer.from(v));
    expect(Buffer.concat(b).equals(data)).toBe(true);
    expect(b.map((x) => x.length)).toEqual(a.map((x) => x.length));
    expect(told.calls()).toBe(plain.calls() - 1);
  });

  it('passes the read position on so the reader sees the file in order', async () => {
    const data = randomData(300 * KiB, 'positions');
    const positions: number[] = [];
    const inner = readerOver(data, 7000).read;
    const read: ReadAt = (buf, offset, length, position) => {
      positions.push(position);
      return inner(buf, offset, length, position);
    };
    await collect(chunkStream(c, read, data.length));
    expect(positions[0]).toBe(0);
    for (let i = 1; i < positions.length; i++) {
      expect(positions[i]).toBeGreaterThanOrEqual(positions[i - 1] as number);
    }
    expect(positions.at(-1)).toBe(data.length);
  });
});
