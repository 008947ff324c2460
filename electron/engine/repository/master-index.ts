/**
 * The in-memory index: every blob the repository's index files know, by id.
 *
 * Kept in typed arrays, not a JS object per blob (restic ~56 bytes, rustic 48 bytes per blob;
 * a Map of objects costs ~250). Per blob: id 32 bytes + pack, offset, length, raw length
 * (4 x u32) + flags 1 byte + two hash slots (2 x i32) = 57 bytes at full capacity; capacity
 * doubles when full, so between 57 and ~114 bytes per blob. Pack ids are held once per pack.
 *
 * The arrays live in SharedArrayBuffers so worker threads can ask "is this blob known?" without
 * a round trip (see IndexView). One writer (the coordinator) publishes an entry by storing its
 * slot with Atomics.store after the entry's bytes are written; readers load slots with
 * Atomics.load, so they see whole entries or none. A reader that misses a fresh entry merely
 * does some work twice: the coordinator deduplicates again.
 */
import type { BlobEntry, BlobType } from './blob';
import { visitIndexFile, type IndexedPack } from './index-file';

const ID_BYTES = 32;
const META = 4; // pack, offset, length, rawLength
const FLAG_TREE = 1;
const FLAG_COMPRESSED = 2;

/** The shared buffers of an index, as handed to workers. */
export interface IndexBuffers {
  readonly ids: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
}

/** Read-only lookups over an index's shared buffers: what a worker holds. */
export class IndexView {
  protected ids: Uint8Array;
  protected slots: Int32Array;
  protected mask: number;

  constructor(buffers: IndexBuffers) {
    this.ids = new Uint8Array(buffers.ids);
    this.slots = new Int32Array(buffers.slots);
    this.mask = this.slots.length - 1;
  }

