/**
 * The services process's side of the protocol: on `init` it opens the catalog and builds the
 * services exactly as the app used to in main (services/host.ts, services/api.ts), then answers
 * calls, forwards events, and asks the parent for what only main can do (folder picker, links,
 * login item, OS notifications, battery state).
 *
 * Calls that arrive before `init` has finished wait for it; a message that does not parse is
 * logged and ignored. On `close` the services stop cleanly (runs are cancelled; the engine keeps
 * the repository consistent), the catalog closes, the reply goes out, then the process ends.
 */
import type { AppEvent, Envelope, Settings } from '../../../shared/contract';
import { StrataError } from '../../../shared/errors';
import { createApi, createServices, type StrataServiceApi } from '../api';
import { toErrorData } from '../api/errors';
import { Catalog } from '../catalog/catalog';
import type { Notification } from '../notify/notifier';
import { KeychainStore } from '../secrets/keychain-store';
import { MemoryStore } from '../secrets/memory-store';
import {
  ConditionsSchema,
  describeBad,
  parseToChild,
  type HostOp,
  type InitMessage,
  type Op,
  type ToParent,
} from './protocol';

/** The child's link to its parent (process.parentPort or process.send). */
export interface ParentLink {
  post(msg: ToParent): void;
  onMessage(fn: (msg: unknown) => void): void;
  /** The parent went away: stop. */
  onDisconnect(fn: () => void): void;
  /** Ends this process once what was posted has gone out. */
  exit(code: number): void;
}

/** Serves the protocol on `link` until the parent asks to close or goes away. */
export function serve(link: ParentLink, log: (line: string) => void = console.error): void {
  let api: StrataServiceApi | undefined;
  let catalog: Catalog | undefined;
  let ready: Promise<StrataServiceApi> | undefined;
  let hostSeq = 0;
  const hostCalls = new Map<number, (e: Envelope<unknown>) => void>();
  let closing = false;

  function host<T>(op: HostOp, arg: unknown): Promise<T> {
    const seq = ++hostSeq;
    return new Promise<T>((resolve, reject) => {
      hostCalls.set(seq, (e) =>
        e.ok ? resolve(e.value as T) : reject(new StrataError(e.error.code, e.error.message)),
      );
      link.post({ type: 'host', seq, op, arg });
    });
  }

  function start(init: InitMessage): StrataServiceApi {
    catalog = Catalog.open(init.catalogPath);
    const services = createServices({
      catalog,
      keychain: init.secrets === 'keychain' ? new KeychainStore() : new MemoryStore(),
      notifier: { notify: (n: Notification) => host<void>('notify', n) },
      timeZone: init.timeZone,
      conditions: async () => ConditionsSchema.parse(await host('conditions', {})),
      notice: (sentence) => log(`strata services: ${sentence}`),
      ...(init.workers !== undefined ? { workers: init.workers } : {}),
    });
    const made = createApi({
      services,
      host: {
        pickFolder: (o) => host<string | null>('pickFolder', o),
        openExternal: (url) => host<void>('openExternal', { url }),
        applySettings: (s: Settings) => host<void>('applySettings', s),
      },
      ...(init.settingsFile !== undefined ? { settingsFile: init.settingsFile } : {}),
      ...(init.version !== undefined ? { version: init.version } : {}),
      ...(init.kdfLogN !== undefined ? { kdfLogN: init.kdfLogN } : {}),
    });
    made.onEvent((event: AppEvent) => link.post({ type: 'event', event }));
    return made;
  }

  async function op(name: Op, a: StrataServiceApi): Promise<unknown> {
    switch (name) {
      case 'tick':
        return a.tick();
      case 'state':
        return a.state();
      case 'idle':
        return a.idle();
      case 'close':
        return shutdown(a);
    }
  }

  async function shutdown(a: StrataServiceApi | undefined): Promise<void> {
    if (closing) return;
    closing = true;
    await a?.close();
    catalog?.close();
    catalog = undefined;
  }

  /** Runs one request and posts its envelope; a channel call answers its own envelope. */
  async function answer(seq: number, run: (a: StrataServiceApi) => Promise<Envelope<unknown>>) {
    let envelope: Envelope<unknown>;
    try {
      if (ready === undefined) throw new StrataError('INTERRUPTED', 'the services have no init');
      envelope = await run(await ready);
    } catch (err) {
      envelope = { ok: false, error: toErrorData(err) };
    }
    link.post({ type: 'reply', seq, envelope });
  }

  link.onMessage((raw) => {
    const msg = parseToChild(raw);
    if (msg === undefined) {
      log(`strata services: ignored a malformed message (${describeBad(raw)})`);
      return;
    }
    switch (msg.type) {
      case 'init':
        if (ready !== undefined) return log('strata services: ignored a second init');
        ready = Promise.resolve().then(() => (api = start(msg)));
        ready.then(
          () => link.post({ type: 'ready' }),
          (err: unknown) => {
            log(`strata services: could not start: ${toErrorData(err).message}`);
            link.post({ type: 'fatal', message: toErrorData(err).message });
            link.exit(1);
          },
        );
        return;
      case 'call':
        void answer(msg.seq, (a) => a.invoke(msg.channel, msg.args));
        return;
      case 'answer':
        hostCalls.get(msg.seq)?.(msg.envelope as Envelope<unknown>);
        hostCalls.delete(msg.seq);
        return;
      default:
        void answer(msg.seq, async (a) => ({ ok: true, value: await op(msg.type, a) })).then(() => {
          if (msg.type === 'close') link.exit(0);
        });
    }
  });

  link.onDisconnect(() => {
    // The parent is gone: nobody to answer; stop the runs cleanly and end.
    void shutdown(api).finally(() => link.exit(0));
  });
}
