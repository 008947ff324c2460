/**
 * Repository passwords for the runner, from the secret resolver: the password file a
 * destination names (if any), the OS keychain, this session's memory, or the host's prompt.
 * A password the user typed is remembered (keychain, or memory when the keychain cannot be
 * used) only once it has opened the repository, so a typo is never stored.
 */
import type { Destination } from '../../shared/jobs';
import type { PasswordSource } from './runner/destination';
import { PasswordFileStore } from './secrets/password-file-store';
import type { Catalog } from './catalog/catalog';
import type { SecretResolver, SecretSource } from './secrets/secret-resolver';
import type { Availability, SecretKey, SecretStore } from './secrets/secret-store';

export const passwordKey = (d: Pick<Destination, 'id'>): SecretKey => ({
  kind: 'repository-password',
  destinationId: d.id,
});

/** The password files that destinations name, as the resolver's `files` store. */
export function passwordFilesOf(destinations: readonly Destination[]): PasswordFileStore {
  return new PasswordFileStore(
    destinations
      .filter((d) => d.passwordFile !== undefined)
      .map((d) => [passwordKey(d), d.passwordFile!] as const),
  );
}

export class ResolverPasswords implements PasswordSource {
  /** Where each destination's password came from in this session. */
  private readonly sources = new Map<string, SecretSource>();

  constructor(private readonly resolver: SecretResolver) {}

  async repositoryPassword(d: Destination): Promise<string> {
    const secret = await this.resolver.resolve(passwordKey(d));
    this.sources.set(d.id, secret.source);
    return secret.value;
  }

  async confirmed(d: Destination, password: string): Promise<void> {
    // Typed by the user and proven right: keep it so we need not ask again.
    if (this.sources.get(d.id) === 'prompt') await this.resolver.save(passwordKey(d), password);
  }
}

/**
 * The password files the catalog's jobs name, read at each lookup: a job added or edited while
 * the daemon or the app runs is seen without a restart. (The resolver's `files` store.)
 */
export class CatalogPasswordFiles implements SecretStore {
  readonly label: string = 'the password file you chose';
  constructor(private readonly catalog: Catalog) {}
  private store() {
    return passwordFilesOf(this.catalog.listJobs().flatMap((j) => j.destinations));
  }
  available(): Promise<Availability> {
    return this.store().available();
  }
  get(key: SecretKey): Promise<string | undefined> {
    return this.store().get(key);
  }
  set(key: SecretKey): Promise<void> {
    return this.store().set(key);
  }
  delete(key: SecretKey): Promise<boolean> {
    return this.store().delete(key);
  }
}
