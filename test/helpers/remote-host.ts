/**
 * createRemoteTestHost: the services in a real child process (the built entry,
 * dist/electron/services/remote/entry.js, forked with child_process), behind RemoteApi, on a
 * temporary HOME: the path the app takes with Electron's utilityProcess, minus Electron.
 * Secrets go to a MemoryStore in the child (lost when it restarts, as session memory is); the
 * folder picker answers from `pickFolderQueue`; links and notifications are recorded in the
 * parent, where main would handle them. Needs `npm run build` first.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppEvent } from '../../shared/contract';
import { MemoryNotifier } from '../../electron/services/notify/memory-notifier';
import { NodeServicePort, serviceEntry } from '../../electron/services/remote/port';
import { RemoteApi, type RemoteApiOptions } from '../../electron/services/remote/remote-api';

export interface RemoteTestHostOptions {
  readonly home?: string;
  readonly restartDelaysMs?: readonly number[];
  readonly closeTimeoutMs?: number;
  /** Also copy the children's stderr to ours (default true). */
  readonly echoChildLog?: boolean;
}

export interface RemoteTestHost {
  readonly home: string;
  readonly api: RemoteApi;
  /** Every event the parent received, in order. */
  readonly events: AppEvent[];
  readonly pickFolderQueue: (string | null)[];
  readonly opened: string[];
  readonly notifier: MemoryNotifier;
  /** Every child started, oldest first; the last is the current one. */
  readonly ports: NodeServicePort[];
  /** What RemoteApi logged (malformed messages, restarts). */
  readonly logs: string[];
  /** What the children wrote to stderr (their log). */
  readonly childLog: string[];
  close(): Promise<void>;
}

export async function createRemoteTestHost(o: RemoteTestHostOptions = {}): Promise<RemoteTestHost> {
  const home = o.home ?? (await mkdtemp(join(tmpdir(), 'strata-remote-')));
  const state = join(home, '.local', 'state', 'strata');
  await mkdir(state, { recursive: true });
  // Throws 'run npm run build' when the built entry is missing.
  const entry = serviceEntry();
  const env = {
    ...process.env,
    HOME: home,
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
  };
  const notifier = new MemoryNotifier();
  const pickFolderQueue: (string | null)[] = [];
  const opened: string[] = [];
  const ports: NodeServicePort[] = [];
  const logs: string[] = [];
  const childLog: string[] = [];
  const options: RemoteApiOptions = {
    spawn: () => {
      const port = new NodeServicePort(entry, {
        env,
        onStderr: (text) => {
          childLog.push(text);
          if (o.echoChildLog !== false) process.stderr.write(text);
        },
      });
      ports.push(port);
      return port;
    },
    init: {
      catalogPath: join(state, 'catalog.db'),
      settingsFile: join(home, '.config', 'strata', 'settings.json'),
      timeZone: 'UTC',
      workers: 0,
      secrets: 'memory',
      kdfLogN: 10,
    },
    host: {
      pickFolder: async () => pickFolderQueue.shift() ?? null,
      openExternal: async (url) => void opened.push(url),
    },
    notifier,
    log: (line) => logs.push(line),
    ...(o.restartDelaysMs ? { restartDelaysMs: o.restartDelaysMs } : {}),
    ...(o.closeTimeoutMs !== undefined ? { closeTimeoutMs: o.closeTimeoutMs } : {}),
  };
  const api = new RemoteApi(options);
  const events: AppEvent[] = [];
  api.onEvent((e) => events.push(e));
  return {
    home,
    api,
    events,
    pickFolderQueue,
    opened,
    notifier,
    ports,
    logs,
    childLog,
    async close() {
      await api.close();
      if (o.home === undefined) await rm(home, { recursive: true, force: true });
    },
  };
}
