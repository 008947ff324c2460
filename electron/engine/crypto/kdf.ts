/**
 * Password-based key derivation: scrypt, built into Node (no WASM, no native module).
 *
 * The parameters are stored in each key file, so they can be raised later without breaking old
 * repositories. Default N=2^15, r=8, p=3: one of OWASP's equivalent minimum settings, chosen
 * for memory (32 MiB, so opening a repository does not dominate a backup's peak memory; 2^17
 * with p=1 needs 128 MiB) at about the same cost in time (~0.3 s here).
 */
import { createHash, randomBytes, scrypt } from 'node:crypto';
import { StrataError } from '../../../shared/errors';

export interface KdfParams {
  readonly name: 'scrypt';
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  /** Base64. */
  readonly salt: string;
}

export const DEFAULT_LOG_N = 15;
/** Parallelism: three passes over 2^15 x 1 KiB keep memory at 32 MiB (restic's limit is 60). */
export const DEFAULT_P = 3;
/** Below this the KDF is too cheap for anything but tests. */
export const MIN_LOG_N = 10;
const MAX_LOG_N = 22;

/** Fresh parameters with a random salt. */
export function newKdfParams(logN = DEFAULT_LOG_N): KdfParams {
  checkLogN(logN);
  return { name: 'scrypt', logN, r: 8, p: DEFAULT_P, salt: randomBytes(32).toString('base64') };
}

function checkLogN(logN: number): void {
  if (!Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `scrypt cost must be a whole number from ${MIN_LOG_N} to ${MAX_LOG_N} (got ${logN})`,
    );
  }
}

/** Keys derived ahead of need (keepDerived), by password and parameters; each is used once. */
const ahead = new Map<string, Promise<Buffer>>();

function aheadKey(password: string, params: KdfParams): string {
  const { name, logN, r, p, salt } = params;
  return createHash('sha256')
    .update(JSON.stringify([password.normalize('NFC'), name, logN, r, p, salt]))
    .digest('hex');
}

/**
 * Keeps a key derived (or being derived) before it is needed, for the next deriveKey of the
 * same password and parameters (once: it is forgotten when taken). The CLI starts scrypt
 * before it loads the engine (cli/early-unlock.ts), so the two overlap.
 */
export function keepDerived(
  password: string,
  params: KdfParams,
  key: Buffer | Promise<Buffer>,
): void {
  const kept = Promise.resolve(key);
  kept.catch(() => undefined); // a failure is met again, and reported, by deriveKey
  ahead.set(aheadKey(password, params), kept);
}

/** Whether deriveKey(password, params) will be answered from keepDerived, without scrypt. */
export function isDerived(password: string, params: KdfParams): boolean {
  return ahead.size > 0 && ahead.has(aheadKey(password, params));
}

/**
 * Derives a 32-byte key from a password; async so it does not block the event loop. Invalid
 * parameters reject the promise (they do not throw synchronously).
 */
export async function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  if (ahead.size > 0) {
    const k = aheadKey(password, params);
    const kept = ahead.get(k);
    ahead.delete(k);
    if (kept) {
      const key = await kept.catch(() => undefined);
      if (key) return key;
    }
  }
  return scryptKey(password, params);
}

async function scryptKey(password: string, params: KdfParams): Promise<Buffer> {
  if (params.name !== 'scrypt') {
    throw new StrataError('REPO_VERSION_UNSUPPORTED', `unknown key derivation "${params.name}"`);
  }
  checkLogN(params.logN);
  if (
    !Number.isInteger(params.r) ||
    params.r < 1 ||
    params.r > 32 ||
    !Number.isInteger(params.p) ||
    params.p < 1 ||
    params.p > 16
  ) {
    throw new StrataError(
      'REPO_CORRUPT',
      `scrypt parameters out of range (r=${params.r}, p=${params.p})`,
    );
  }
  const N = 2 ** params.logN;
  const maxmem = 128 * N * params.r * params.p + 32 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      Buffer.from(params.salt, 'base64'),
      32,
      { N, r: params.r, p: params.p, maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}
