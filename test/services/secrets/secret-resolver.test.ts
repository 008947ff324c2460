import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../electron/services/secrets/memory-store';
import { PasswordFileStore } from '../../../electron/services/secrets/password-file-store';
import {
  SecretResolver,
  keychainNotice,
  type SecretPromptRequest,
} from '../../../electron/services/secrets/secret-resolver';
import type {
  Availability,
  SecretKey,
  SecretStore,
} from '../../../electron/services/secrets/secret-store';
import { StrataError } from '../../../shared/errors';
import { tempDir } from '../../helpers/cli';

const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };
const REASON = 'there is no D-Bus session to reach the Secret Service';

/** A keychain stand-in: a MemoryStore that can be made unavailable. */
class TestKeychain extends MemoryStore implements SecretStore {
  override readonly label = 'the OS keychain';
  reason: string | undefined;
  override async available(): Promise<Availability> {
    return this.reason === undefined ? { ok: true } : { ok: false, reason: this.reason };
  }
}

function asker(answers: (string | undefined)[]) {
  const asked: SecretPromptRequest[] = [];
  const prompt = async (request: SecretPromptRequest) => {
    asked.push(request);
    return answers.shift();
  };
  return { asked, prompt };
}

describe('SecretResolver', () => {
  it('uses the keychain first and does not ask', async () => {
    const keychain = new TestKeychain();
    await keychain.set(nas, 'from keychain');
    const { asked, prompt } = asker([]);
    const memory = new MemoryStore();
    await memory.set(nas, 'from memory');
    const resolver = new SecretResolver({ keychain, memory, prompt });
    expect(await resolver.resolve(nas)).toEqual({ value: 'from keychain', source: 'keychain' });
    expect(asked).toEqual([]);
  });

  it('asks when nothing holds the secret, holds the answer in memory, not in the keychain', async () => {
    const keychain = new TestKeychain();
    const notices: string[] = [];
    const { asked, prompt } = asker(['typed']);
    const resolver = new SecretResolver({ keychain, prompt, notify: (s) => notices.push(s) });
    expect(await resolver.resolve(nas)).toEqual({ value: 'typed', source: 'prompt' });
    expect(asked).toEqual([
      { key: nas, description: 'the repository password of destination "nas"' },
    ]);
    expect(notices).toEqual([]);
    expect(await keychain.get(nas)).toBeUndefined();
    expect(await resolver.resolve(nas)).toEqual({ value: 'typed', source: 'memory' });
    expect(asked).toHaveLength(1);
  });

  it('explains in one sentence when the keychain cannot be used, once per sentence', async () => {
    const keychain = new TestKeychain();
    keychain.reason = REASON;
    const notices: string[] = [];
    const { asked, prompt } = asker(['typed', 'other']);
    const resolver = new SecretResolver({ keychain, prompt, notify: (s) => notices.push(s) });
    await resolver.resolve(nas);
    const sentence = keychainNotice(REASON, 'the repository password of destination "nas"', 'ask');
    expect(sentence).toBe(
      'The OS keychain cannot be used because there is no D-Bus session to reach the Secret Service, so Strata will ask for the repository password of destination "nas" and keep it in memory until it quits.',
    );
    expect(sentence.match(/\./g)).toHaveLength(1);
    expect(asked[0]?.notice).toBe(sentence);
    expect(notices).toEqual([sentence]);

    await resolver.forget(nas);
    await resolver.resolve(nas);
    expect(notices).toEqual([sentence]);
    expect(asked).toHaveLength(2);
  });

  it('falls back to asking when a keychain read fails after the keychain looked usable', async () => {
    const keychain = new TestKeychain();
    keychain.get = async () => {
      keychain.reason = 'the keyring is locked';
      throw new StrataError('KEYCHAIN_UNAVAILABLE', 'the OS keychain could not read "x": locked');
    };
    const { asked, prompt } = asker(['typed']);
    const resolver = new SecretResolver({ keychain, prompt });
    expect(await resolver.resolve(nas)).toEqual({ value: 'typed', source: 'prompt' });
    expect(asked[0]?.notice).toMatch(
      /^The OS keychain cannot be used because the keyring is locked, so/,
    );
  });

  it('a password file the user chose wins over the keychain', async () => {
    const { dir, cleanup } = await tempDir('strata-resolver-');
    try {
      const path = join(dir, 'pw');
      await writeFile(path, 'from file\n', { mode: 0o600 });
      const keychain = new TestKeychain();
      await keychain.set(nas, 'stale keychain entry');
      const resolver = new SecretResolver({
        keychain,
        files: new PasswordFileStore([[nas, path]]),
        prompt: asker([]).prompt,
      });
      expect(await resolver.resolve(nas)).toEqual({ value: 'from file', source: 'password-file' });
    } finally {
      await cleanup();
    }
  });

  it('says what is missing when the prompt gives nothing', async () => {
    const keychain = new TestKeychain();
    keychain.reason = REASON;
    for (const answer of [undefined, '']) {
      const resolver = new SecretResolver({ keychain, prompt: asker([answer]).prompt });
      await expect(resolver.resolve(nas)).rejects.toMatchObject({
        code: 'SECRET_MISSING',
        message: `The repository password of destination "nas" is needed and none was entered (the OS keychain cannot be used because ${REASON})`,
      });
    }
  });

  it('asks once for concurrent lookups of one key', async () => {
    const keychain = new TestKeychain();
    const { asked, prompt } = asker(['typed']);
    const resolver = new SecretResolver({ keychain, prompt });
    const results = await Promise.all([resolver.resolve(nas), resolver.resolve(nas)]);
    expect(results.map((r) => r.value)).toEqual(['typed', 'typed']);
    expect(asked).toHaveLength(1);
  });

  it('save() keeps confirmed secrets in the keychain, or in memory with the notice', async () => {
    const keychain = new TestKeychain();
    const memory = new MemoryStore();
    const notices: string[] = [];
    const resolver = new SecretResolver({
      keychain,
      memory,
      prompt: asker(['typed']).prompt,
      notify: (s) => notices.push(s),
    });
    await resolver.resolve(nas);
    expect(await resolver.save(nas, 'typed')).toBe('keychain');
    expect(await keychain.get(nas)).toBe('typed');
    expect(await memory.get(nas)).toBeUndefined();

    keychain.reason = REASON;
    expect(await resolver.save(nas, 'again')).toBe('memory');
    expect(await memory.get(nas)).toBe('again');
    expect(notices).toEqual([
      `The OS keychain cannot be used because ${REASON}, so the repository password of destination "nas" is kept in memory until Strata quits and will be asked for again next time.`,
    ]);
  });

  it('forget() removes the secret from memory and keychain, and leaves password files alone', async () => {
    const keychain = new TestKeychain();
    const memory = new MemoryStore();
    await keychain.set(nas, 'k');
    await memory.set(nas, 'm');
    const files: SecretStore = {
      label: 'files',
      available: async () => ({ ok: true }),
      get: async () => undefined,
      set: async () => {
        throw new Error('must not write a password file');
      },
      delete: async () => {
        throw new Error('must not remove a password file');
      },
    };
    const resolver = new SecretResolver({ keychain, memory, files, prompt: asker([]).prompt });
    await resolver.forget(nas);
    expect(await keychain.get(nas)).toBeUndefined();
    expect(await memory.get(nas)).toBeUndefined();
  });
});
