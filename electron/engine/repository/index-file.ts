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

export function decodeIndexFile(stored: Buffer): IndexedPack[] {
  const buf = decompress(stored);
  if (buf.toString('latin1', 0, 4) !== MAGIC) throw new Error('not an index file');
  if (buf.readUInt8(4) !== VERSION)
    throw new Error(`index file version ${buf.readUInt8(4)} is not supported`);
  const count = buf.readUInt32LE(5);
  const packs: IndexedPack[] = [];
  let at = 9;
  for (let i = 0; i < count; i++) {
    if (at + 36 > buf.length) throw new Error('index file truncated');
    const id = buf.toString('hex', at, at + 32);
    const n = buf.readUInt32LE(at + 32);
    at += 36;
    if (at + n * ENTRY_BYTES > buf.length) throw new Error('index file truncated');
    const blobs: PackedBlob[] = [];
    for (let j = 0; j < n; j++, at += ENTRY_BYTES) blobs.push(readEntry(buf, at));
    packs.push({ id, blobs });
  }
  return packs;
}
