/**
 * KeychainStore logic with a stand-in keychain library: the probe, error explanations and the
 * timeout. The real keychain is exercised in os-keychain.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  KeychainStore,
  PROBE_ACCOUNT,
  explainKeychainError,
  type KeychainModule,
} from '../../../electron/services/secrets/keychain-store';
import type { SecretKey } from '../../../electron/services/secrets/secret-store';
import { secretStoreContract } from './store-contract';

const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };

/** A keychain library in memory, recording its calls; `fail` makes writes fail like libsecret. */
function fakeKeychain(fail?: string) {
  const entries = new Map<string, string>();
  const calls: string[] = [];
  const module: KeychainModule = {
    async getPassword(service, account) {
      calls.push(`get ${service} ${account}`);
      return entries.get(`${service}\0${account}`) ?? null;
    },
    async setPassword(service, account, password) {
      calls.push(`set ${service} ${account}`);
      if (fail) throw new Error(fail);
      entries.set(`${service}\0${account}`, password);
    },
    async deletePassword(service, account) {
      calls.push(`delete ${service} ${account}`);
      return entries.delete(`${service}\0${account}`);
    },
  };
  return { module, entries, calls };
}

describe('KeychainStore over a stand-in library', () => {
  const fake = fakeKeychain();
  const store = new KeychainStore({ load: () => fake.module });
  secretStoreContract(() => store);

  it('probes once with a throwaway entry, then uses the service "Strata"', async () => {
    const { module, calls, entries } = fakeKeychain();
    const s = new KeychainStore({ load: () => module });
    await s.set(nas, 'pw');
    await s.get(nas);
    expect(calls).toEqual([
      `set Strata ${PROBE_ACCOUNT}`,
      `delete Strata ${PROBE_ACCOUNT}`,
      'set Strata repository-password/nas',
      'get Strata repository-password/nas',
    ]);
    expect([...entries.keys()]).toEqual(['Strata\0repository-password/nas']);
  });

  it('takes another service name', async () => {
    const { module, entries } = fakeKeychain();
    await new KeychainStore({ service: 'Strata Dev', load: () => module }).set(nas, 'pw');
    expect([...entries.keys()]).toEqual(['Strata Dev\0repository-password/nas']);
  });

  it('reports a locked keyring instead of reading "not found" from it', async () => {
    const { module } = fakeKeychain('Cannot create an item in a locked collection');
    const s = new KeychainStore({ load: () => module });
    expect(await s.available()).toEqual({
      ok: false,
      reason:
        'the keyring is locked and could not be unlocked (no desktop to ask for its password, or the request was dismissed)',
    });
    await expect(s.get(nas)).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringMatching(
        /^the OS keychain \(service "Strata"\) could not read "repository-password\/nas": the keyring is locked/,
      ),
    });
  });

  it('loads the library lazily, once, and explains a missing native module', async () => {
    let loads = 0;
    const s = new KeychainStore({
      load: () => {
        loads++;
        throw new Error(
          'the keytar native module could not be loaded (libsecret-1.so.0: cannot open shared object file); reinstall it',
        );
      },
    });
    expect(loads).toBe(0);
    const first = await s.available();
    const second = await s.available();
    expect(loads).toBe(1);
    expect(first).toEqual(second);
    expect(first).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^the keytar native module could not be loaded/),
    });
    await expect(s.delete(nas)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });

  it('gives up on a keychain that does not answer', async () => {
    const never: KeychainModule = {
      getPassword: () => new Promise(() => {}),
      setPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
    };
    const s = new KeychainStore({ load: () => never, timeoutMs: 50 });
    expect(await s.available()).toEqual({
      ok: false,
      reason: 'the keychain did not answer within 0.1 s (is an unlock prompt waiting?)',
    });
  });

  it('probes again after an operation failed, so a later unlock is noticed', async () => {
    let locked = false;
    const { module } = fakeKeychain();
    const flaky: KeychainModule = {
      ...module,
      async setPassword(service, account, password) {
        if (locked) throw new Error('Cannot create an item in a locked collection');
        return module.setPassword(service, account, password);
      },
    };
    const s = new KeychainStore({ load: () => flaky });
    await s.set(nas, 'pw');
    locked = true;
    await expect(s.set(nas, 'pw2')).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect(await s.available()).toMatchObject({ ok: false });
    locked = false;
    expect(await s.available()).toEqual({ ok: true });
    expect(await s.get(nas)).toBe('pw');
  });
});

describe('explainKeychainError', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', /^there is no D-Bus session/],
    [
      'The name org.freedesktop.secrets was not provided by any .service files',
      /^no Secret Service runs/,
    ],
    ['Cannot create an item in a locked collection', /^the keyring is locked/],
    ['User interaction is not allowed.', /^the keyring is locked/],
    [
      'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
      /^there is no default keyring/,
    ],
    ['Something else', /^the keychain reported: Something else$/],
  ])('%s', (message, expected) => {
    expect(explainKeychainError(message)).toMatch(expected);
  });
});
