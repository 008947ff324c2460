/**
 * Content-defined chunking: FastCDC with normalised chunking (level 2) and a keyed gear table.
 *
 * The gear table is derived from the repository's chunker secret, so chunk boundaries (and so
 * chunk sizes) reveal nothing a known file would predict. Cut points depend only on content:
 * an insertion early in a file shifts the chunks around it, not all the chunks after it.
 * Plain JavaScript runs at about 1 GiB/s per core here (ENGINE.md), fast enough without WASM.
 */
import { createHmac } from 'node:crypto';
import type { ChunkerParams } from '../repository/config';

/** A gear table and the masks for one set of parameters. */
export interface Chunker {
  readonly params: ChunkerParams;
  readonly gear: Int32Array;
  readonly maskSmall: number;
  readonly maskLarge: number;
}

/** The top `bits` bits of a 32-bit word: those depend on the most bytes of the rolling hash. */
function topBits(bits: number): number {
  return bits <= 0 ? 0 : bits >= 32 ? -1 : (0xffffffff << (32 - bits)) | 0;
}

/** Builds the chunker for a repository: 256 gear values from HMAC-SHA256(secret, counter). */
export function makeChunker(secret: Uint8Array, params: ChunkerParams): Chunker {
  const gear = new Int32Array(256);
  for (let block = 0; block < 32; block++) {
    const digest = createHmac('sha256', secret).update(`strata-gear-${block}`).digest();
    for (let j = 0; j < 8; j++) gear[block * 8 + j] = digest.readInt32LE(j * 4);
  }
  const bits = Math.round(Math.log2(params.avg));
  return { params, gear, maskSmall: topBits(bits + 2), maskLarge: topBits(bits - 2) };
}

/**
 * Length of the next chunk of `buf[start, end)`. The caller must supply at least `max` bytes
 * unless the data ends at `end`.
 */
export function cutPoint(c: Chunker, buf: Uint8Array, start: number, end: number): number {
  const { min, avg, max } = c.params;
  let n = end - start;
  if (n <= min) return n;
  if (n > max) n = max;
  const normal = Math.min(avg, n);
  const gear = c.gear;
  const maskS = c.maskSmall;
  const maskL = c.maskLarge;
  let h = 0;
  let i = start + min;
  const limitS = start + normal;
  const limitL = start + n;
  for (; i < limitS; i++) {
    h = ((h << 1) + (gear[buf[i] as number] as number)) | 0;
    if ((h & maskS) === 0) return i - start + 1;
  }
  for (; i < limitL; i++) {
    h = ((h << 1) + (gear[buf[i] as number] as number)) | 0;
    if ((h & maskL) === 0) return i - start + 1;
  }
  return n;
}

/** Reads `length` bytes at `position` into `buf` at `offset`; returns what was read. */
export type ReadAt = (
  buf: Buffer,
  offset: number,
  length: number,
  position: number,
) => number | Promise<number>;

/** A read buffer kept between files (one per thread), so each file does not allocate its own. */
export interface Scratch {
  buf?: Buffer;
  /** Set by callers reading regular files, where only the end gives a short read. */
  readonly shortReadIsEnd?: boolean;
}

/**
 * Splits a stream of bytes (read with `read`) into chunks, yielding views into one read buffer:
 * a view is valid only until the next chunk is requested.
 *
 * The buffer holds about four average chunks (4 MiB), not two maximal ones (16 MiB): a cut
 * found before the end of what is buffered is final (more bytes cannot move it), so more is
 * read only when the buffered tail has no cut, and the buffer grows (to `max` at most) only
 * for a chunk longer than it, such as a run of zeros. Only the uncut tail is ever moved.
 */
export async function* chunkViews(
  c: Chunker,
  read: ReadAt,
  sizeHint: number,
  scratch: Scratch = {},
): AsyncGenerator<Buffer> {
  const { min, avg, max } = c.params;
  const want = Math.min(Math.max(sizeHint + 1, 64 * 1024), Math.min(max, 4 * avg));
  let buf = scratch.buf && scratch.buf.length >= want ? scratch.buf : Buffer.allocUnsafeSlow(want);
  scratch.buf = buf;
  let start = 0;
  let end = 0;
  let position = 0;
  let eof = false;
  for (;;) {
    const have = end - start;
    if (eof || have >= max) {
      if (have === 0) return;
      const n = cutPoint(c, buf, start, end);
      yield buf.subarray(start, start + n);
      start += n;
      continue;
    }
    if (have > min) {
      const n = cutPoint(c, buf, start, end);
      if (n < have) {
        yield buf.subarray(start, start + n);
        start += n;
        continue;
      }
    }
    if (start > 0) {
      buf.copy(buf, 0, start, end);
      end -= start;
      start = 0;
    } else if (end === buf.length) {
      // No cut in a full buffer (or the file grows past its size): make room, up to `max`.
      const bigger = Buffer.allocUnsafeSlow(Math.min(max, 2 * buf.length));
      buf.copy(bigger, 0, 0, end);
      buf = scratch.buf = bigger;
    }
    while (!eof && end < buf.length) {
      const want = buf.length - end;
      const n = await read(buf, end, want, position);
      // For regular files a short read at or past the expected size is the end: no extra
      // read to learn it (a file that grows meanwhile is caught by the caller's re-stat).
      if (n === 0 || (scratch.shortReadIsEnd && n < want && position + n >= sizeHint)) eof = true;
      end += n;
      position += n;
    }
  }
}

/** Like chunkViews, but each chunk is a fresh copy that stays valid. */
export async function* chunkStream(
  c: Chunker,
  read: ReadAt,
  sizeHint: number,
): AsyncGenerator<Buffer> {
  for await (const view of chunkViews(c, read, sizeHint)) yield Buffer.from(view);
}
