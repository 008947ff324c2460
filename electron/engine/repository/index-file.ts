/**
 * Index files map blob id -> (pack, offset, length, raw length), so a reader never has to open
 * every pack. Binary, zstd-compressed, sealed: magic "SIDX", version byte, pack count (u32), then
 * per pack its id (32 bytes), blob count (u32) and one 46-byte entry per blob (see pack.ts).
 */
import { compress, decompress } from 'zstd-napi';
import { ENTRY_BYTES, readEntry, writeEntry, type PackedBlob } from './pack';

const MAGIC = 'SIDX';
const VERSION = 1;

export interface IndexedPack {
  readonly id: string;
  readonly blobs: readonly PackedBlob[];
}

export function encodeIndexFile(packs: readonly IndexedPack[]): Buffer {
  let size = 9;
  for (const p of packs) size += 36 + p.blobs.length * ENTRY_BYTES;
  const buf = Buffer.alloc(size);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt8(VERSION, 4);
  buf.writeUInt32LE(packs.length, 5);
  let at = 9;
  for (const p of packs) {
    buf.write(p.id, at, 32, 'hex');
    buf.writeUInt32LE(p.blobs.length, at + 32);
    at += 36;
    for (const b of p.blobs) {
      writeEntry(buf, at, b);
      at += ENTRY_BYTES;
    }
  }
  return compress(buf, { compressionLevel: 3 });
}

/** Receives an index file's contents without an object per blob (see MasterIndex). */
export interface IndexVisitor {
  pack(id: string, blobs: number): void;
  /** One 46-byte entry (pack.ts's layout) at `at` in `buf`. */
  blob(buf: Buffer, at: number): void;
}

/** Checks and walks an index file's plaintext. */
export function visitIndexFile(stored: Buffer, visitor: IndexVisitor): void {
  const buf = decompress(stored);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not an index file');
  if (buf.readUInt8(4) !== VERSION)
    throw new Error(`index file version ${buf.readUInt8(4)} is not supported`);
  const count = buf.readUInt32LE(5);
  let at = 9;
  for (let i = 0; i < count; i++) {
    if (at + 36 > buf.length) throw new Error('index file truncated');
    const n = buf.readUInt32LE(at + 32);
    if (at + 36 + n * ENTRY_BYTES > buf.length) throw new Error('index file truncated');
    visitor.pack(buf.toString('hex', at, at + 32), n);
    at += 36;
    for (let j = 0; j < n; j++, at += ENTRY_BYTES) visitor.blob(buf, at);
  }
}

export function decodeIndexFile(stored: Buffer): IndexedPack[] {
  const packs: { id: string; blobs: PackedBlob[] }[] = [];
  visitIndexFile(stored, {
    pack: (id) => packs.push({ id, blobs: [] }),
    blob: (buf, at) => packs.at(-1)!.blobs.push(readEntry(buf, at)),
  });
  return packs;
}
