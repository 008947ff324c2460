import { describe, expect, it } from 'vitest';
import {
  MIN_LOG_N,
  deriveKey,
  newKdfParams,
  type KdfParams,
} from '../../../../electron/engine/crypto/kdf';
import { StrataError } from '../../../../shared/errors';

const SALT_A = Buffer.alloc(32, 1).toString('base64');
const SALT_B = Buffer.alloc(32, 2).toString('base64');
const params = (over: Partial<KdfParams> = {}): KdfParams => ({
  name: 'scrypt',
  logN: MIN_LOG_N,
  r: 8,
  p: 1,
  salt: SALT_A,
  ...over,
});

async function codeOf(promise: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await promise();
  } catch (err) {
    expect(err).toBeInstanceOf(StrataError);
    return (err as StrataError).code;
  }
  return undefined;
}

describe('newKdfParams', () => {
  it('makes scrypt parameters with a fresh 32-byte salt', () => {
    const a = newKdfParams(MIN_LOG_N);
    const b = newKdfParams(MIN_LOG_N);
    expect(a).toMatchObject({ name: 'scrypt', logN: 10, r: 8, p: 3 });
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(32);
    expect(a.salt).not.toBe(b.salt);
  });

  it('defaults to cost 2^17 and accepts the range 10..22', () => {
    expect(newKdfParams().logN).toBe(15);
    expect(newKdfParams(22).logN).toBe(22);
  });

  it.each([9, 23, 0, -1, 10.5, Number.NaN, Infinity])('refuses logN %s', (logN) => {
    expect(() => newKdfParams(logN)).toThrow(StrataError);
    try {
      newKdfParams(logN);
    } catch (err) {
      expect((err as StrataError).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('deriveKey', () => {
  it('is deterministic for the same password and parameters', async () => {
    const a = await deriveKey('correct horse', params());
    const b = await deriveKey('correct horse', params());
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(true);
  });

  it('differs with another salt, password, cost or block size', async () => {
    const base = (await deriveKey('correct horse', params())).toString('hex');
    const others = [
      await deriveKey('correct horse', params({ salt: SALT_B })),
      await deriveKey('correct horsE', params()),
      await deriveKey('correct horse', params({ logN: 11 })),
      await deriveKey('correct horse', params({ r: 4 })),
    ].map((k) => k.toString('hex'));
    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('normalises the password to NFC: composed and decomposed é give one key', async () => {
    const composed = 'caf\u00e9';
    const decomposed = 'cafe\u0301';
    expect(composed).not.toBe(decomposed);
    const a = await deriveKey(composed, params());
    const b = await deriveKey(decomposed, params());
    expect(a.equals(b)).toBe(true);
  });

  it.each([9, 23, 30, 10.5, -1])('rejects logN %s with INVALID_ARGUMENT', async (logN) => {
    // A promise-returning function reports failure by rejecting, not by throwing.
    let rejection: unknown;
    let syncThrow: unknown;
    try {
      await deriveKey('pw', params({ logN })).catch((err: unknown) => {
        rejection = err;
      });
    } catch (err) {
      syncThrow = err;
    }
    expect(syncThrow).toBeUndefined();
    expect(rejection).toBeInstanceOf(StrataError);
    expect((rejection as StrataError).code).toBe('INVALID_ARGUMENT');
  });

  it('refuses an unknown key derivation as a newer format', async () => {
    const unknown = { ...params(), name: 'argon2id' } as unknown as KdfParams;
    expect(await codeOf(() => deriveKey('pw', unknown))).toBe('REPO_VERSION_UNSUPPORTED');
  });
});
