import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  KEY_BYTES,
  NONCE_BYTES,
  SEAL_OVERHEAD,
  TAG_BYTES,
  open,
  seal,
} from '../../../../electron/engine/crypto/aead';

const KEY = Buffer.alloc(KEY_BYTES, 0x11);
const OTHER_KEY = Buffer.alloc(KEY_BYTES, 0x22);
const AAD = 'strata:blob:data:abc';
const PLAINTEXT = Buffer.from('the quick brown fox jumps over the lazy dog');

function expectAuthFailure(fn: () => unknown, what?: string): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, what).toBeInstanceOf(AuthenticationError);
}

describe('seal / open', () => {
  it('round-trips, for every size from empty to large', () => {
    for (const size of [0, 1, 15, 16, 17, 1000, 1 << 20]) {
      const plain = Buffer.alloc(size, size & 0xff);
      const sealed = seal(KEY, plain, AAD);
      expect(sealed.length).toBe(size + SEAL_OVERHEAD);
      expect(open(KEY, sealed, AAD).equals(plain)).toBe(true);
    }
  });

  it('lays out nonce | ciphertext | tag, and the ciphertext is not the plaintext', () => {
    expect(SEAL_OVERHEAD).toBe(NONCE_BYTES + TAG_BYTES);
    const sealed = seal(KEY, PLAINTEXT, AAD);
    const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    expect(body.length).toBe(PLAINTEXT.length);
    expect(body.equals(PLAINTEXT)).toBe(false);
    expect(sealed.includes(Buffer.from('quick brown'))).toBe(false);
  });

  it('accepts the associated data as a string or as bytes alike', () => {
    const sealed = seal(KEY, PLAINTEXT, AAD);
    expect(open(KEY, sealed, Buffer.from(AAD)).equals(PLAINTEXT)).toBe(true);
    const sealedBytes = seal(KEY, PLAINTEXT, new Uint8Array(Buffer.from(AAD)));
    expect(open(KEY, sealedBytes, AAD).equals(PLAINTEXT)).toBe(true);
  });

  it('uses a fresh nonce for every seal of the same plaintext', () => {
    const seen = new Set<string>();
    const sealedAll = new Set<string>();
    // Past several refills of the nonce pool (341 nonces each): no nonce is handed out twice,
    // and a sealed message keeps its nonce after the pool is refilled.
    const first = seal(KEY, PLAINTEXT, AAD);
    const firstCopy = Buffer.from(first);
    for (let i = 0; i < 200; i++) {
      const sealed = seal(KEY, PLAINTEXT, AAD);
      seen.add(sealed.subarray(0, NONCE_BYTES).toString('hex'));
      sealedAll.add(sealed.toString('hex'));
    }
    expect(seen.size).toBe(200);
    expect(sealedAll.size).toBe(200);
    const many = new Set<string>();
    for (let i = 0; i < 1500; i++)
      many.add(seal(KEY, PLAINTEXT, AAD).subarray(0, NONCE_BYTES).toString('hex'));
    expect(many.size).toBe(1500);
    expect(first.equals(firstCopy)).toBe(true);
    expect(open(KEY, first, AAD).equals(PLAINTEXT)).toBe(true);
  });

  it('rejects the wrong key', () => {
    expectAuthFailure(() => open(OTHER_KEY, seal(KEY, PLAINTEXT, AAD), AAD));
  });

  it('rejects the wrong associated data: another type, another id, or none', () => {
    const sealed = seal(KEY, PLAINTEXT, AAD);
    expectAuthFailure(() => open(KEY, sealed, 'strata:blob:tree:abc'));
    expectAuthFailure(() => open(KEY, sealed, 'strata:blob:data:abd'));
    expectAuthFailure(() => open(KEY, sealed, ''));
    expectAuthFailure(() => open(KEY, seal(KEY, PLAINTEXT, ''), AAD));
  });

  it('rejects a flipped bit anywhere: nonce, body or tag', () => {
    const sealed = seal(KEY, PLAINTEXT, AAD);
    for (let at = 0; at < sealed.length; at++) {
      for (const bit of [0x01, 0x80]) {
        const bad = Buffer.from(sealed);
        bad[at] = (bad[at] as number) ^ bit;
        expectAuthFailure(() => open(KEY, bad, AAD), `byte ${at} bit ${bit}`);
      }
    }
  });

  it('rejects every truncation and an appended byte', () => {
    const sealed = seal(KEY, PLAINTEXT, AAD);
    for (let len = 0; len < sealed.length; len++) {
      expectAuthFailure(() => open(KEY, sealed.subarray(0, len), AAD), `first ${len} bytes`);
      expectAuthFailure(() => open(KEY, sealed.subarray(sealed.length - len), AAD), `last ${len}`);
    }
    expectAuthFailure(() => open(KEY, Buffer.concat([sealed, Buffer.alloc(1)]), AAD));
  });

  it('rejects an empty plaintext sealed under another key (tag only)', () => {
    const sealed = seal(KEY, Buffer.alloc(0), AAD);
    expect(sealed.length).toBe(SEAL_OVERHEAD);
    expect(open(KEY, sealed, AAD).length).toBe(0);
    expectAuthFailure(() => open(OTHER_KEY, sealed, AAD));
  });

  it('names what failed in the error message', () => {
    const sealed = seal(KEY, PLAINTEXT, AAD);
    const err = (() => {
      try {
        open(OTHER_KEY, sealed, AAD, 'snapshot file 1234');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err?.name).toBe('AuthenticationError');
    expect(err?.message).toContain('snapshot file 1234');
  });
});
