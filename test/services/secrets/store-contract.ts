/**
 * What every writable SecretStore must do (ARCHITECTURE.md: one suite for every implementation).
 * Run against MemoryStore here and against the real OS keychain in keychain-store.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { SecretKey, SecretStore } from '../../../electron/services/secrets/secret-store';

/** Registers the contract tests; `store()` returns the store under test (made in a hook). */
export function secretStoreContract(store: () => SecretStore): void {
  const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };
  const usb: SecretKey = { kind: 'repository-password', destinationId: 'usb-disk' };
  const nasSftp: SecretKey = {
    kind: 'backend-credential',
    destinationId: 'nas',
    name: 'sftp-password',
  };
  const nasKey: SecretKey = { kind: 'backend-credential', destinationId: 'nas', name: 'ssh-key' };

  describe('SecretStore contract', () => {
    it('is available', async () => {
      expect(await store().available()).toEqual({ ok: true });
    });

    it('stores, reads, overwrites and deletes', async () => {
      const s = store();
      expect(await s.get(nas)).toBeUndefined();
      await s.set(nas, 'first password');
      expect(await s.get(nas)).toBe('first password');
      await s.set(nas, 'second password');
      expect(await s.get(nas)).toBe('second password');
      expect(await s.delete(nas)).toBe(true);
      expect(await s.get(nas)).toBeUndefined();
      expect(await s.delete(nas)).toBe(false);
    });

    it('keeps unicode, spaces, quotes and long values exactly', async () => {
      const s = store();
      for (const value of [
        'pässwörd 🔑 密码 пароль',
        ' leading and trailing spaces ',
        `quotes ' " \` and a backslash \\`,
        'x'.repeat(4096),
      ]) {
        await s.set(nas, value);
        expect(await s.get(nas)).toBe(value);
      }
      await s.delete(nas);
    });

    it('keeps destinations and kinds apart', async () => {
      const s = store();
      await s.set(nas, 'nas password');
      await s.set(usb, 'usb password');
      await s.set(nasSftp, 'sftp secret');
      await s.set(nasKey, 'key passphrase');
      expect(await s.get(nas)).toBe('nas password');
      expect(await s.get(usb)).toBe('usb password');
      expect(await s.get(nasSftp)).toBe('sftp secret');
      expect(await s.get(nasKey)).toBe('key passphrase');
      expect(await s.delete(nas)).toBe(true);
      expect(await s.get(usb)).toBe('usb password');
      expect(await s.get(nasSftp)).toBe('sftp secret');
      for (const k of [usb, nasSftp, nasKey]) await s.delete(k);
    });

    it('refuses keys whose ids could make account names ambiguous', async () => {
      const s = store();
      await expect(
        s.set({ kind: 'repository-password', destinationId: 'a/b' }, 'x'),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(
        s.get({ kind: 'backend-credential', destinationId: 'a', name: '' }),
      ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    });
  });
}
