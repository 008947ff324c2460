import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordFileStore } from '../../../electron/services/secrets/password-file-store';
import type { SecretKey } from '../../../electron/services/secrets/secret-store';
import { tempDir } from '../../helpers/cli';

const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };
const usb: SecretKey = { kind: 'repository-password', destinationId: 'usb' };
const posix = process.platform !== 'win32';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('strata-pwfile-'));
});
afterAll(() => cleanup());

async function file(name: string, content: string, mode = 0o600): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  await chmod(path, mode);
  return path;
}

describe('PasswordFileStore', () => {
  it('reads the file chosen for a key, without one trailing newline', async () => {
    const store = new PasswordFileStore([
      [nas, await file('nas', 'pässwörd 🔑\n')],
      [usb, await file('usb', 'crlf\r\n')],
    ]);
    expect(await store.get(nas)).toBe('pässwörd 🔑');
    expect(await store.get(usb)).toBe('crlf');
    expect(await store.available()).toEqual({ ok: true });
  });

  it('keeps inner and leading whitespace and a second newline', async () => {
    const store = new PasswordFileStore([[nas, await file('spaces', ' a b \n\n')]]);
    expect(await store.get(nas)).toBe(' a b \n');
  });

  it('has nothing for a key no file was chosen for', async () => {
    const store = new PasswordFileStore([[nas, await file('only-nas', 'x')]]);
    expect(await store.get(usb)).toBeUndefined();
    expect(store.pathFor(usb)).toBeUndefined();
  });

  it.skipIf(!posix).each([0o640, 0o604, 0o620, 0o602, 0o644, 0o660])(
    'refuses a file with mode %o, like ssh, and says how to fix it',
    async (mode) => {
      const path = await file(`mode-${mode.toString(8)}`, 'secret-in-file', mode);
      const store = new PasswordFileStore([[nas, path]]);
      const modeText = mode.toString(8).padStart(4, '0');
      const expected =
        `the password file ${path} for the repository password of destination "nas" can be read or changed by other users ` +
        `(mode ${modeText}): run "chmod 600 ${path}"; Strata, like ssh with private keys, uses only files that no one else can access`;
      await expect(store.get(nas)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expected,
      });
      expect(await store.available()).toEqual({ ok: false, reason: expected });
    },
  );

  it.skipIf(!posix)('accepts 0400 and 0600, and follows a symlink to a private file', async () => {
    const target = await file('readonly', 'ro', 0o400);
    const link = join(dir, 'link');
    await symlink(target, link);
    const store = new PasswordFileStore([
      [nas, target],
      [usb, link],
    ]);
    expect(await store.get(nas)).toBe('ro');
    expect(await store.get(usb)).toBe('ro');
  });

  it('can be told not to check modes (Windows does so by default)', async () => {
    const store = new PasswordFileStore([[nas, await file('open', 'pw', 0o644)]], {
      checkMode: false,
    });
    expect(await store.get(nas)).toBe('pw');
  });

  it('says clearly when the file is missing, a folder, empty or too large', async () => {
    const folder = join(dir, 'folder');
    await mkdir(folder, { mode: 0o700 });
    const cases: [string, string, RegExp][] = [
      [join(dir, 'missing'), 'NOT_FOUND', /does not exist$/],
      [folder, 'INVALID_ARGUMENT', /is not a regular file$/],
      [await file('empty', '\n'), 'INVALID_ARGUMENT', /is empty$/],
      [await file('large', 'x'.repeat(65 * 1024)), 'INVALID_ARGUMENT', /larger than 64 KiB/],
    ];
    for (const [path, code, message] of cases) {
      const store = new PasswordFileStore([[nas, path]]);
      await expect(store.get(nas)).rejects.toMatchObject({ code, message });
      await expect(store.get(nas)).rejects.toThrow(path);
    }
  });

  it("never writes or removes the user's file", async () => {
    const path = await file('kept', 'pw');
    const store = new PasswordFileStore([[nas, path]]);
    await expect(store.set(nas)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/^Strata does not write or remove password files/),
    });
    await expect(store.delete(nas)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await store.get(nas)).toBe('pw');
  });
});
