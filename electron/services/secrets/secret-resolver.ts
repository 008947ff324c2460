/**
 * Finds a secret when the app needs one: a password file the user chose for it, then the OS
 * keychain, then this session's memory, and last the user, through an injected `prompt` (a
 * dialog in the app, a terminal prompt in the CLI, nothing on a headless server).
 *
 * A chosen password file comes first because choosing it is explicit: a stale keychain entry must
 * not shadow the file the user keeps up to date. What the user types is held in memory only,
 * never written to the keychain by the resolver: the typed password may be wrong, so the caller
 * calls `save` once it has opened the repository with it. When the keychain cannot be used the
 * resolver says so in one sentence, to `notify` and in the prompt request, and carries on.
 */
import { StrataError, isStrataError } from '../../../shared/errors';
import { MemoryStore } from './memory-store';
import {
  accountName,
  describeSecret,
  type Availability,
  type SecretKey,
  type SecretStore,
} from './secret-store';

/** Where a resolved secret came from. */
export type SecretSource = 'password-file' | 'keychain' | 'memory' | 'prompt';

/** A secret and where it was found. */
export interface ResolvedSecret {
  readonly value: string;
  readonly source: SecretSource;
}

/** What the prompt is asked for. */
export interface SecretPromptRequest {
  readonly key: SecretKey;
  /** The secret in words, e.g. `the repository password of destination "nas"`. */
  readonly description: string;
  /** When the keychain cannot be used: one sentence saying so, to show with the prompt. */
  readonly notice?: string;
}

/** Asks the user; undefined when they cancel or when there is no one to ask. */
export type SecretPrompt = (request: SecretPromptRequest) => Promise<string | undefined>;

export interface SecretResolverOptions {
  /** The OS keychain (a KeychainStore), or any store playing its part. */
  readonly keychain: SecretStore;
  /** Password files the user chose (a PasswordFileStore); consulted first. */
  readonly files?: SecretStore;
  /** Where typed secrets are held for the session (default: a new MemoryStore). */
  readonly memory?: SecretStore;
  readonly prompt: SecretPrompt;
  /** Receives the one-sentence notice when the keychain cannot be used (each sentence once). */
  readonly notify?: (sentence: string) => void;
}

/** The one sentence that says the keychain cannot be used, and what happens instead. */
export function keychainNotice(reason: string, what: string, outcome: 'ask' | 'keep'): string {
  const instead =
    outcome === 'ask'
      ? `Strata will ask for ${what} and keep it in memory until it quits`
      : `${what} is kept in memory until Strata quits and will be asked for again next time`;
  return `The OS keychain cannot be used because ${reason}, so ${instead}.`;
}

/** Resolves secrets through files, keychain, memory and prompt, in that order. */
export class SecretResolver {
  private readonly keychain: SecretStore;
  private readonly files: SecretStore | undefined;
  private readonly memory: SecretStore;
  private readonly prompt: SecretPrompt;
  private readonly notify: ((sentence: string) => void) | undefined;
  private readonly pending = new Map<string, Promise<ResolvedSecret>>();
  private readonly notified = new Set<string>();

  constructor(options: SecretResolverOptions) {
    this.keychain = options.keychain;
    this.files = options.files;
    this.memory = options.memory ?? new MemoryStore();
    this.prompt = options.prompt;
    this.notify = options.notify;
  }

  /**
   * The secret for `key`. Concurrent calls for one key share one lookup (one prompt). Throws
   * SECRET_MISSING when nothing holds it and the prompt gives nothing.
   */
  resolve(key: SecretKey): Promise<ResolvedSecret> {
    const account = accountName(key);
    let lookup = this.pending.get(account);
    if (!lookup) {
      lookup = this.lookup(key).finally(() => this.pending.delete(account));
      this.pending.set(account, lookup);
    }
    return lookup;
  }

  /**
   * Keeps a secret the user confirmed (e.g. the repository opened with it): in the keychain when
   * it can be used, otherwise in memory for the session, with the notice.
   */
  async save(key: SecretKey, value: string): Promise<'keychain' | 'memory'> {
    const keychain = await this.keychainState();
    if (keychain.ok) {
      try {
        await this.keychain.set(key, value);
        await this.memory.delete(key);
        return 'keychain';
      } catch (err) {
        if (!isStrataError(err, 'KEYCHAIN_UNAVAILABLE')) throw err;
        this.tell(keychainNotice(await this.reasonAfter(err), describeSecret(key), 'keep'));
      }
    } else {
      this.tell(keychainNotice(keychain.reason, describeSecret(key), 'keep'));
    }
    await this.memory.set(key, value);
    return 'memory';
  }

  /**
   * Forgets a secret (a wrong password, a removed destination): from memory, and from the
   * keychain when it can be used. Password files are the user's and stay as they are.
   */
  async forget(key: SecretKey): Promise<void> {
    await this.memory.delete(key);
    if ((await this.keychainState()).ok) await this.keychain.delete(key);
  }

  /** Whether the keychain can be used now (for a settings screen or `strata doctor`). */
  keychainStatus(): Promise<Availability> {
    return this.keychainState();
  }

  private async lookup(key: SecretKey): Promise<ResolvedSecret> {
    const fromFile = await this.files?.get(key);
    if (fromFile !== undefined) return { value: fromFile, source: 'password-file' };

    let unavailable: string | undefined;
    const keychain = await this.keychainState();
    if (keychain.ok) {
      try {
        const stored = await this.keychain.get(key);
        if (stored !== undefined) return { value: stored, source: 'keychain' };
      } catch (err) {
        if (!isStrataError(err, 'KEYCHAIN_UNAVAILABLE')) throw err;
        unavailable = await this.reasonAfter(err);
      }
    } else {
      unavailable = keychain.reason;
    }

    const held = await this.memory.get(key);
    if (held !== undefined) return { value: held, source: 'memory' };

    const description = describeSecret(key);
    const notice =
      unavailable === undefined ? undefined : keychainNotice(unavailable, description, 'ask');
    if (notice !== undefined) this.tell(notice);
    const answer = await this.prompt(
      notice === undefined ? { key, description } : { key, description, notice },
    );
    if (answer === undefined || answer === '') {
      throw new StrataError(
        'SECRET_MISSING',
        `${capitalise(description)} is needed and none was entered` +
          (unavailable === undefined
            ? ''
            : ` (the OS keychain cannot be used because ${unavailable})`),
      );
    }
    await this.memory.set(key, answer);
    return { value: answer, source: 'prompt' };
  }

  private async keychainState(): Promise<Availability> {
    try {
      return await this.keychain.available();
    } catch (err) {
      // available() should not throw; if a store does, its message is the reason.
      return { ok: false, reason: (err as Error).message };
    }
  }

  /** Why the keychain failed an operation: a fresh availability reason, or the error itself. */
  private async reasonAfter(err: StrataError): Promise<string> {
    const now = await this.keychainState();
    return now.ok ? `it failed just now (${err.message})` : now.reason;
  }

  private tell(sentence: string): void {
    if (this.notified.has(sentence)) return;
    this.notified.add(sentence);
    this.notify?.(sentence);
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
