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

/**
 * Reusable buffers that blobs are copied into as they join a pack (PackBuilder), so the
 * Buffers they came in (posted by workers, sealed here) die at once, and the bytes waiting to
 * be written sit in a few buffers that are used again rather than freed and allocated anew.
 */
export class StagingBuffers {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size = 2 * 1024 * 1024,
    /**
     * A data pack's stage fills again while its last part is being written, by the other
     * workers' blobs, and a tree pack is held whole: 4-6 buffers were in use at once on the
     * 1 GiB bench. Keeping two made ~60 new 2 MiB buffers there, whose freed bytes stayed in the
     * coordinator's malloc arena; keeping eight made 4, and the first backup's peak RSS fell
     * from ~187-194 to ~171-176 MiB. At most 16 MiB are kept, and only what was in use at once.
     */
    private readonly keep = 8,
  ) {}

  /** A buffer of at least `n` bytes. */
  take(n: number): Buffer {
    if (n <= this.size) return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
    return Buffer.allocUnsafeSlow(n);
  }

  /** Returns buffers handed out by take (as the views of them a pack's parts are). */
  give(views: readonly Uint8Array[]): void {
    for (const v of views) {
      if (this.free.length >= this.keep) return;
      if (v.buffer.byteLength === this.size && v.byteOffset === 0) {
        this.free.push(Buffer.from(v.buffer as ArrayBuffer, 0, this.size));
      }
    }
  }
}

/**
 * Collects sealed blobs until the pack is big enough to store. The pack's hash (its name) is
 * taken as blobs come, so its bytes may be written out early (takeParts) instead of held.
 * Blobs are copied into staging buffers: the parts are those buffers, filled.
 */
export class PackBuilder {
  private parts: Buffer[] = [];
  private readonly blobs: PackedBlob[] = [];
  private readonly hash = createHash('sha256');
  private size = 0;
  private held = 0;
  private stage?: Buffer;
  private staged = 0;

  constructor(private readonly staging = new StagingBuffers()) {}

  get byteLength(): number {
    return this.size;
  }

  get count(): number {
    return this.blobs.length;
  }

  /** Bytes added and not yet taken by takeParts. */
  get heldBytes(): number {
    return this.held;
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
    const n = blob.sealed.length;
    if (!this.stage || this.staged + n > this.stage.length) {
      this.closeStage();
      this.stage = this.staging.take(n);
    }
    this.stage.set(blob.sealed, this.staged);
    this.staged += n;
    this.hash.update(blob.sealed);
    this.size += n;
    this.held += n;
  }

  private closeStage(): void {
    if (this.stage && this.staged > 0) this.parts.push(this.stage.subarray(0, this.staged));
    this.stage = undefined;
    this.staged = 0;
  }

  /**
   * The blobs' bytes added since the last call, in pack order, to be written now; give them
   * back to the staging buffers once written.
   */
  takeParts(): Buffer[] {
    this.closeStage();
    const parts = this.parts;
    this.parts = [];
    this.held = 0;
    return parts;
  }

  /**
   * The finished pack: its name, the bytes not yet taken (in parts, not joined) followed by the
   * header, and the blobs it holds.
   */
  finish(key: MasterKey): { id: string; parts: readonly Buffer[]; blobs: readonly PackedBlob[] } {
    const header = Buffer.alloc(this.blobs.length * ENTRY_BYTES);
    this.blobs.forEach((b, i) => writeEntry(header, i * ENTRY_BYTES, b));
    const sealedHeader = seal(key.encryption, header, HEADER_AAD);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(sealedHeader.length);
    const parts = [...this.takeParts(), sealedHeader, tail];
    this.hash.update(sealedHeader).update(tail);
    return { id: this.hash.digest('hex'), parts, blobs: this.blobs };
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
