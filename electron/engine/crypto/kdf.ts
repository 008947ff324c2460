/**
 * Password-based key derivation: scrypt, built into Node (no WASM, no native module).
 *
 * The parameters are stored in each key file, so they can be raised later without breaking old
 * repositories. Default cost 2^17 (r=8, p=1: 128 MiB, ~0.4 s here), OWASP's minimum for scrypt.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { StrataError } from '../../../shared/errors';

export interface KdfParams {
  readonly name: 'scrypt';
  readonly logN: number;
  readonly r: number;
  readonly p: number;
  /** Base64. */
  readonly salt: string;
}

export const DEFAULT_LOG_N = 17;
/** Below this the KDF is too cheap for anything but tests. */
export const MIN_LOG_N = 10;
const MAX_LOG_N = 22;

/** Fresh parameters with a random salt. */
export function newKdfParams(logN = DEFAULT_LOG_N): KdfParams {
  checkLogN(logN);
  return { name: 'scrypt', logN, r: 8, p: 1, salt: randomBytes(32).toString('base64') };
}

function checkLogN(logN: number): void {
  if (!Number.isInteger(logN) || logN < MIN_LOG_N || logN > MAX_LOG_N) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `scrypt cost must be a whole number from ${MIN_LOG_N} to ${MAX_LOG_N} (got ${logN})`,
    );
  }
}

/** Derives a 32-byte key from a password; async so it does not block the event loop. */
export function deriveKey(password: string, params: KdfParams): Promise<Buffer> {
  if (params.name !== 'scrypt') {
    throw new StrataError('REPO_VERSION_UNSUPPORTED', `unknown key derivation "${params.name}"`);
  }
  checkLogN(params.logN);
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
