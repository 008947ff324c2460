/**
 * The repository's master key: three independent 256-bit keys, made once at `init`.
 *
 * encryption: AES-256-GCM for every stored object; id: HMAC-SHA256 for blob and file ids (plain
 * SHA-256 would let whoever holds the storage confirm that a known file is stored); chunker: the
 * secret that derives the gear table, so chunk boundaries do not leak file contents either.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { KEY_BYTES } from './aead';

export interface MasterKey {
  readonly encryption: Buffer;
  readonly id: Buffer;
  readonly chunker: Buffer;
}

/** Serialised size of a master key. */
export const MASTER_KEY_BYTES = 3 * KEY_BYTES;

/** A fresh random master key. */
export function generateMasterKey(): MasterKey {
  return decodeMasterKey(randomBytes(MASTER_KEY_BYTES));
}

export function encodeMasterKey(key: MasterKey): Buffer {
  return Buffer.concat([key.encryption, key.id, key.chunker]);
}

export function decodeMasterKey(bytes: Uint8Array): MasterKey {
  if (bytes.length !== MASTER_KEY_BYTES) throw new Error('master key has the wrong length');
  const b = Buffer.from(bytes);
  return {
    encryption: b.subarray(0, KEY_BYTES),
    id: b.subarray(KEY_BYTES, 2 * KEY_BYTES),
    chunker: b.subarray(2 * KEY_BYTES),
  };
}

/** The keyed id of some bytes: HMAC-SHA256 under the id key, as 64 hex characters. */
export function keyedId(key: MasterKey, data: Uint8Array): string {
  return createHmac('sha256', key.id).update(data).digest('hex');
}

/** The keyed id as 32 raw bytes. */
export function keyedIdBytes(key: MasterKey, data: Uint8Array): Buffer {
  return createHmac('sha256', key.id).update(data).digest();
}
