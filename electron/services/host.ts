/**
 * The services on one catalog, as every host builds them (the desktop app, the UI tests on a
 * temporary HOME, the CLI's `job` and `daemon`): the secret resolver (password files the jobs
 * name, the OS keychain or a store playing its part, this session's memory, and the host's
 * prompt if it has one: the app has none, the renderer answers SECRET_MISSING with
 * jobs.setPassword), the repository passwords, the event bus and the core.
 */
import type { Catalog } from './catalog/catalog';
import { StrataCore } from './core';
import { EventBus } from './events';
import type { Notifier } from './notify/notifier';
import { CatalogPasswordFiles, ResolverPasswords } from './passwords';
import type { PasswordSource } from './runner/destination';
import type { HostConditions } from './scheduler/types';
import { MemoryStore } from './secrets/memory-store';
import { SecretResolver, type SecretPrompt } from './secrets/secret-resolver';
import type { SecretStore } from './secrets/secret-store';

export interface ServicesOptions {
  readonly catalog: Catalog;
  /** The OS keychain (KeychainStore) or a MemoryStore in tests. */
  readonly keychain: SecretStore;
  readonly notifier: Notifier;
  readonly timeZone: string;
  readonly conditions?: () => Promise<Omit<HostConditions, 'destinationsPresent'>>;
  readonly workers?: number;
  readonly now?: () => number;
  /** Asks the user for a secret; default: nobody to ask (SECRET_MISSING). */
  readonly prompt?: SecretPrompt;
  /** Receives the resolver's one-sentence notice when the keychain cannot be used. */
  readonly notice?: (sentence: string) => void;
  /** Wraps the repository passwords (the CLI adds what to do when none is known). */
  readonly wrapPasswords?: (passwords: PasswordSource) => PasswordSource;
}

export interface Services {
  readonly catalog: Catalog;
  readonly resolver: SecretResolver;
  /** Session memory: passwords the user chose not to keep in the keychain. */
  readonly memory: MemoryStore;
  readonly passwords: PasswordSource;
  readonly bus: EventBus;
  readonly core: StrataCore;
  /** Also used for what the core does not decide: the end of a restore. */
  readonly notifier: Notifier;
  readonly timeZone: string;
  readonly workers?: number;
}

export function createServices(o: ServicesOptions): Services {
  const memory = new MemoryStore();
  const resolver = new SecretResolver({
    keychain: o.keychain,
    files: new CatalogPasswordFiles(o.catalog),
    memory,
    prompt: o.prompt ?? (async () => undefined),
    notify: o.notice,
  });
  const inner = new ResolverPasswords(resolver);
  const passwords = o.wrapPasswords ? o.wrapPasswords(inner) : inner;
  const bus = new EventBus();
  const core = new StrataCore({
    catalog: o.catalog,
    passwords,
    notifier: o.notifier,
    bus,
    timeZone: o.timeZone,
    conditions: o.conditions,
    workers: o.workers,
    now: o.now,
  });
  return {
    catalog: o.catalog,
    resolver,
    memory,
    passwords,
    bus,
    core,
    notifier: o.notifier,
    timeZone: o.timeZone,
    workers: o.workers,
  };
}
