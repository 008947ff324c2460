import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend, FileKind } from '../../../../electron/engine/backends/backend';
import { LocalBackend } from '../../../../electron/engine/backends/local';
import { encodeMasterKey } from '../../../../electron/engine/crypto/master-key';
import {
  KEY_FILE_VERSION,
  addKey,
  listKeys,
  unlock,
} from '../../../../electron/engine/repository/keys';
import { Repository, whoAmI } from '../../../../electron/engine/repository/repository';
import { StrataError, type ErrorCode } from '../../../../shared/errors';

const LOG_N = 10;
const who = { host: 'test-host', username: 'tester' };

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<StrataError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StrataError);
  expect((err as StrataError).code).toBe(code);
  return err as StrataError;
}

/** The backend, with key files listed in name order so tests can choose which is tried first. */
function sortedKeys(backend: Backend): Backend {
  return new Proxy(backend, {
    get(target, prop, receiver) {
      if (prop === 'list') {
        return async (kind: FileKind) =>
          (await target.list(kind)).sort((a, b) => (a.name < b.name ? -1 : 1));
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('key files', () => {
  let dir: string;
  let backend: LocalBackend;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-keys-'));
    backend = new LocalBackend(join(dir, 'repo'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Replaces every key file with the given JSON objects (by name). */
  async function replaceKeys(files: Record<string, unknown>): Promise<void> {
    for (const { name } of await backend.list('keys')) await backend.remove({ kind: 'keys', name });
    for (const [name, file] of Object.entries(files)) {
      await backend.write({ kind: 'keys', name }, Buffer.from(JSON.stringify(file)));
    }
  }

  async function onlyKey(): Promise<{ name: string; file: Record<string, unknown> }> {
    const keys = await backend.list('keys');
    expect(keys).toHaveLength(1);
    const name = (keys[0] as { name: string }).name;
    const file = JSON.parse((await backend.read({ kind: 'keys', name })).toString()) as Record<
      string,
      unknown
    >;
    return { name, file };
  }

  it('init writes one key file holding no plaintext key, with the KDF parameters', async () => {
    const repo = await Repository.init(backend, 'first password', { kdfLogN: LOG_N });
    const { name, file } = await onlyKey();
    expect(name).toBe(repo.keyId);
    expect(file.version).toBe(KEY_FILE_VERSION);
    expect(file.kdf).toMatchObject({ name: 'scrypt', logN: LOG_N, r: 8, p: 3 });
    const raw = (await backend.read({ kind: 'keys', name })).toString('latin1');
    for (const part of [repo.key.encryption, repo.key.id, repo.key.chunker]) {
      expect(raw).not.toContain(part.toString('hex'));
      expect(raw).not.toContain(part.toString('base64'));
      expect(raw).not.toContain(part.toString('latin1'));
    }
  });

  it('two passwords open the same master key, each through its own key file', async () => {
    const repo = await Repository.init(backend, 'first password', { kdfLogN: LOG_N });
    const second = await addKey(backend, repo.key, 'second password', who, LOG_N);
    expect(second).not.toBe(repo.keyId);
    expect(await backend.list('keys')).toHaveLength(2);

    const a = await Repository.open(backend, 'first password');
    const b = await Repository.open(backend, 'second password');
    expect(a.keyId).toBe(repo.keyId);
    expect(b.keyId).toBe(second);
    expect(encodeMasterKey(a.key).equals(encodeMasterKey(repo.key))).toBe(true);
    expect(encodeMasterKey(b.key).equals(encodeMasterKey(repo.key))).toBe(true);
    expect(b.config).toEqual(repo.config);

    const listed = await listKeys(backend, b.key);
    expect(listed.map((k) => k.id).sort()).toEqual([repo.keyId, second].sort());
    expect(listed.find((k) => k.id === second)).toMatchObject(who);
    expect(listed.find((k) => k.id === repo.keyId)).toMatchObject(whoAmI());
  });

  it('the wrong password is WRONG_PASSWORD, also with several keys', async () => {
    const repo = await Repository.init(backend, 'first password', { kdfLogN: LOG_N });
    await expectCode(Repository.open(backend, 'First password'), 'WRONG_PASSWORD');
    await expectCode(Repository.open(backend, ''), 'WRONG_PASSWORD');
    await addKey(backend, repo.key, 'second password', who, LOG_N);
    await expectCode(Repository.open(backend, 'third password'), 'WRONG_PASSWORD');
    await expectCode(unlock(backend, 'third password'), 'WRONG_PASSWORD');
  });

  it('a key file stored under another name does not open (the name is bound)', async () => {
    await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    const { file } = await onlyKey();
    await replaceKeys({ ['ab'.repeat(16)]: file });
    await expectCode(Repository.open(backend, 'pw'), 'WRONG_PASSWORD');
  });

  it('a key file with version 2 only is REPO_VERSION_UNSUPPORTED, not a wrong password', async () => {
    await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    const { name, file } = await onlyKey();
    await replaceKeys({ [name]: { ...file, version: 2 } });
    const err = await expectCode(Repository.open(backend, 'pw'), 'REPO_VERSION_UNSUPPORTED');
    expect(err.message).toMatch(/version 2/);
    await expectCode(Repository.open(backend, 'another'), 'REPO_VERSION_UNSUPPORTED');
  });

  it('a version 2 key file next to a version 1 one does not stop the password opening', async () => {
    const repo = await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    const { name, file } = await onlyKey();
    await replaceKeys({ [name]: file, ['00'.repeat(16)]: { ...file, version: 2 } });
    const sorted = sortedKeys(backend);
    const opened = await Repository.open(sorted, 'pw');
    expect(opened.keyId).toBe(repo.keyId);
    // A password no version 1 key knows may belong to the newer key: say so.
    await expectCode(Repository.open(sorted, 'other'), 'REPO_VERSION_UNSUPPORTED');
  });

  it.each([
    ['not JSON', '{not json'],
    ['JSON null', 'null'],
    ['without KDF parameters', JSON.stringify({ version: 1, payload: 'AAAA', info: '' })],
    ['without a payload', JSON.stringify({ version: 1, kdf: { name: 'scrypt' }, info: '' })],
  ])('a damaged key file (%s) tried first is skipped; the others still open', async (_, text) => {
    const repo = await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    await backend.write({ kind: 'keys', name: '00'.repeat(16) }, Buffer.from(text));
    const opened = await Repository.open(sortedKeys(backend), 'pw');
    expect(opened.keyId).toBe(repo.keyId);
    await expectCode(Repository.open(sortedKeys(backend), 'other'), 'WRONG_PASSWORD');
    // key list shows it as unreadable rather than failing.
    const listed = await listKeys(backend, repo.key);
    expect(listed).toHaveLength(2);
    expect(listed.find((k) => k.id === '00'.repeat(16))?.host).toBe('(unreadable)');
  });

  it.each<[string, (kdf: Record<string, unknown>) => Record<string, unknown>]>([
    ['a newer key derivation', (kdf) => ({ ...kdf, name: 'argon2id' })],
    ['an out-of-range scrypt cost', (kdf) => ({ ...kdf, logN: 40 })],
  ])('a key file with %s tried first does not stop another key opening', async (_what, edit) => {
    const repo = await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    const { name, file } = await onlyKey();
    const odd = { ...file, kdf: edit(file.kdf as Record<string, unknown>) };
    await replaceKeys({ [name]: file, ['00'.repeat(16)]: odd });
    const opened = await Repository.open(sortedKeys(backend), 'pw');
    expect(opened.keyId).toBe(repo.keyId);
  });

  it('no key files at all is REPO_CORRUPT; no config is REPO_NOT_FOUND', async () => {
    await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    await replaceKeys({});
    await expectCode(Repository.open(backend, 'pw'), 'REPO_CORRUPT');
    const empty = new LocalBackend(join(dir, 'nothing'));
    await empty.create();
    await expectCode(Repository.open(empty, 'pw'), 'REPO_NOT_FOUND');
  });

  it('refuses an empty password when creating a repository or adding a key', async () => {
    await expectCode(Repository.init(backend, '', { kdfLogN: LOG_N }), 'INVALID_ARGUMENT');
    const repo = await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    await expectCode(addKey(backend, repo.key, '', who, LOG_N), 'INVALID_ARGUMENT');
    expect(await backend.list('keys')).toHaveLength(1);
  });

  it('refuses to init over an existing repository', async () => {
    await Repository.init(backend, 'pw', { kdfLogN: LOG_N });
    await expectCode(Repository.init(backend, 'pw', { kdfLogN: LOG_N }), 'REPO_EXISTS');
  });
});
