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
  type KdfParams,
} from '../../../electron/engine/crypto/kdf';
import { addKey, unlock } from '../../../electron/engine/repository/keys';
import { Repository } from '../../../electron/engine/repository/repository';

describe('keys derived ahead (scrypt while the CLI loads)', () => {
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

  const kdfOf = async (name: string) =>
    (JSON.parse((await backend.read({ kind: 'keys', name })).toString()) as { kdf: KdfParams }).kdf;

  it('deriveEarly starts scrypt at once for the first key file; unlock takes that key', async () => {
    await Repository.init(backend, 'first', { kdfLogN: 10 });
    const [file] = await backend.list('keys');
    const kdf = await kdfOf(file!.name);
    vi.stubEnv('STRATA_PASSWORD', 'first');
    deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    // Registered synchronously: the CLI loads while scrypt runs.
    expect(isDerived('first', kdf)).toBe(true);
    const { master } = await unlock(backend, 'first');
    expect(master.encryption).toHaveLength(32);
    expect(isDerived('first', kdf)).toBe(false); // used once
  });

  it('a wrong password is derived once and answered as wrong', async () => {
    await Repository.init(backend, 'first', { kdfLogN: 10 });
    const [file] = await backend.list('keys');
    const kdf = await kdfOf(file!.name);
    vi.stubEnv('STRATA_PASSWORD', 'wrong');
    deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    expect(isDerived('wrong', kdf)).toBe(true);
    await expect(unlock(backend, 'wrong')).rejects.toMatchObject({ code: 'WRONG_PASSWORD' });
    expect(isDerived('wrong', kdf)).toBe(false);
  });

  it('with several key files, a password for another one still opens the repository', async () => {
    const repo = await Repository.init(backend, 'first', { kdfLogN: 10 });
    await addKey(backend, repo.key, 'second', { host: 'h', username: 'u' }, 10);
    vi.stubEnv('STRATA_PASSWORD', 'second');
    deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    const { master } = await unlock(backend, 'second');
    expect(master.encryption.equals(repo.key.encryption)).toBe(true);
  });

  it('deriveEarly keeps nothing for a password file, no password or no repository', async () => {
    await Repository.init(backend, 'first', { kdfLogN: 10 });
    const [file] = await backend.list('keys');
    const kdf = await kdfOf(file!.name);
    vi.stubEnv('STRATA_PASSWORD', 'first');
    deriveEarly(['snapshots', '--repo', join(dir, 'repo'), '--password-file', 'x']);
    expect(isDerived('first', kdf)).toBe(false);
    deriveEarly(['snapshots', '--repo', join(dir, 'nothing')]);
    expect(isDerived('first', kdf)).toBe(false);
    deriveEarly(['init', '--repo', join(dir, 'repo')]);
    expect(isDerived('first', kdf)).toBe(false);
    vi.stubEnv('STRATA_PASSWORD', '');
    deriveEarly(['snapshots', '--repo', join(dir, 'repo')]);
    expect(isDerived('', kdf)).toBe(false);
  });
});
