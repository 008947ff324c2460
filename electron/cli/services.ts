/**
 * The application services as the CLI hosts them (`strata job ...`, `strata daemon`): the
 * catalog file, the secret resolver (password files the jobs name, the OS keychain, this
 * process's memory, and a terminal prompt when there is one), the event bus and the core.
 */
import { isStrataError, StrataError } from '../../shared/errors';
import type { Destination } from '../../shared/jobs';
import { Catalog } from '../services/catalog/catalog';
import type { StrataCore } from '../services/core';
import type { EventBus } from '../services/events';
import { createServices } from '../services/host';
import type { Notifier } from '../services/notify/notifier';
import type { PasswordSource } from '../services/runner/destination';
import { KeychainStore } from '../services/secrets/keychain-store';
import type { SecretPrompt, SecretResolver } from '../services/secrets/secret-resolver';
import { getPassword } from './password';

export interface CliServices {
  readonly catalog: Catalog;
  readonly resolver: SecretResolver;
  readonly passwords: PasswordSource;
  readonly bus: EventBus;
  readonly core: StrataCore;
  readonly timeZone: string;
  readonly workers?: number;
  close(): void;
}

export interface ServicesOptions {
  readonly catalogFile: string;
  /** Ask on a terminal (or take STRATA_PASSWORD); the daemon never asks. */
  readonly interactive: boolean;
  /** Default: none (a foreground run is watched by its user). */
  readonly notifier?: Notifier;
  readonly workers?: number;
  /** Where the keychain notice goes (default: stderr). */
  readonly notice?: (sentence: string) => void;
}

const SILENT: Notifier = { notify: async () => undefined };

/** The user's time zone, as the system says; UTC when it says nothing. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function canAsk(interactive: boolean): boolean {
  return interactive && (!!process.env.STRATA_PASSWORD || process.stdin.isTTY === true);
}

function terminalPrompt(): SecretPrompt {
  return async (request) => {
    const env = process.env.STRATA_PASSWORD;
    if (env !== undefined && env !== '') return env;
    if (!process.stdin.isTTY) return undefined;
    const what = request.description.charAt(0).toUpperCase() + request.description.slice(1);
    return getPassword({ prompt: `${what}: ` });
  };
}

/** Adds what to do to "no password": on a server nobody can be asked later either. */
class HintedPasswords implements PasswordSource {
  constructor(private readonly inner: PasswordSource) {}
  async repositoryPassword(d: Destination): Promise<string> {
    try {
      return await this.inner.repositoryPassword(d);
    } catch (err) {
      if (!isStrataError(err, 'SECRET_MISSING')) throw err;
      throw new StrataError(
        'SECRET_MISSING',
        `${err.message}. Choose a password file (strata job edit JOB --password-file FILE) ` +
          'or save the password in the keychain (run strata job run JOB once on a terminal)',
      );
    }
  }
  async confirmed(d: Destination, password: string): Promise<void> {
    await this.inner.confirmed?.(d, password);
  }
}

/** Opens the catalog and builds everything on it, as every host does (services/host.ts). */
export function openServices(o: ServicesOptions): CliServices {
  const catalog = Catalog.open(o.catalogFile);
  if (catalog.setAside) {
    process.stderr.write(
      `warning: the catalog was damaged (${catalog.setAside.reason}); it was moved to ` +
        `${catalog.setAside.path} and a new one was made: add or import the jobs again\n`,
    );
  }
  const services = createServices({
    catalog,
    keychain: new KeychainStore(),
    notifier: o.notifier ?? SILENT,
    timeZone: systemTimeZone(),
    workers: o.workers,
    prompt: o.interactive ? terminalPrompt() : undefined,
    // The resolver's notice promises to ask; with nobody to ask the failure says it instead.
    notice: canAsk(o.interactive)
      ? (o.notice ?? ((sentence) => process.stderr.write(`${sentence}\n`)))
      : undefined,
    wrapPasswords: (inner) => new HintedPasswords(inner),
  });
  return { ...services, close: () => catalog.close() };
}
