/**
 * Packs: many blobs in one stored file, so object stores see few large objects (Duplicacy's
 * lesson). Layout: sealed blobs back to back | sealed header | header length (u32 LE).
 * The header lists every blob (type, flags, id, offset, length, raw length; 46 bytes each) and is
 * sealed too, so even blob boundaries and ids are secret. A pack is named by the SHA-256 of its
 * bytes: anyone can check a pack's integrity without the key, and a changed byte changes the name.
 */
import { createHash } from 'node:crypto';
import { open, seal } from '../crypto/aead';
import type { MasterKey } from '../crypto/master-key';
import type { BlobEntry, BlobType, SealedBlob } from './blob';

export const ENTRY_BYTES = 46;
const HEADER_AAD = 'strata:pack-header';

/** One blob as a pack header (and an index file) lists it. */
export interface PackedBlob {
  readonly id: string;
  readonly type: BlobType;
  readonly offset: number;
  readonly length: number;
  readonly rawLength: number;
  readonly compressed: boolean;
}

/** Writes one entry at `at`; shared with the index file format. */
export function writeEntry(buf: Buffer, at: number, b: PackedBlob): void {
  buf.writeUInt8(b.type === 'tree' ? 1 : 0, at);
  buf.writeUInt8(b.compressed ? 1 : 0, at + 1);
  buf.write(b.id, at + 2, 32, 'hex');
  buf.writeUInt32LE(b.offset, at + 34);
  buf.writeUInt32LE(b.length, at + 38);
  buf.writeUInt32LE(b.rawLength, at + 42);
}

/** Reads one entry at `at`; rejects values no writer produces. */
export function readEntry(buf: Buffer, at: number): PackedBlob {
  const type = buf.readUInt8(at);
  const flags = buf.readUInt8(at + 1);
  if (type > 1 || flags > 1) throw new Error('unknown blob type or flags');
  return {
    type: type === 1 ? 'tree' : 'data',
    compressed: flags === 1,
    id: buf.toString('hex', at + 2, at + 34),
    offset: buf.readUInt32LE(at + 34),
    length: buf.readUInt32LE(at + 38),
    rawLength: buf.readUInt32LE(at + 42),
  };
}

/** Collects sealed blobs in memory until the pack is big enough to store. */
export class PackBuilder {
  private readonly parts: Buffer[] = [];
  private readonly blobs: PackedBlob[] = [];
  private size = 0;

  get byteLength(): number {
    return this.size;
  }

  get count(): number {
    return this.blobs.length;
  }

  add(blob: SealedBlob): void {
    this.blobs.push({
      id: blob.id,
      type: blob.type,
      offset: this.size,
      length: blob.sealed.length,
      rawLength: blob.rawLength,
      compressed: blob.compressed,
    });
    this.parts.push(blob.sealed);
    this.size += blob.sealed.length;
  }

  /** The finished pack: its name, its bytes (in parts, not joined) and the blobs it holds. */
  finish(key: MasterKey): { id: string; parts: readonly Buffer[]; blobs: readonly PackedBlob[] } {
    const header = Buffer.alloc(this.blobs.length * ENTRY_BYTES);
    this.blobs.forEach((b, i) => writeEntry(header, i * ENTRY_BYTES, b));
    const sealedHeader = seal(key.encryption, header, HEADER_AAD);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(sealedHeader.length);
    const parts = [...this.parts, sealedHeader, tail];
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p);
    return { id: hash.digest('hex'), parts, blobs: this.blobs };
  }
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Length of the tail to read to find the header: the header of a pack of `count` blobs. */
export function headerLengthFromTail(tail: Buffer): number {
  return tail.readUInt32LE(tail.length - 4);
}

/** Parses a pack's header from its last bytes (which must include the whole header). */
export function parsePackHeader(key: MasterKey, packId: string, tail: Buffer): PackedBlob[] {
  const what = `header of pack ${packId.slice(0, 12)}`;
  if (tail.length < 4) throw new Error(`${what}: pack too short`);
  const len = headerLengthFromTail(tail);
  if (len + 4 > tail.length) throw new Error(`${what}: header length out of range`);
  const header = open(
    key.encryption,
    tail.subarray(tail.length - 4 - len, tail.length - 4),
    HEADER_AAD,
    what,
  );
  if (header.length % ENTRY_BYTES !== 0) throw new Error(`${what}: malformed`);
  const out: PackedBlob[] = [];
  for (let at = 0; at < header.length; at += ENTRY_BYTES) out.push(readEntry(header, at));
  return out;
}

/** Turns a packed blob into an index entry. */
export function toEntry(pack: string, b: PackedBlob): BlobEntry {
  return {
    type: b.type,
    pack,
    offset: b.offset,
    length: b.length,
    rawLength: b.rawLength,
    compressed: b.compressed,
  };
}
