/**
 * Deterministic file contents for the benchmark datasets.
 *
 * Constraints: the same id must give the same bytes on every machine and every run (datasets are
 * reused between runs and single files are regenerated to undo the benchmark's mutation), and
 * generation must be fast enough for a 1 GiB dataset. Random bytes are therefore an AES-256-CTR
 * keystream under a key derived from the id (GB/s, seedable); compressible text is words drawn
 * from a fixed vocabulary by that keystream, so no two files or blocks share long runs of bytes
 * (which would let content-defined chunking deduplicate what is meant to be unique).
 */
import { createCipheriv, createHash } from 'node:crypto';

/** The block size of the large files' alternating random / compressible layout. */
export const BLOCK_SIZE = 1024 * 1024;

/** mulberry32: a small seeded PRNG for layout decisions (sizes, names, which files change). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `length` incompressible bytes, a pure function of `id`. */
export function randomBytesFor(id: string, length: number): Buffer {
  const digest = createHash('sha256').update(`strata-bench:${id}`).digest();
  const cipher = createCipheriv('aes-256-ctr', digest, Buffer.alloc(16));
  return cipher.update(Buffer.alloc(length));
}

const LETTERS = 'etaoinshrdlcumwfgypbvkjxqz';
const WORDS: readonly Uint8Array[] = (() => {
  const next = seededRandom(0x5eed);
  const words: Uint8Array[] = [];
  for (let i = 0; i < 1024; i++) {
    const length = 2 + Math.floor(next() * next() * 9); // 2..10 letters, mostly short
    let word = '';
    // Squaring skews towards the common letters, as in real text.
    for (let k = 0; k < length; k++) word += LETTERS[Math.floor(next() ** 2 * LETTERS.length)];
    words.push(Buffer.from(word, 'latin1'));
  }
  return words;
})();
const MAX_WORD = 10;

/**
 * `length` bytes of text-like content, a pure function of `id`: words with a skewed (roughly
 * Zipf-like) frequency, lines of about 72 characters. zstd compresses it to roughly a third.
 */
export function textFor(id: string, length: number): Buffer {
  const out = Buffer.allocUnsafe(length + MAX_WORD + 1);
  // Each word uses 2 random bytes and writes at least 3, so `length + 2` random bytes suffice.
  const rnd = randomBytesFor(`text:${id}`, length + 2);
  let o = 0;
  let r = 0;
  let column = 0;
  while (o < length) {
    // The product of two uniform bytes is skewed towards small indices: common words.
    const word = WORDS[(rnd[r]! * rnd[r + 1]!) >> 6]!;
    r += 2;
    for (let k = 0; k < word.length; k++) out[o + k] = word[k]!;
    o += word.length;
    column += word.length + 1;
    if (column > 72) {
      out[o++] = 0x0a;
      column = 0;
    } else {
      out[o++] = 0x20;
    }
  }
  return out.subarray(0, length);
}

/**
 * Block `index` of a large file: 1 MiB blocks alternate between random and compressible,
 * starting with random or text depending on `phase` (so files differ in their mix).
 */
export function mixedBlock(id: string, phase: number, index: number, length: number): Buffer {
  return (index + phase) % 2 === 0
    ? randomBytesFor(`${id}/block${index}`, length)
    : textFor(`${id}/block${index}`, length);
}
