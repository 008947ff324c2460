/**
 * Secrets in the OS keychain: the Secret Service (gnome-keyring, KWallet, KeePassXC) through
 * libsecret on Linux, the Keychain on macOS, the Credential Manager on Windows.
 *
 * Shaped by two constraints. keytar, the library the design names, has been archived upstream
 * since 2022: it is reached only through `KeychainModule` (its three calls), loaded lazily, so a
 * maintained successor such as @napi-rs/keyring can be dropped in through `load` without touching
 * any caller (docs/secrets.md shows how). And on Linux a locked keyring that cannot be unlocked
 * (no desktop to show the prompt) answers reads with "not found" rather than an error; only a
 * write tells the truth, so `available()` stores and removes a probe entry, and every operation
 * first makes sure the keychain is usable.
 */
import { StrataError } from '../../../shared/errors';
import {
  accountName,
  redact,
  type Availability,
  type SecretKey,
  type SecretStore,
} from './secret-store';

/** The calls Strata needs from an OS keychain library (keytar's shape). */
export interface KeychainModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeychainStoreOptions {
  /** The service the entries are filed under (default "Strata"). */
  readonly service?: string;
  /** Loads the keychain library (default: keytar). */
  readonly load?: () => KeychainModule | Promise<KeychainModule>;
  /** How long to wait for the keychain before giving up (default 60 s: room for an unlock prompt). */
  readonly timeoutMs?: number;
}

/** The probe entry's account: it cannot collide with a key's account, which contains "/". */
export const PROBE_ACCOUNT = 'availability-check';
const PROBE_VALUE = 'not a secret: Strata checks that the keychain can store entries';

/** Loads keytar, with a message that says what to install when its native part is missing. */
export function loadKeytar(): KeychainModule {
  try {
    // Loaded on first use, not at import: a missing native module must not break the app's start.
    return require('keytar') as KeychainModule;
  } catch (err) {
    throw new Error(
      `the keytar native module could not be loaded (${(err as Error).message.split('\n')[0]}); ` +
        'reinstall it with "npm rebuild keytar" (on Linux it needs libsecret: apt-get install libsecret-1-0)',
      { cause: err },
    );
  }
}

/** A reason a person can act on, from a keychain library's error message. */
export function explainKeychainError(message: string): string {
  if (/keytar native module|could not be loaded/i.test(message)) return message;
  if (
    /autolaunch D-Bus|dbus-launch|DBUS_SESSION_BUS_ADDRESS|Could not connect.*bus/i.test(message)
  ) {
    return 'there is no D-Bus session to reach the Secret Service (a headless server, or a login without a desktop)';
  }
  if (/org\.freedesktop\.secrets was not provided|ServiceUnknown/i.test(message)) {
    return 'no Secret Service runs in this session (install gnome-keyring or KeePassXC, or choose a password file)';
  }
  if (/locked|interaction is not allowed|dismissed|cancel/i.test(message)) {
    return 'the keyring is locked and could not be unlocked (no desktop to ask for its password, or the request was dismissed)';
  }
  if (/collection\/login|no such secret collection|default collection/i.test(message)) {
    return 'there is no default keyring and none could be created (no desktop to ask for a new keyring password)';
  }
  if (/did not answer within/i.test(message)) return message;
  return `the keychain reported: ${message}`;
}

/** A SecretStore in the OS keychain, behind the keytar-shaped `KeychainModule`. */
export class KeychainStore implements SecretStore {
  readonly label: string = 'the OS keychain';
  readonly service: string;
  private readonly load: () => KeychainModule | Promise<KeychainModule>;
  private readonly timeoutMs: number;
  private module: Promise<KeychainModule> | undefined;
  /** Set once a probe entry was stored and removed; a failure is not remembered (it may pass). */
  private usable = false;

  constructor(options: KeychainStoreOptions = {}) {
    this.service = options.service ?? 'Strata';
    this.load = options.load ?? loadKeytar;
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  async available(): Promise<Availability> {
    if (this.usable) return { ok: true };
    try {
      const keychain = await this.keychain();
      await this.within(keychain.setPassword(this.service, PROBE_ACCOUNT, PROBE_VALUE));
      await this.within(keychain.deletePassword(this.service, PROBE_ACCOUNT));
      this.usable = true;
      return { ok: true };
    } catch (err) {
      return { ok: false, reason: explainKeychainError((err as Error).message) };
    }
  }

  async get(key: SecretKey): Promise<string | undefined> {
    const what = `read "${accountName(key)}"`;
    const keychain = await this.ready(what);
    try {
      return (await this.within(keychain.getPassword(this.service, accountName(key)))) ?? undefined;
    } catch (err) {
      throw this.failure(what, err);
    }
  }

  async set(key: SecretKey, value: string): Promise<void> {
    const what = `store "${accountName(key)}"`;
    const keychain = await this.ready(what);
    try {
      await this.within(keychain.setPassword(this.service, accountName(key), value));
    } catch (err) {
      throw this.failure(what, err, value);
    }
  }

  async delete(key: SecretKey): Promise<boolean> {
    const what = `remove "${accountName(key)}"`;
    const keychain = await this.ready(what);
    try {
      return await this.within(keychain.deletePassword(this.service, accountName(key)));
    } catch (err) {
      throw this.failure(what, err);
    }
  }

  private keychain(): Promise<KeychainModule> {
    this.module ??= Promise.resolve().then(() => this.load());
    return this.module;
  }

  /** The library, once the keychain is known to be usable; otherwise KEYCHAIN_UNAVAILABLE. */
  private async ready(what: string): Promise<KeychainModule> {
    const availability = await this.available();
    if (!availability.ok) {
      throw new StrataError(
        'KEYCHAIN_UNAVAILABLE',
        `the OS keychain (service "${this.service}") could not ${what}: ${availability.reason}`,
      );
    }
    return this.keychain();
  }

  private failure(what: string, err: unknown, value?: string): StrataError {
    this.usable = false; // the next call probes again, so the reason it reports is fresh
    // No `cause`: the library's error is quoted (redacted) instead, so no value can hide in it.
    const reason = redact(explainKeychainError((err as Error).message), value);
    return new StrataError(
      'KEYCHAIN_UNAVAILABLE',
      `the OS keychain (service "${this.service}") could not ${what}: ${reason}`,
    );
  }

  private within<T>(operation: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seconds = Math.round(this.timeoutMs / 100) / 10;
        reject(
          new Error(
            `the keychain did not answer within ${seconds} s (is an unlock prompt waiting?)`,
          ),
        );
      }, this.timeoutMs);
      timer.unref();
      operation.then(
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }
}
