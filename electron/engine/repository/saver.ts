/**
 * Saves blobs: deduplicates against the index, fills data and tree packs (kept apart, so
 * browsing never reads file data), stores full packs, and writes index files for stored packs.
 *
 * Write order (ENGINE.md invariant 1): a pack is stored before any index file names it, and the
 * caller writes the snapshot only after `flush()`. Index files are also written every
 * `indexEvery` packs or every minute, so a crashed backup leaves its stored packs findable and
 * the next run reuses them instead of uploading them again.
 */
import type { PartialFile } from '../backends/backend';
import { keyedId } from '../crypto/master-key';
import { sealBlob, type BlobType, type SealedBlob } from './blob';
import { encodeIndexFile, type IndexedPack } from './index-file';
import { PackBuilder, StagingBuffers } from './pack';
import type { Repository } from './repository';

/**
 * Limits in blobs as well as bytes: with many tiny files a 16 MiB pack would hold ~250,000
 * blobs, and every blob not yet in an index file costs memory (its entry) until one is written.
 */
const MAX_PACK_BLOBS = 65_536;
const INDEX_EVERY_BLOBS = 100_000;
/**
 * A data pack's blobs are written out every 2 MiB where the backend can append
 * (openPartial): the coordinator then holds 2 MiB per pack, not the whole 16 MiB pack plus
 * the one being stored, and the Buffers handed over by workers die young (cheap to free).
 */
const PART_BYTES = 2 * 1024 * 1024;

/** A pack being filled, and where its bytes go as they come. */
interface OpenPack {
  readonly builder: PackBuilder;
  /** The temp file its parts are appended to, opened with the first part. */
  file?: PartialFile;
  /** Appends in order, one after the other. */
  writes: Promise<void>;
}

const openPack = (staging: StagingBuffers): OpenPack => ({
  builder: new PackBuilder(staging),
  writes: Promise.resolve(),
});

export interface SaverOptions {
  /** Target pack size in bytes. */
  readonly packSize?: number;
  /** Write an index file after this many stored packs, or this long after the last one. */
  readonly indexEvery?: number;
  readonly indexEveryMs?: number;
  /** Count everything, store nothing. */
  readonly dryRun?: boolean;
  /**
   * Store blobs even when the index already knows them (prune's repack copies the used blobs
   * of mostly-unused packs into new ones); blobs added twice to this saver are still stored once.
   */
  readonly copyKnown?: boolean;
}

export interface SaveResult {
  readonly id: string;
  /** False when the blob was already stored (deduplicated). */
  readonly added: boolean;
}

export interface SaverStats {
  blobsAdded: number;
  bytesAdded: number;
  bytesStored: number;
  packsStored: number;
}

export class BlobSaver {
  readonly stats: SaverStats = { blobsAdded: 0, bytesAdded: 0, bytesStored: 0, packsStored: 0 };
  private readonly staging = new StagingBuffers(PART_BYTES);
  private readonly open: Record<BlobType, OpenPack> = {
    data: openPack(this.staging),
    tree: openPack(this.staging),
  };
  /** Blobs in open packs, not yet stored: deduplicated too. */
  private readonly pending = new Set<string>();
  private unindexed: IndexedPack[] = [];
  private readonly writing = new Set<Promise<void>>();
  private lastIndex = Date.now();
  private unindexedBlobs = 0;
  private readonly indexEveryMs: number;
  private readonly packSize: number;
  private readonly indexEvery: number;
  private readonly dryRun: boolean;
  private readonly copyKnown: boolean;

  constructor(
    private readonly repo: Repository,
    options: SaverOptions = {},
  ) {
    this.packSize = options.packSize ?? 16 * 1024 * 1024;
    this.indexEvery = options.indexEvery ?? 32;
    this.indexEveryMs = options.indexEveryMs ?? 60_000;
    this.dryRun = options.dryRun ?? false;
    this.copyKnown = options.copyKnown ?? false;
  }

  /** True when the blob is stored or about to be. */
  known(id: string): boolean {
    return (!this.copyKnown && this.repo.index.has(id)) || this.pending.has(id);
  }

