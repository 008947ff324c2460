/**
 * Key files: one per password, each wrapping the same master key. The file holds the KDF
 * parameters and the sealed master key (plaintext JSON around sealed bytes: it must be readable
 * before any key is known), plus who made it and when, sealed under the master key so that only
 * someone who can open the repository can list its keys.
 */
import { randomBytes } from 'node:crypto';
import { StrataError } from '../../../shared/errors';
import { open, seal, AuthenticationError } from '../crypto/aead';
import { deriveKey, isDerived, newKdfParams, type KdfParams } from '../crypto/kdf';
import { decodeMasterKey, encodeMasterKey, type MasterKey } from '../crypto/master-key';
import type { Backend } from '../backends/backend';

export const KEY_FILE_VERSION = 1;

interface KeyFile {
  readonly version: number;
  readonly kdf: KdfParams;
  readonly payload: string;
  readonly info: string;
}

/** What `key list` shows. */
export interface KeyInfo {
  readonly id: string;
  readonly created: string;
  readonly host: string;
  readonly username: string;
}

/** Seals the master key under `password` and stores a new key file; returns its id. */
export async function addKey(
  backend: Backend,
  master: MasterKey,
  password: string,
  who: { host: string; username: string },
  logN?: number,
): Promise<string> {
  if (password.length === 0) throw new StrataError('INVALID_ARGUMENT', 'the password is empty');
  const id = randomBytes(16).toString('hex');
  const kdf = newKdfParams(logN);
  const wrapping = await deriveKey(password, kdf);
  const info = { created: new Date().toISOString(), ...who };
  const file: KeyFile = {
    version: KEY_FILE_VERSION,
    kdf,
    payload: seal(wrapping, encodeMasterKey(master), `strata:key:${id}`).toString('base64'),
    info: seal(
      master.encryption,
      Buffer.from(JSON.stringify(info)),
      `strata:key-info:${id}`,
    ).toString('base64'),
  };
  await backend.write({ kind: 'keys', name: id }, Buffer.from(JSON.stringify(file)));
  return id;
}

function parseKeyFile(bytes: Buffer, id: string): KeyFile {
  let file: KeyFile;
  try {
    file = JSON.parse(bytes.toString('utf8')) as KeyFile;
  } catch {
    throw new StrataError('REPO_CORRUPT', `key file ${id} is not valid JSON`);
  }
  if (typeof file !== 'object' || file === null) {
    throw new StrataError('REPO_CORRUPT', `key file ${id} is not a key file`);
  }
  if (typeof file.version !== 'number' || file.version > KEY_FILE_VERSION) {
    throw new StrataError(
      'REPO_VERSION_UNSUPPORTED',
      `key file ${id} has version ${String(file.version)}; this Strata reads version ${KEY_FILE_VERSION}. Upgrade Strata to open this repository.`,
    );
  }
  if (typeof file.kdf !== 'object' || file.kdf === null || typeof file.payload !== 'string') {
    throw new StrataError('REPO_CORRUPT', `key file ${id} is malformed`);
  }
  return file;
}

/** Tries every key file with `password`; returns the master key and the id of the key that fit. */
export async function unlock(
  backend: Backend,
  password: string,
): Promise<{ master: MasterKey; keyId: string }> {
  const keys = await backend.list('keys');
  if (keys.length === 0) {
    throw new StrataError('REPO_CORRUPT', `the repository at ${backend.location} has no key files`);
  }
  let versionError: StrataError | undefined;
  const files: { name: string; file: KeyFile }[] = [];
  for (const { name } of keys) {
    try {
      files.push({ name, file: parseKeyFile(await backend.read({ kind: 'keys', name }), name) });
    } catch (err) {
      if (err instanceof StrataError && err.code === 'REPO_VERSION_UNSUPPORTED') versionError = err;
    }
  }
  // A key derived ahead (kdf.ts keepDerived) is tried first: no scrypt run for the others.
  const ahead = (f: KeyFile) => (isDerived(password, f.kdf) ? 0 : 1);
  files.sort((a, b) => ahead(a.file) - ahead(b.file));
  for (const { name, file } of files) {
    let wrapping: Buffer;
    try {
      wrapping = await deriveKey(password, file.kdf);
    } catch (err) {
      // A key this Strata cannot derive (a newer KDF, parameters out of range) must not stop
      // the other key files from being tried.
      if (!(err instanceof StrataError)) throw err;
      if (err.code === 'REPO_VERSION_UNSUPPORTED') versionError = err;
      continue;
    }
    try {
      const master = open(wrapping, Buffer.from(file.payload, 'base64'), `strata:key:${name}`);
      return { master: decodeMasterKey(master), keyId: name };
    } catch (err) {
      if (!(err instanceof AuthenticationError)) throw err;
    }
  }
  if (versionError) throw versionError;
  throw new StrataError(
    'WRONG_PASSWORD',
    'wrong password: no key of this repository opens with it. Check the password (or the password file or command you gave).',
  );
}

/** Lists the key files with who made them; unreadable ones are listed as such. */
export async function listKeys(backend: Backend, master: MasterKey): Promise<KeyInfo[]> {
  const out: KeyInfo[] = [];
  for (const { name } of await backend.list('keys')) {
    try {
      const file = parseKeyFile(await backend.read({ kind: 'keys', name }), name);
      const info = JSON.parse(
        open(
          master.encryption,
          Buffer.from(file.info, 'base64'),
          `strata:key-info:${name}`,
        ).toString(),
      ) as Omit<KeyInfo, 'id'>;
      out.push({ id: name, created: info.created, host: info.host, username: info.username });
    } catch {
      out.push({ id: name, created: '', host: '(unreadable)', username: '' });
    }
  }
  return out.sort((a, b) => a.created.localeCompare(b.created));
}
