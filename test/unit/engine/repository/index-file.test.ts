import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compress, decompress } from 'zstd-napi';
import {
  decodeIndexFile,
  encodeIndexFile,
  type IndexedPack,
} from '../../../../electron/engine/repository/index-file';
import { ENTRY_BYTES, type PackedBlob } from '../../../../electron/engine/repository/pack';

const hex = () => randomBytes(32).toString('hex');

function blob(i: number, over: Partial<PackedBlob> = {}): PackedBlob {
  return {
    id: hex(),
    type: i % 3 === 0 ? 'tree' : 'data',
    offset: i * 1000,
    length: 1000,
    rawLength: 900 + i,
    compressed: i % 2 === 0,
    ...over,
  };
}

const PACKS: IndexedPack[] = [
  { id: hex(), blobs: Array.from({ length: 5 }, (_, i) => blob(i)) },
  { id: hex(), blobs: [] },
  { id: hex(), blobs: [blob(7, { offset: 0xffffffff, length: 0, rawLength: 0xffffffff })] },
  { id: hex(), blobs: Array.from({ length: 300 }, (_, i) => blob(i)) },
];

/** The raw (decompressed) bytes of an index file, re-compressed after `edit`. */
function edited(packs: readonly IndexedPack[], edit: (raw: Buffer) => Buffer): Buffer {
  return compress(edit(decompress(encodeIndexFile(packs))));
}

describe('index files', () => {
  it('round-trip packs and their blobs exactly', () => {
    expect(decodeIndexFile(encodeIndexFile(PACKS))).toEqual(PACKS);
  });

  it('round-trip an index of no packs', () => {
    expect(decodeIndexFile(encodeIndexFile([]))).toEqual([]);
  });

  it('are compressed: the raw form is magic, version, count, then per pack id, count, entries', () => {
    const stored = encodeIndexFile(PACKS);
    const raw = decompress(stored);
    const blobs = PACKS.reduce((n, p) => n + p.blobs.length, 0);
    expect(raw.length).toBe(9 + PACKS.length * 36 + blobs * ENTRY_BYTES);
    expect(raw.toString('latin1', 0, 4)).toBe('SIDX');
    expect(raw[4]).toBe(1);
    expect(raw.readUInt32LE(5)).toBe(PACKS.length);
    expect(raw.toString('hex', 9, 41)).toBe(PACKS[0]?.id);
  });

  it('reject every truncation of the raw form that cuts into a pack', () => {
    const raw = decompress(encodeIndexFile(PACKS.slice(0, 1)));
    for (let len = 9; len < raw.length; len++) {
      const cut = compress(raw.subarray(0, len));
      expect(() => decodeIndexFile(cut), `${len} of ${raw.length} bytes`).toThrow(/truncated/);
    }
    // Cut inside the fixed header: rejected too, if less precisely.
    for (let len = 0; len < 9; len++) {
      expect(() => decodeIndexFile(compress(raw.subarray(0, len))), `${len} bytes`).toThrow();
    }
  });

  it('reject a truncated compressed stream', () => {
    const stored = encodeIndexFile(PACKS);
    for (const len of [0, 1, 4, 10, Math.floor(stored.length / 2), stored.length - 1]) {
      expect(() => decodeIndexFile(stored.subarray(0, len)), `${len} bytes`).toThrow();
    }
  });

  it('reject a pack count larger than the file holds, without allocating for it', () => {
    const bad = edited(PACKS, (raw) => {
      raw.writeUInt32LE(0xffffffff, 5);
      return raw;
    });
    expect(() => decodeIndexFile(bad)).toThrow(/truncated/);
    const badBlobs = edited(PACKS.slice(0, 1), (raw) => {
      raw.writeUInt32LE(0xfffffff, 9 + 32);
      return raw;
    });
    expect(() => decodeIndexFile(badBlobs)).toThrow(/truncated/);
  });

  it('reject the wrong magic and an unknown version', () => {
    const magic = edited(PACKS, (raw) => {
      raw.write('SIDY', 0, 'latin1');
      return raw;
    });
    expect(() => decodeIndexFile(magic)).toThrow(/not an index file/);
    const version = edited(PACKS, (raw) => {
      raw[4] = 2;
      return raw;
    });
    expect(() => decodeIndexFile(version)).toThrow(/version 2/);
  });

  it('reject something that is not zstd at all', () => {
    expect(() => decodeIndexFile(Buffer.from('SIDX\x01\x00\x00\x00\x00', 'latin1'))).toThrow();
  });

  it('reject an entry with an unknown type', () => {
    const bad = edited(PACKS.slice(0, 1), (raw) => {
      raw[9 + 36] = 7;
      return raw;
    });
    expect(() => decodeIndexFile(bad)).toThrow(/unknown blob type/);
  });
});
