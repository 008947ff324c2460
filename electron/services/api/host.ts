/**
 * The services as the desktop app hosts them (and the UI tests, on a temporary HOME): the
 * catalog, the secret resolver (password files the jobs name, the OS keychain or a store playing
 * its part, this session's memory; no prompt: the renderer answers SECRET_MISSING by sending the
 * password with jobs.setPassword), the event bus and the core.
 */
import type { Catalog } from '../catalog/catalog';
import { StrataCore } from '../core';
import { EventBus } from '../events';
import type { Notifier } from '../notify/notifier';
import { CatalogPasswordFiles, ResolverPasswords } from '../passwords';
import type { HostConditions } from '../scheduler/types';
import { MemoryStore } from '../secrets/memory-store';
import { SecretResolver } from '../secrets/secret-resolver';
import type { SecretStore } from '../secrets/secret-store';

export interface ServicesOptions {
  readonly catalog: Catalog;
  /** The OS keychain (KeychainStore) or a MemoryStore in tests. */
  readonly keychain: SecretStore;
  readonly notifier: Notifier;
  readonly timeZone: string;
  readonly conditions?: () => Promise<Omit<HostConditions, 'destinationsPresent'>>;
  readonly workers?: number;
  readonly now?: () => number;
}

export interface Services {
  readonly catalog: Catalog;
  readonly resolver: SecretResolver;
  /** Session memory: passwords the user chose not to keep in the keychain. */
  readonly memory: MemoryStore;
  readonly passwords: ResolverPasswords;
  readonly bus: EventBus;
  readonly core: StrataCore;
  readonly timeZone: string;
  readonly workers?: number;
}

export function createServices(o: ServicesOptions): Services {
  const memory = new MemoryStore();
  const resolver = new SecretResolver({
    keychain: o.keychain,
    files: new CatalogPasswordFiles(o.catalog),
    memory,
    // Nobody to ask from main: the failure (SECRET_MISSING) reaches the renderer, which asks.
    prompt: async () => undefined,
  });
  const passwords = new ResolverPasswords(resolver);
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
    timeZone: o.timeZone,
    workers: o.workers,
  };
}
