/**
 * The built KeychainStore against the real gnome-keyring in a private D-Bus session, and with
 * no usable keychain at all (locked, no Secret Service, no D-Bus session): it must say why
 * clearly, and the resolver must fall back to asking.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  SecretResolver,
  type SecretKey,
  type SecretPromptRequest,
} from '../../../electron/services/secrets';
import { tempDir } from '../../helpers/cli';
import { KeychainChild, keyringToolsMissing, type KeyringSession } from '../../helpers/keyring';
import { secretStoreContract } from './store-contract';

const missing = keyringToolsMissing();
if (missing) console.warn(`os-keychain tests skipped: ${missing}`);

const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };
const SECRET = 'correct horse battery staple ✓';

/** Children started by a test, closed after it. */
const children: KeychainChild[] = [];
const dirs: (() => Promise<void>)[] = [];

async function home(): Promise<string> {
  const { dir, cleanup } = await tempDir('strata-keyring-');
  dirs.push(cleanup);
  return dir;
}

async function start(session: KeyringSession, at: string): Promise<KeychainChild> {
  const child = await KeychainChild.start(session, at, { timeoutMs: 20_000 });
  children.push(child);
  return child;
}

async function closeAll(): Promise<void> {
  await Promise.all(children.splice(0).map((c) => c.close()));
}

afterAll(async () => {
  await closeAll();
  await Promise.all(dirs.splice(0).map((cleanup) => cleanup()));
});

describe.skipIf(missing !== undefined)(
  `OS keychain (real gnome-keyring${missing ? `; SKIPPED: ${missing}` : ''})`,
  () => {
    describe('unlocked keyring', () => {
      let store: KeychainChild;
      beforeAll(async () => {
        store = await start('unlocked', await home());
      });

      secretStoreContract(() => store);

      it('files entries under the service "Strata" with account names that hold no secret', async () => {
        const credential: SecretKey = {
          kind: 'backend-credential',
          destinationId: 'nas',
          name: 'sftp-password',
        };
        await store.set(nas, SECRET);
        await store.set(credential, 'sftp secret');
        expect(await store.rawGet('Strata', 'repository-password/nas')).toBe(SECRET);
        expect(await store.rawGet('Strata', 'backend-credential/nas/sftp-password')).toBe(
          'sftp secret',
        );
        // The availability probe leaves nothing behind.
        expect(await store.rawGet('Strata', 'availability-check')).toBeUndefined();
        await store.delete(nas);
        await store.delete(credential);
      });
    });

    describe('across sessions', () => {
      afterEach(closeAll);

      it('keeps entries in the keyring file; a locked keyring is reported, not read as empty', async () => {
        const dir = await home();
        const first = await start('unlocked', dir);
        await first.set(nas, SECRET);
        await first.close();

        const again = await start('unlocked', dir);
        expect(await again.get(nas)).toBe(SECRET);
        await again.close();

        // The daemon runs but cannot unlock the keyring (no desktop to ask). keytar alone would
        // answer "not found" here; the store must say the keyring is locked.
        const locked = await start('locked', dir);
        const availability = await locked.available();
        expect(availability.ok).toBe(false);
        expect(availability.ok ? '' : availability.reason).toMatch(/keyring is locked/);
        await expect(locked.get(nas)).rejects.toMatchObject({
          code: 'KEYCHAIN_UNAVAILABLE',
          message: expect.stringContaining('could not read "repository-password/nas"'),
        });
      });

      it('reports a session bus on which no Secret Service can start', async () => {
        const store = await start('no-service', await home());
        expect(await store.available()).toEqual({
          ok: false,
          reason: expect.stringContaining('no Secret Service runs in this session'),
        });
      });
    });

    describe('outside any D-Bus session', () => {
      let store: KeychainChild;
      beforeAll(async () => {
        store = await start('none', await home());
      });

      it('reports unavailable with a clear reason, and every call fails naming the account', async () => {
        expect(await store.available()).toEqual({
          ok: false,
          reason:
            'there is no D-Bus session to reach the Secret Service (a headless server, or a login without a desktop)',
        });
        await expect(store.get(nas)).rejects.toMatchObject({
          code: 'KEYCHAIN_UNAVAILABLE',
          message:
            'the OS keychain (service "Strata") could not read "repository-password/nas": there is no D-Bus session to reach the Secret Service (a headless server, or a login without a desktop)',
        });
        const failure = await store.set(nas, SECRET).catch((err: Error) => err);
        expect(failure).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
        expect((failure as Error).message).toContain('could not store "repository-password/nas"');
        expect((failure as Error).message).not.toContain(SECRET);
      });

      it('the resolver says so in one sentence, asks, and holds the answer for the session', async () => {
        const asked: SecretPromptRequest[] = [];
        const notices: string[] = [];
        const resolver = new SecretResolver({
          keychain: store,
          prompt: async (request) => {
            asked.push(request);
            return SECRET;
          },
          notify: (sentence) => notices.push(sentence),
        });
        const sentence =
          'The OS keychain cannot be used because there is no D-Bus session to reach the Secret Service (a headless server, or a login without a desktop), so Strata will ask for the repository password of destination "nas" and keep it in memory until it quits.';

        expect(await resolver.resolve(nas)).toEqual({ value: SECRET, source: 'prompt' });
        expect(asked).toEqual([
          {
            key: nas,
            description: 'the repository password of destination "nas"',
            notice: sentence,
          },
        ]);
        expect(notices).toEqual([sentence]);

        expect(await resolver.resolve(nas)).toEqual({ value: SECRET, source: 'memory' });
        expect(asked).toHaveLength(1);
        expect(await resolver.save(nas, SECRET)).toBe('memory');
      });
    });

    describe('resolver with an unlocked keyring', () => {
      let store: KeychainChild;
      beforeAll(async () => {
        store = await start('unlocked', await home());
      });

      it('saves confirmed passwords in the keychain and finds them there without asking', async () => {
        const prompt = async () => {
          throw new Error('must not ask');
        };
        const first = new SecretResolver({ keychain: store, prompt: async () => SECRET });
        expect(await first.resolve(nas)).toEqual({ value: SECRET, source: 'prompt' });
        expect(await first.save(nas, SECRET)).toBe('keychain');

        const later = new SecretResolver({ keychain: store, prompt });
        expect(await later.resolve(nas)).toEqual({ value: SECRET, source: 'keychain' });
        await later.forget(nas);
        expect(await store.get(nas)).toBeUndefined();
      });
    });
  },
);