  /** Saves one blob unless it is already known; `id` may be passed when already computed. */
  async save(type: BlobType, plaintext: Buffer, id?: string): Promise<SaveResult> {
    const blobId = id ?? keyedId(this.repo.key, plaintext);
    if (this.known(blobId)) return { id: blobId, added: false };
    return this.addSealed(sealBlob(this.repo.key, type, plaintext, blobId));
  }

  /**
   * Packs a blob sealed elsewhere (a worker) unless it is already known. Resolves once the blob
   * is in a pack builder and, if that filled the pack, once the pack is stored: awaiting it is
   * what bounds the bytes in flight.
   */
  async addSealed(blob: SealedBlob): Promise<SaveResult> {
    if (this.known(blob.id)) return { id: blob.id, added: false };
    this.pending.add(blob.id);
    const pack = this.open[blob.type];
    const { builder } = pack;
    builder.add(blob);
    this.stats.blobsAdded++;
    this.stats.bytesAdded += blob.rawLength;
    this.stats.bytesStored += blob.sealed.length;
    if (builder.byteLength >= this.packSize || builder.count >= MAX_PACK_BLOBS) {
      await this.track(this.storePack(blob.type));
    } else if (builder.heldBytes >= PART_BYTES && this.appends(blob.type)) {
      await this.writeParts(pack, builder.takeParts());
    }
    return { id: blob.id, added: true };
  }

  /** Whether packs of this type are written as they fill (tree packs are small: kept whole). */
  private appends(type: BlobType): boolean {
    return type === 'data' && !this.dryRun && this.repo.backend.openPartial !== undefined;
  }

  /** Appends parts to the pack's temp file, after those before them. */
  private writeParts(pack: OpenPack, parts: readonly Buffer[]): Promise<void> {
    pack.writes = pack.writes.then(async () => {
      pack.file ??= await this.repo.backend.openPartial!('data');
      await pack.file.append(parts);
      this.staging.give(parts);
    });
    return pack.writes;
  }

  /** Remembers a pack write in flight, so flush() can wait for it. */
  private async track(write: Promise<void>): Promise<void> {
    this.writing.add(write);
    try {
      await write;
    } finally {
      this.writing.delete(write);
    }
  }

  private async storePack(type: BlobType): Promise<void> {
    const pack = this.open[type];
    if (pack.builder.count === 0) return;
    this.open[type] = openPack(this.staging);
    const { id, parts, blobs } = pack.builder.finish(this.repo.key);
    this.stats.packsStored++;
    // A dry run keeps its blobs pending (deduplicated) and writes nothing.
    if (this.dryRun) return;
    if (this.appends(type)) {
      try {
        await this.writeParts(pack, parts);
        await pack.file!.commit(id);
      } catch (err) {
        await pack.file?.abort();
        throw err;
      }
    } else {
      await this.repo.backend.write({ kind: 'data', name: id }, parts);
      this.staging.give(parts);
    }
    const stored = { id, blobs };
    this.repo.index.add(stored);
    for (const b of blobs) this.pending.delete(b.id);
    this.unindexed.push(stored);
    this.unindexedBlobs += blobs.length;
    if (
      this.unindexed.length >= this.indexEvery ||
      this.unindexedBlobs >= INDEX_EVERY_BLOBS ||
      Date.now() - this.lastIndex >= this.indexEveryMs
    ) {
      await this.writeIndex();
    }
  }

  private async writeIndex(): Promise<void> {
    if (this.unindexed.length === 0) return;
    const packs = this.unindexed;
    this.unindexed = [];
    this.unindexedBlobs = 0;
    this.lastIndex = Date.now();
    await this.repo.saveFile('index', encodeIndexFile(packs));
  }

  /** Stores every open pack and indexes every stored pack. Call before writing a snapshot. */
  async flush(): Promise<void> {
    await Promise.all([this.storePack('data'), this.storePack('tree'), ...this.writing]);
    await this.writeIndex();
  }
}