  /** The entry number of a 32-byte id, or -1. */
  find(id: Uint8Array): number {
    const ids = this.ids;
    let slot = (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) & this.mask;
    for (;;) {
      const v = Atomics.load(this.slots, slot);
      if (v === 0) return -1;
      const at = (v - 1) * ID_BYTES;
      let same = true;
      for (let i = 0; i < ID_BYTES; i++) {
        if (ids[at + i] !== id[i]) {
          same = false;
          break;
        }
      }
      if (same) return v - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  hasId(id: Uint8Array): boolean {
    return this.find(id) >= 0;
  }
}

export class MasterIndex extends IndexView {
  private meta: Uint32Array;
  private flags: Uint8Array;
  private count = 0;
  private readonly packNames: string[] = [];
  private readonly packNumbers = new Map<string, number>();
  private readonly packBlobs: number[] = [];
  private readonly listeners: ((b: IndexBuffers) => void)[] = [];
  /** Packs marked for deletion by a prune: a copy of a blob elsewhere is preferred to them. */
  private readonly hiddenNames = new Set<string>();
  private readonly hidden = new Set<number>();

  constructor(capacity = 1024) {
    const cap = Math.max(16, 2 ** Math.ceil(Math.log2(capacity)));
    const buffers = MasterIndex.allocate(cap);
    super(buffers);
    this.meta = new Uint32Array(cap * META);
    this.flags = new Uint8Array(cap);
  }

  private static allocate(cap: number): IndexBuffers {
    return {
      ids: new SharedArrayBuffer(cap * ID_BYTES),
      slots: new SharedArrayBuffer(cap * 2 * 4),
    };
  }

  get size(): number {
    return this.count;
  }

  /** The current shared buffers (they change when the index grows; see onGrow). */
  buffers(): IndexBuffers {
    return {
      ids: this.ids.buffer as SharedArrayBuffer,
      slots: this.slots.buffer as SharedArrayBuffer,
    };
  }

  /** Called with the new buffers whenever the index grows, so workers can follow. */
  onGrow(listener: (b: IndexBuffers) => void): void {
    this.listeners.push(listener);
  }

  /** Hex ids are decoded into this one buffer: lookups allocate nothing. */
  private readonly probe = Buffer.alloc(ID_BYTES);

  private findHex(id: string): number {
    if (this.probe.write(id, 0, ID_BYTES, 'hex') !== ID_BYTES) return -1;
    return this.find(this.probe);
  }

  has(id: string): boolean {
    return this.findHex(id) >= 0;
  }

  get(id: string): BlobEntry | undefined {
    const n = this.findHex(id);
    return n < 0 ? undefined : this.entry(n);
  }

  private entry(n: number): BlobEntry {
    const m = n * META;
    const f = this.flags[n]!;
    return {
      type: (f & FLAG_TREE ? 'tree' : 'data') as BlobType,
      pack: this.packNames[this.meta[m]!]!,
      offset: this.meta[m + 1]!,
      length: this.meta[m + 2]!,
      rawLength: this.meta[m + 3]!,
      compressed: (f & FLAG_COMPRESSED) !== 0,
    };
  }

  /** The packs the index names, with how many blobs each holds. */
  packIds(): ReadonlyMap<string, number> {
    return new Map(this.packNames.map((p, i) => [p, this.packBlobs[i]!]));
  }

  /**
   * Packs whose blobs are looked up only when no other pack holds them (a prune marked them);
   * call before adding index files.
   */
  preferOthersTo(packIds: Iterable<string>): void {
    for (const id of packIds) this.hiddenNames.add(id);
  }

  private packNumber(id: string, blobs: number): number {
    let packNo = this.packNumbers.get(id);
    if (packNo === undefined) {
      packNo = this.packNames.length;
      this.packNames.push(id);
      this.packNumbers.set(id, packNo);
      if (this.hiddenNames.has(id)) this.hidden.add(packNo);
      // Counted once: after an interrupted index rewrite two files may name the same pack.
      this.packBlobs.push(blobs);
    }
    return packNo;
  }

  add(pack: IndexedPack): void {
    const packNo = this.packNumber(pack.id, pack.blobs.length);
    const id = Buffer.alloc(ID_BYTES);
    for (const b of pack.blobs) {
      id.write(b.id, 0, ID_BYTES, 'hex');
      const flags = (b.type === 'tree' ? FLAG_TREE : 0) | (b.compressed ? FLAG_COMPRESSED : 0);
      this.insert(id, packNo, b.offset, b.length, b.rawLength, flags);
    }
  }

  /**
   * Adds an index file's plaintext straight from its bytes: no object per blob. Packs for which
   * `skip` returns true are left out. Returns the ids of the packs the file names.
   */
  addIndexFile(stored: Buffer, skip?: (packId: string) => boolean): string[] {
    let packNo = 0;
    let skipping = false;
    const packs: string[] = [];
    visitIndexFile(stored, {
      pack: (id, blobs) => {
        packs.push(id);
        skipping = skip?.(id) ?? false;
        if (!skipping) packNo = this.packNumber(id, blobs);
      },
      blob: (buf, at) => {
        if (skipping) return;
        const type = buf[at]!;
        const compressed = buf[at + 1]!;
        if (type > 1 || compressed > 1) throw new Error('unknown blob type or flags');
        const flags = (type === 1 ? FLAG_TREE : 0) | (compressed === 1 ? FLAG_COMPRESSED : 0);
        const id = buf.subarray(at + 2, at + 34);
        this.insert(
          id,
          packNo,
          buf.readUInt32LE(at + 34),
          buf.readUInt32LE(at + 38),
          buf.readUInt32LE(at + 42),
          flags,
        );
      },
    });
    return packs;
  }

  private insert(
    id: Uint8Array,
    packNo: number,
    offset: number,
    length: number,
    rawLength: number,
    flags: number,
  ): void {
    const known = this.find(id);
    if (known >= 0) {
      // Only the location changes, never the id or its slot: workers need not know.
      if (this.hidden.has(this.meta[known * META]!) && !this.hidden.has(packNo))
        this.setMeta(known, packNo, offset, length, rawLength, flags);
      return;
    }
    if (this.count === this.flags.length) this.grow();
    const n = this.count++;
    this.ids.set(id, n * ID_BYTES);
    this.setMeta(n, packNo, offset, length, rawLength, flags);
    this.publish(id, n);
  }

  private setMeta(
    n: number,
    packNo: number,
    offset: number,
    length: number,
    rawLength: number,
    flags: number,
  ): void {
    const m = n * META;
    this.meta[m] = packNo;
    this.meta[m + 1] = offset;
    this.meta[m + 2] = length;
    this.meta[m + 3] = rawLength;
    this.flags[n] = flags;
  }

  // Entry numbers, for whole-index passes (prune, check) that keep a byte or a counter per blob.

  /** The entry number of a hex id, or -1. */
  position(id: string): number {
    return this.findHex(id);
  }

  /** The pack number of entry n (see packName). */
  packOf(n: number): number {
    return this.meta[n * META]!;
  }

  /** The offset of entry n in its pack. */
  offsetOf(n: number): number {
    return this.meta[n * META + 1]!;
  }

  /** The stored length of entry n. */
  lengthOf(n: number): number {
    return this.meta[n * META + 2]!;
  }

  /** The plaintext length of entry n. */
  rawLengthOf(n: number): number {
    return this.meta[n * META + 3]!;
  }

  packName(packNo: number): string {
    return this.packNames[packNo]!;
  }

  /** The number of a pack, or undefined when no index file names it. */
  packNo(packId: string): number | undefined {
    return this.packNumbers.get(packId);
  }

  get packCount(): number {
    return this.packNames.length;
  }

  idAt(n: number): string {
    return Buffer.from(this.ids.buffer, this.ids.byteOffset + n * ID_BYTES, ID_BYTES).toString(
      'hex',
    );
  }

  entryAt(n: number): BlobEntry {
    return this.entry(n);
  }

  private publish(id: Uint8Array, n: number): void {
    let slot = (id[0]! | (id[1]! << 8) | (id[2]! << 16) | (id[3]! << 24)) & this.mask;
    while (Atomics.load(this.slots, slot) !== 0) slot = (slot + 1) & this.mask;
    Atomics.store(this.slots, slot, n + 1);
  }

  private grow(): void {
    const cap = this.flags.length * 2;
    const buffers = MasterIndex.allocate(cap);
    const ids = new Uint8Array(buffers.ids);
    ids.set(this.ids.subarray(0, this.count * ID_BYTES));
    const meta = new Uint32Array(cap * META);
    meta.set(this.meta);
    const flags = new Uint8Array(cap);
    flags.set(this.flags);
    this.ids = ids;
    this.meta = meta;
    this.flags = flags;
    this.slots = new Int32Array(buffers.slots);
    this.mask = this.slots.length - 1;
    for (let n = 0; n < this.count; n++)
      this.publish(ids.subarray(n * ID_BYTES, (n + 1) * ID_BYTES), n);
    for (const l of this.listeners) l(buffers);
  }

  *entries(): IterableIterator<[string, BlobEntry]> {
    const ids = Buffer.from(this.ids.buffer, this.ids.byteOffset, this.count * ID_BYTES);
    for (let n = 0; n < this.count; n++) {
      yield [ids.toString('hex', n * ID_BYTES, (n + 1) * ID_BYTES), this.entry(n)];
    }
  }
}
