import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../../electron/engine/crypto/aead';
import { generateMasterKey, keyedId } from '../../../../electron/engine/crypto/master-key';
import { openBlob, sealBlob, type BlobType } from '../../../../electron/engine/repository/blob';
import {
  ENTRY_BYTES,
  PackBuilder,
  StagingBuffers,
  headerLengthFromTail,
  parsePackHeader,
  readEntry,
  sha256Hex,
  toEntry,
  writeEntry,
  type PackedBlob,
} from '../../../../electron/engine/repository/pack';

const key = generateMasterKey();

/** A pack of blobs of several sizes and both types, some compressible. */
function buildPack(): {
  pack: ReturnType<PackBuilder['finish']> & { bytes: Buffer };
  plains: Map<string, Buffer>;
  builder: PackBuilder;
} {
  const builder = new PackBuilder();
  const plains = new Map<string, Buffer>();
  const contents: [BlobType, Buffer][] = [
    ['data', randomBytes(1000)],
    ['data', Buffer.alloc(5000, 'a')],
    ['data', Buffer.from('x')],
    ['tree', Buffer.from(JSON.stringify({ nodes: [] }))],
    ['data', Buffer.alloc(0)],
    ['data', randomBytes(70_000)],
  ];
  for (const [type, plain] of contents) {
    const blob = sealBlob(key, type, plain);
    plains.set(blob.id, plain);
    builder.add(blob);
  }
  const done = builder.finish(key);
  return { pack: { ...done, bytes: Buffer.concat(done.parts) }, plains, builder };
}

