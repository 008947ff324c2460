/**
 * createTestHost: the real services on a temporary HOME and catalog, as main would start them,
 * for the API tests and the UI tests (which expose `api.invoke` to the page with Playwright's
 * exposeBinding and build window.strata with shared/bridge.ts, the preload's own builder).
 * Secrets go to a MemoryStore unless a keychain is given; the folder picker answers from
 * `pickFolderQueue` (push paths or null before the UI asks); external links are recorded.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEvent } from '../../shared/contract';
import { createApi, createServices, type StrataServiceApi } from '../../electron/services/api';
import { Catalog } from '../../electron/services/catalog/catalog';
import { MemoryNotifier } from '../../electron/services/notify/memory-notifier';
import { MemoryStore } from '../../electron/services/secrets/memory-store';
import type { SecretStore } from '../../electron/services/secrets/secret-store';

export interface TestHostOptions {
  /** A folder to use as HOME; default a new temporary one (removed by close). */
  readonly home?: string;
  readonly keychain?: SecretStore;
  readonly timeZone?: string;
  readonly now?: () => number;
}

export interface TestHost {
  readonly home: string;
  readonly api: StrataServiceApi;
  /** Every event the api emitted, in order. */
  readonly events: AppEvent[];
  /** Answers for dialog.pickFolder, first in first out; empty answers null (cancelled). */
  readonly pickFolderQueue: (string | null)[];
  /** URLs shell.openExternal was asked to open. */
  readonly opened: string[];
  readonly notifier: MemoryNotifier;
  close(): Promise<void>;
}

export async function createTestHost(o: TestHostOptions = {}): Promise<TestHost> {
  const home = o.home ?? (await mkdtemp(join(tmpdir(), 'strata-ui-')));
  const state = join(home, '.local', 'state', 'strata');
  await mkdir(state, { recursive: true });
  const catalog = Catalog.open(join(state, 'catalog.db'));
  const notifier = new MemoryNotifier();
  const services = createServices({
    catalog,
    keychain: o.keychain ?? new MemoryStore(),
    notifier,
    timeZone: o.timeZone ?? 'UTC',
    workers: 0,
    ...(o.now ? { now: o.now } : {}),
  });
  const pickFolderQueue: (string | null)[] = [];
  const opened: string[] = [];
  const api = createApi({
    services,
    host: {
      pickFolder: async () => pickFolderQueue.shift() ?? null,
      openExternal: async (url) => void opened.push(url),
    },
    settingsFile: join(home, '.config', 'strata', 'settings.json'),
    kdfLogN: 10,
    ...(o.now ? { now: o.now } : {}),
  });
  const events: AppEvent[] = [];
  api.onEvent((e) => events.push(e));
  return {
    home,
    api,
    events,
    pickFolderQueue,
    opened,
    notifier,
    async close() {
      await api.close();
      catalog.close();
      if (o.home === undefined) await rm(home, { recursive: true, force: true });
    },
  };
}
