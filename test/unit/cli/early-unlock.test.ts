import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveEarly } from '../../../electron/cli/early-unlock';
import { LocalBackend } from '../../../electron/engine/backends/local';
import {
  deriveKey,
  isDerived,
  keepDerived,
  newKdfParams,
} from '../../../electron/engine/crypto/kdf';
import { addKey, unlock } from '../../../electron/engine/repository/keys';
import { Repository } from '../../../electron/engine/repository/repository';

describe('keys derived ahead (scrypt before the CLI loads)', () => {
  let dir: string;
  let backend: LocalBackend;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-early-'));
    backend = new LocalBackend(join(dir, 'repo'));
  });

  afterEach(async () => {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  });

  it('a kept key answers deriveKey once, for that password and those parameters only', async () => {
    const params = newKdfParams(10);
    const fake = Buffer.alloc(32, 7);
    keepDerived('pw', params, fake);
    expect(isDerived('other', params)).toBe(false);
    expect(isDerived('pw', { ...params, salt: newKdfParams(10).salt })).toBe(false);
    expect(isDerived('pw', params)).toBe(true);
    expect(await deriveKey('pw', params)).toBe(fake);
    expect(isDerived('pw', params)).toBe(false);
    expect((await deriveKey('pw', params)).equals(fake)).toBe(false);
  });

  it('deriveEarly keeps the key of the key file the password opens; unlock uses it', async () => {
    const repo = await Repository.init(backend, 'first', { kdfLogN: 10 });
    await addKey(backend, repo.key, 'second', { host: 'h', username: 'u' }, 10);
    vi.stubEnv('STRATA_PASSWORD', 'second');
    await deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    const files = await backend.list('keys');
    const kdfs = await Promise.all(
      files.map(async (f) => JSON.parse((await backend.read({ kind: 'keys', ...f })).toString())),
    );
    expect(kdfs.filter((k: { kdf: never }) => isDerived('second', k.kdf))).toHaveLength(1);
    const { master } = await unlock(backend, 'second');
    expect(master.encryption.equals(repo.key.encryption)).toBe(true);
    expect(kdfs.some((k: { kdf: never }) => isDerived('second', k.kdf))).toBe(false);
  });

  it('deriveEarly keeps nothing for a wrong password, a password file, or no repository', async () => {
    await Repository.init(backend, 'first', { kdfLogN: 10 });
    const [file] = await backend.list('keys');
    const kdf = JSON.parse((await backend.read({ kind: 'keys', ...file! })).toString()).kdf;
    vi.stubEnv('STRATA_PASSWORD', 'wrong');
    await deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    expect(isDerived('wrong', kdf)).toBe(false);
    vi.stubEnv('STRATA_PASSWORD', 'first');
    await deriveEarly(['snapshots', '--repo', join(dir, 'repo'), '--password-file', 'x']);
    expect(isDerived('first', kdf)).toBe(false);
    await deriveEarly(['snapshots', '--repo', join(dir, 'nothing')]);
    expect(isDerived('first', kdf)).toBe(false);
  });
});