describe('PackBuilder and parsePackHeader', () => {
  it('round-trips: the header lists every blob, in order, where it really is', () => {
    const { pack, plains, builder } = buildPack();
    expect(builder.count).toBe(plains.size);
    const header = parsePackHeader(key, pack.id, pack.bytes);
    expect(header).toEqual(pack.blobs);
    expect(header.map((b) => b.id)).toEqual([...plains.keys()]);
    let offset = 0;
    for (const b of header) {
      expect(b.offset).toBe(offset);
      offset += b.length;
      const plain = plains.get(b.id) as Buffer;
      expect(b.rawLength).toBe(plain.length);
      const sealed = pack.bytes.subarray(b.offset, b.offset + b.length);
      expect(openBlob(key, b.id, toEntry(pack.id, b), sealed).equals(plain)).toBe(true);
    }
    expect(builder.byteLength).toBe(offset);
    // Blobs, then the sealed header, then its length.
    expect(pack.bytes.length).toBe(offset + headerLengthFromTail(pack.bytes) + 4);
  });

  it('records types and compression per blob', () => {
    const { pack } = buildPack();
    expect(pack.blobs.map((b) => b.type)).toEqual(['data', 'data', 'data', 'tree', 'data', 'data']);
    // 5000 x "a" compresses; random bytes, one byte and nothing do not.
    expect(pack.blobs.map((b) => b.compressed)).toEqual([false, true, false, false, false, false]);
  });

  it('names the pack by the SHA-256 of its bytes', () => {
    const { pack } = buildPack();
    expect(pack.id).toBe(createHash('sha256').update(pack.bytes).digest('hex'));
    expect(pack.id).toBe(sha256Hex(pack.bytes));
    expect(pack.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('parses the header from just the tail of the pack', () => {
    const { pack } = buildPack();
    const tailLength = headerLengthFromTail(pack.bytes) + 4;
    const tail = pack.bytes.subarray(pack.bytes.length - tailLength);
    expect(parsePackHeader(key, pack.id, tail)).toEqual(pack.blobs);
    // One byte short of the header is not enough.
    expect(() => parsePackHeader(key, pack.id, tail.subarray(1))).toThrow(/out of range/);
  });

  it('an empty pack has an empty header', () => {
    const finished = new PackBuilder().finish(key);
    const empty = { ...finished, bytes: Buffer.concat(finished.parts) };
    expect(empty.blobs).toEqual([]);
    expect(parsePackHeader(key, empty.id, empty.bytes)).toEqual([]);
  });

  it('rejects a header changed in any byte, or opened with another key', () => {
    const { pack } = buildPack();
    const len = headerLengthFromTail(pack.bytes);
    const headerStart = pack.bytes.length - 4 - len;
    for (let at = headerStart; at < pack.bytes.length - 4; at += 7) {
      const bad = Buffer.from(pack.bytes);
      bad[at] = (bad[at] as number) ^ 0x40;
      expect(() => parsePackHeader(key, pack.id, bad), `byte ${at}`).toThrow(AuthenticationError);
    }
    expect(() => parsePackHeader(generateMasterKey(), pack.id, pack.bytes)).toThrow(
      AuthenticationError,
    );
  });

  it('rejects a damaged header length and a too-short pack', () => {
    const { pack } = buildPack();
    const longer = Buffer.from(pack.bytes);
    longer.writeUInt32LE(pack.bytes.length, pack.bytes.length - 4);
    expect(() => parsePackHeader(key, pack.id, longer)).toThrow(/out of range/);
    const shorter = Buffer.from(pack.bytes);
    shorter.writeUInt32LE(headerLengthFromTail(pack.bytes) - 1, pack.bytes.length - 4);
    expect(() => parsePackHeader(key, pack.id, shorter)).toThrow(AuthenticationError);
    expect(() => parsePackHeader(key, pack.id, Buffer.alloc(3))).toThrow(/too short/);
    // A truncated pack: its last four bytes are not a header length any more.
    expect(() => parsePackHeader(key, pack.id, pack.bytes.subarray(0, -10))).toThrow();
  });

  it('a blob cannot be passed off under another id or type', () => {
    const { pack } = buildPack();
    const [a, b] = pack.blobs as [PackedBlob, PackedBlob];
    const sealedA = pack.bytes.subarray(a.offset, a.offset + a.length);
    expect(() => openBlob(key, b.id, toEntry(pack.id, a), sealedA)).toThrow(AuthenticationError);
    const asTree = { ...toEntry(pack.id, a), type: 'tree' as const };
    expect(() => openBlob(key, a.id, asTree, sealedA)).toThrow(AuthenticationError);
  });
});

describe('pack entries', () => {
  const entry: PackedBlob = {
    id: keyedId(key, Buffer.from('entry')),
    type: 'tree',
    offset: 0xfffffff0,
    length: 123456,
    rawLength: 0xffffffff,
    compressed: true,
  };

  it('round-trip through writeEntry / readEntry at any offset', () => {
    const buf = Buffer.alloc(3 + ENTRY_BYTES);
    writeEntry(buf, 3, entry);
    expect(readEntry(buf, 3)).toEqual(entry);
    const data = { ...entry, type: 'data' as const, compressed: false, offset: 0 };
    writeEntry(buf, 3, data);
    expect(readEntry(buf, 3)).toEqual(data);
  });

  it('rejects an unknown type or flag byte', () => {
    const buf = Buffer.alloc(ENTRY_BYTES);
    writeEntry(buf, 0, entry);
    buf[0] = 2;
    expect(() => readEntry(buf, 0)).toThrow(/unknown blob type/);
    writeEntry(buf, 0, entry);
    buf[1] = 2;
    expect(() => readEntry(buf, 0)).toThrow(/flags/);
  });

  it('toEntry keeps everything and adds the pack', () => {
    expect(toEntry('ab'.repeat(32), entry)).toEqual({
      type: 'tree',
      pack: 'ab'.repeat(32),
      offset: entry.offset,
      length: entry.length,
      rawLength: entry.rawLength,
      compressed: true,
    });
  });
});

describe('StagingBuffers', () => {
  const SIZE = 64 * 1024;

  it('hands back the buffers it was given, up to eight, instead of making new ones', () => {
    const staging = new StagingBuffers(SIZE);
    const taken = Array.from({ length: 10 }, () => staging.take(100));
    expect(new Set(taken.map((b) => b.buffer)).size).toBe(10);
    staging.give(taken.map((b) => b.subarray(0, 50)));
    const again = Array.from({ length: 10 }, () => staging.take(SIZE));
    const reused = again.filter((b) => taken.some((t) => t.buffer === b.buffer));
    expect(reused).toHaveLength(8);
    expect(again.every((b) => b.length === SIZE)).toBe(true);
  });

  it('keeps no buffer larger than its size, and no view that does not start a buffer', () => {
    const staging = new StagingBuffers(SIZE);
    const large = staging.take(SIZE + 1);
    expect(large.length).toBe(SIZE + 1);
    const normal = staging.take(10);
    staging.give([large, normal.subarray(1)]);
    const next = staging.take(10).buffer;
    expect(next).not.toBe(large.buffer);
    expect(next).not.toBe(normal.buffer);
    staging.give([normal]);
    expect(staging.take(10).buffer).toBe(normal.buffer);
  });
});
