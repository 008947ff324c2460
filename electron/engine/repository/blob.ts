/**
 * Blobs: the unit of deduplication. A data blob is one chunk of a file; a tree blob is one
 * directory listing. Stored form: zstd-compressed when that helps, then sealed with the blob's
 * type and id as associated data.
 */
import { decompress } from 'zstd-napi';
import { CCtx, CParameter, compressBound, DCtx } from 'zstd-napi/binding';
import { open, seal } from '../crypto/aead';
import { keyedId, type MasterKey } from '../crypto/master-key';

export type BlobType = 'data' | 'tree';

/** Where a blob lives and how it is stored. */
export interface BlobEntry {
  readonly type: BlobType;
  readonly pack: string;
  readonly offset: number;
  /** Stored (sealed) length. */
  readonly length: number;
  /** Plaintext length before compression. */
  readonly rawLength: number;
  readonly compressed: boolean;
}

/** A blob ready to be packed. */
export interface SealedBlob {
  readonly type: BlobType;
  readonly id: string;
  readonly sealed: Buffer;
  readonly rawLength: number;
  readonly compressed: boolean;
}

/**
 * zstd's level 2 (the "fast" strategy) with level 4's hash table (2^18 entries, 1 MiB), set on
 * each thread's context (newContext). On the bench's data, one thread here: level 3 ~130 MiB/s
 * at a ratio of 0.5054, this ~160-175 MiB/s at 0.5043 (plain level 2: 0.5085, level 1:
 * 0.5096 at ~180). Compression is the slowest stage of a first backup, so this is most of
 * its time. Readers need nothing: the level is not part of the format.
 */
const ZSTD_LEVEL = 2;
const ZSTD_HASH_LOG = 18;

function newContext(): CCtx {
  const c = new CCtx();
  c.setParameter(CParameter.compressionLevel, ZSTD_LEVEL);
  c.setParameter(CParameter.hashLog, ZSTD_HASH_LOG);
  return c;
}
/** Compression must save at least this share to be kept: otherwise the blob is stored raw. */
const MIN_SAVING = 1 / 32;

const SAMPLE = 16 * 1024;

/**
 * A cheap look before compressing a large blob: zstd on three 16 KiB samples (start, middle,
 * end). Random-looking data (already compressed media, archives, encrypted files) is then
 * stored raw at ~5% of the cost of trying to compress all of it.
 */
function worthCompressing(plaintext: Buffer): boolean {
  if (plaintext.length < 16 * SAMPLE) return true;
  const mid = (plaintext.length >> 1) - SAMPLE / 2;
  let packed = 0;
  cctx ??= newContext();
  sampleOut ??= Buffer.allocUnsafeSlow(compressBound(SAMPLE));
  for (const at of [0, mid, plaintext.length - SAMPLE]) {
    packed += cctx.compress(sampleOut, plaintext.subarray(at, at + SAMPLE), ZSTD_LEVEL);
  }
  return packed <= 3 * SAMPLE * (1 - MIN_SAVING);
}

/** The samples' output buffer (compress() would make a context and a buffer per sample). */
let sampleOut: Buffer | undefined;

/** The associated data that binds a blob to its type and id. */
export function blobAad(type: BlobType, id: string): string {
  return `strata:blob:${type}:${id}`;
}

/**
 * This thread's compression context and output buffer, reused blob after blob: zstd-napi's
 * compress() allocates a bound-sized buffer per call and copies the result out of it, two
 * blob-sized allocations that live until the next GC. The output is only read by seal().
 */
let cctx: CCtx | undefined;
let out: Buffer | undefined;

/** Output buffers up to this size are kept; a larger one (a rare long chunk) is not. */
const KEEP_OUT = 2 * 1024 * 1024 + 64 * 1024;

function compressInto(plaintext: Buffer): Buffer {
  cctx ??= newContext();
  const bound = compressBound(plaintext.length);
  const dest = out && out.length >= bound ? out : Buffer.allocUnsafeSlow(bound);
  if (dest.length <= KEEP_OUT) out = dest;
  return dest.subarray(0, cctx.compress2(dest, plaintext));
}

/** Compresses (where it helps) and seals one blob; `id` may be passed when already known. */
export function sealBlob(
  key: MasterKey,
  type: BlobType,
  plaintext: Buffer,
  id = keyedId(key, plaintext),
): SealedBlob {
  let body: Buffer = plaintext;
  let compressed = false;
  if (plaintext.length >= 64 && worthCompressing(plaintext)) {
    const packed = compressInto(plaintext);
    if (packed.length <= plaintext.length * (1 - MIN_SAVING)) {
      body = packed;
      compressed = true;
    }
  }
  return {
    type,
    id,
    sealed: seal(key.encryption, body, blobAad(type, id)),
    rawLength: plaintext.length,
    compressed,
  };
}

/** This thread's decompression context and output buffer (openBlobReusing). */
let dctx: DCtx | undefined;
let plainOut: Buffer | undefined;

/**
 * openBlob for a caller that is done with the plaintext before its next call in this thread
 * (a restore writes each blob, then forgets it): a compressed blob is decompressed into one
 * reused buffer, not a fresh blob-sized one left to the GC, so restoring costs a worker
 * one blob's memory, not the MiB of dead plaintext between scavenges. Same checks as openBlob.
 */
export function openBlobReusing(
  key: MasterKey,
  id: string,
  entry: Pick<BlobEntry, 'type' | 'rawLength' | 'compressed' | 'pack'>,
  sealed: Uint8Array,
): Buffer {
  return openWith(key, id, entry, sealed, (body) => {
    dctx ??= new DCtx();
    const need = Math.max(entry.rawLength, 1);
    const dest = plainOut && plainOut.length >= need ? plainOut : Buffer.allocUnsafeSlow(need);
    if (dest.length <= KEEP_OUT) plainOut = dest;
    // A frame larger than rawLength fails here (destination too small): a damaged blob.
    return dest.subarray(0, dctx.decompress(dest, body));
  });
}

/**
 * Opens a stored blob and proves it is what its id says: authenticated under its type and id,
 * the right length, and its keyed hash matches.
 */
export function openBlob(
  key: MasterKey,
  id: string,
  entry: Pick<BlobEntry, 'type' | 'rawLength' | 'compressed' | 'pack'>,
  sealed: Uint8Array,
): Buffer {
  return openWith(key, id, entry, sealed, decompress);
}

function openWith(
  key: MasterKey,
  id: string,
  entry: Pick<BlobEntry, 'type' | 'rawLength' | 'compressed' | 'pack'>,
  sealed: Uint8Array,
  inflate: (body: Buffer) => Buffer,
): Buffer {
  const what = `${entry.type} blob ${id.slice(0, 12)} in pack ${entry.pack.slice(0, 12)}`;
  const body = open(key.encryption, sealed, blobAad(entry.type, id), what);
  const plain = entry.compressed ? inflate(body) : body;
  if (plain.length !== entry.rawLength || keyedId(key, plain) !== id) {
    throw new Error(`${what}: content does not match its id`);
  }
  return plain;
}
