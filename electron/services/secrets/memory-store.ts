/**
 * Secrets held in this process's memory for the session only: the fallback when the OS keychain
 * cannot be used and the user typed the password. Nothing is written anywhere; the values are
 * gone when the process ends (JavaScript strings cannot be wiped, so `clear()` drops the
 * references and leaves the rest to the garbage collector).
 */
import { accountName, type Availability, type SecretKey, type SecretStore } from './secret-store';

/** A SecretStore in memory, for the life of the process. */
export class MemoryStore implements SecretStore {
  readonly label: string = "this session's memory";
  private readonly values = new Map<string, string>();

  async available(): Promise<Availability> {
    return { ok: true };
  }

  async get(key: SecretKey): Promise<string | undefined> {
    return this.values.get(accountName(key));
  }

  async set(key: SecretKey, value: string): Promise<void> {
    this.values.set(accountName(key), value);
  }

  async delete(key: SecretKey): Promise<boolean> {
    return this.values.delete(accountName(key));
  }

  /** Forgets every secret (on sign-out, lock, or quit). */
  clear(): void {
    this.values.clear();
  }
}
