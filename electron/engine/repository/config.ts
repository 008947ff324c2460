/**
 * The repository config: format version, repository id and chunker parameters. Sealed like
 * everything else; a newer format version is refused with a clear message.
 */
import { randomBytes } from 'node:crypto';
import { StrataError } from '../../../shared/errors';

export const FORMAT_VERSION = 1;
export const CONFIG_AAD = 'strata:config';

export interface ChunkerParams {
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}

export interface RepoConfig {
  readonly version: number;
  readonly id: string;
  readonly created: string;
  readonly chunker: ChunkerParams;
  readonly compression: 'zstd';
}

export const DEFAULT_CHUNKER: ChunkerParams = {
  min: 512 * 1024,
  avg: 1024 * 1024,
  max: 8 * 1024 * 1024,
};

export function newConfig(): RepoConfig {
  return {
    version: FORMAT_VERSION,
    id: randomBytes(32).toString('hex'),
    created: new Date().toISOString(),
    chunker: DEFAULT_CHUNKER,
    compression: 'zstd',
  };
}

/** Parses and checks a decrypted config. */
export function parseConfig(bytes: Buffer): RepoConfig {
  const c = JSON.parse(bytes.toString('utf8')) as RepoConfig;
  if (typeof c.version !== 'number')
    throw new StrataError('REPO_CORRUPT', 'the repository config is malformed');
  if (c.version > FORMAT_VERSION) {
    throw new StrataError(
      'REPO_VERSION_UNSUPPORTED',
      `this repository uses format version ${c.version}; this Strata understands version ${FORMAT_VERSION}. Upgrade Strata to use it.`,
    );
  }
  const { min, avg, max } = c.chunker ?? {};
  if (!(min > 0 && avg >= min && max >= avg && max <= 64 * 1024 * 1024)) {
    throw new StrataError('REPO_CORRUPT', 'the repository config has invalid chunker parameters');
  }
  return c;
}
