/**
 * A secret value never appears in anything Strata throws or announces: not in the message, the
 * stack, the cause chain, or the error serialised as JSON. Every failure path that handles a
 * value is driven with a recognisable one.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KeychainStore,
  type KeychainModule,
} from '../../../electron/services/secrets/keychain-store';
import { MemoryStore } from '../../../electron/services/secrets/memory-store';
import { PasswordFileStore } from '../../../electron/services/secrets/password-file-store';
import { SecretResolver } from '../../../electron/services/secrets/secret-resolver';
import type { SecretKey } from '../../../electron/services/secrets/secret-store';
import { tempDir } from '../../helpers/cli';

const SECRET = 'Tr0ub4dor&3-ünïcödé-🔑';
const nas: SecretKey = { kind: 'repository-password', destinationId: 'nas' };

/** Everything an error could show: message, stack, causes, own properties, JSON. */
function everything(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', JSON.stringify(current));
      parts.push(JSON.stringify(Object.fromEntries(Object.entries(current))));
      current = (current as Error & { cause?: unknown }).cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

async function thrown(operation: () => Promise<unknown>): Promise<unknown> {
  try {
    await operation();
  } catch (err) {
    return err;
  }
  throw new Error('expected the operation to fail');
}

/** A keychain library whose errors quote the value, as a careless one might. */
const echoing: KeychainModule = {
  getPassword: async () => null,
  setPassword: async (_service, account, password) => {
    if (account.includes('/')) throw new Error(`refused to store "${password}" for ${account}`);
  },
  deletePassword: async () => true,
};

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('strata-noleak-'));
});
afterAll(() => cleanup());

describe('secret values never reach messages', () => {
  it('keychain errors quote the library with the value redacted and name the account', async () => {
    const err = await thrown(() => new KeychainStore({ load: () => echoing }).set(nas, SECRET));
    expect(err).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect((err as Error).message).toBe(
      'the OS keychain (service "Strata") could not store "repository-password/nas": the keychain reported: refused to store "[redacted]" for repository-password/nas',
    );
    expect(everything(err)).not.toContain(SECRET);
  });

  it('an unusable keychain refuses a value without showing it', async () => {
    const locked: KeychainModule = {
      ...echoing,
      setPassword: async () => {
        throw new Error('Cannot create an item in a locked collection');
      },
    };
    const err = await thrown(() => new KeychainStore({ load: () => locked }).set(nas, SECRET));
    expect(everything(err)).toContain('repository-password/nas');
    expect(everything(err)).not.toContain(SECRET);
  });

  it('password file errors name the file, never its content', async () => {
    const open = join(dir, 'open');
    await writeFile(open, SECRET);
    await chmod(open, 0o644);
    const large = join(dir, 'large');
    await writeFile(large, SECRET.repeat(10_000), { mode: 0o600 });
    const errors = [
      await thrown(() => new PasswordFileStore([[nas, open]]).get(nas)),
      await thrown(() => new PasswordFileStore([[nas, large]]).get(nas)),
      await thrown(() => new PasswordFileStore([[nas, open]]).set(nas)),
    ];
    if (process.platform !== 'win32') expect((errors[0] as Error).message).toContain(open);
    for (const err of errors) expect(everything(err)).not.toContain(SECRET);
  });

  it('a secret passed by mistake as an id is not echoed', async () => {
    const err = await thrown(() =>
      new MemoryStore().set({ kind: 'repository-password', destinationId: SECRET }, 'x'),
    );
    expect(err).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(everything(err)).not.toContain(SECRET);
  });

  it('the resolver announces and fails without the value', async () => {
    const notices: string[] = [];
    const keychain = new KeychainStore({ load: () => echoing });
    const resolver = new SecretResolver({
      keychain,
      prompt: async () => SECRET,
      notify: (sentence) => notices.push(sentence),
    });
    expect((await resolver.resolve(nas)).value).toBe(SECRET);
    expect(await resolver.save(nas, SECRET)).toBe('memory');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^The OS keychain cannot be used because it failed just now/);
    expect(notices.join('\n')).not.toContain(SECRET);

    const refusing = new SecretResolver({ keychain, prompt: async () => undefined });
    const err = await thrown(() =>
      refusing.resolve({ kind: 'repository-password', destinationId: 'usb' }),
    );
    expect(err).toMatchObject({ code: 'SECRET_MISSING' });
    expect(everything(err)).not.toContain(SECRET);
  });
});
