/**
 * Secrets read from password files the user chose (a headless server with no keychain, a
 * script). Strata only reads them: it never writes or removes a user's file, and it never
 * writes a secret into a file of its own.
 *
 * Like ssh with a private key, it refuses a file that other users could read or write (any
 * group or other permission bit, mode & 0o077) on POSIX systems, and says which chmod fixes it.
 * A file others can write is refused too: whoever can replace the password decides how new
 * repositories are encrypted. On Windows, where POSIX modes say nothing about ACLs, the check
 * is skipped. The mode is checked on the opened file (fstat), so the file that is checked is the
 * file that is read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import {
  accountName,
  describeSecret,
  type Availability,
  type SecretKey,
  type SecretStore,
} from './secret-store';

/** Password files are small; a larger file is a wrong choice, not a password. */
const MAX_BYTES = 64 * 1024;

export interface PasswordFileStoreOptions {
  /** Check POSIX permissions (default: everywhere but Windows). */
  readonly checkMode?: boolean;
}

/** A read-only SecretStore over files the user chose, one file per key. */
export class PasswordFileStore implements SecretStore {
  readonly label: string = 'the password file you chose';
  private readonly files = new Map<string, { key: SecretKey; path: string }>();
  private readonly checkMode: boolean;

  /** `files` pairs each key with the path of the file that holds its secret. */
  constructor(
    files: Iterable<readonly [SecretKey, string]>,
    options: PasswordFileStoreOptions = {},
  ) {
    for (const [key, path] of files) this.files.set(accountName(key), { key, path });
    this.checkMode = options.checkMode ?? process.platform !== 'win32';
  }

  /** The file chosen for a key, if any. */
  pathFor(key: SecretKey): string | undefined {
    return this.files.get(accountName(key))?.path;
  }

  /** Usable when every chosen file can be read and is private; the reason names the first that is not. */
  async available(): Promise<Availability> {
    for (const { key } of this.files.values()) {
      try {
        await this.get(key);
      } catch (err) {
        return { ok: false, reason: (err as Error).message };
      }
    }
    return { ok: true };
  }

  /** The file's content without one trailing newline; undefined when no file was chosen for the key. */
  async get(key: SecretKey): Promise<string | undefined> {
    const path = this.pathFor(key);
    if (path === undefined) return undefined;
    const what = describeSecret(key);
    let handle;
    try {
      // O_NONBLOCK: a FIFO chosen by mistake must not hang the open (no effect on regular files).
      handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      throw openError(path, what, err as NodeJS.ErrnoException);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) {
        throw new StrataError(
          'INVALID_ARGUMENT',
          `the password file ${path} for ${what} is not a regular file`,
        );
      }
      const mode = info.mode & 0o777;
      if (this.checkMode && (mode & 0o077) !== 0) {
        throw new StrataError(
          'INVALID_ARGUMENT',
          `the password file ${path} for ${what} can be read or changed by other users ` +
            `(mode ${mode.toString(8).padStart(4, '0')}): run "chmod 600 ${path}"; ` +
            'Strata, like ssh with private keys, uses only files that no one else can access',
        );
      }
      if (info.size > MAX_BYTES) {
        throw new StrataError(
          'INVALID_ARGUMENT',
          `the password file ${path} for ${what} is larger than 64 KiB: is it the right file?`,
        );
      }
      const text = (await handle.readFile({ encoding: 'utf8' })).replace(/\r?\n$/, '');
      if (text === '') {
        throw new StrataError('INVALID_ARGUMENT', `the password file ${path} for ${what} is empty`);
      }
      return text;
    } finally {
      await handle.close();
    }
  }

  async set(key: SecretKey): Promise<void> {
    throw readOnly(key);
  }

  async delete(key: SecretKey): Promise<boolean> {
    throw readOnly(key);
  }
}

function readOnly(key: SecretKey): StrataError {
  return new StrataError(
    'INVALID_ARGUMENT',
    `Strata does not write or remove password files: change ${describeSecret(key)} in the file you chose, or choose the keychain`,
  );
}

function openError(path: string, what: string, err: NodeJS.ErrnoException): StrataError {
  switch (err.code) {
    case 'ENOENT':
      return new StrataError('NOT_FOUND', `the password file ${path} for ${what} does not exist`);
    case 'EACCES':
    case 'EPERM':
      return new StrataError(
        'PERMISSION_DENIED',
        `the password file ${path} for ${what} cannot be read: permission denied`,
      );
    default:
      return new StrataError(
        'IO_ERROR',
        `the password file ${path} for ${what} cannot be read: ${err.message}`,
        { cause: err },
      );
  }
}
