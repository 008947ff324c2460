/**
 * services/api.ts: the IPC contract (shared/contract.ts) implemented over the services. Every
 * call is validated with its channel's schema here, whoever the caller is (main's ipcMain
 * handlers, the UI tests' exposeBinding), and answered as an envelope: `{ ok, value }` or
 * `{ ok: false, error: { code, message, field? } }`, so errors cross the bridge with their codes.
 */
import {
  CHANNEL_ARGS,
  type ApiHandlers,
  type AppEvent,
  type Channel,
  type Envelope,
  type Result,
} from '../../shared/contract';
import { StrataError } from '../../shared/errors';
import { browseHandlers } from './api/browse';
import { connectHandlers } from './api/connect';
import { ApiContext, type ApiOptions } from './api/context';
import { parseArgs, toErrorData } from './api/errors';
import { expirePauseAll, jobHandlers } from './api/jobs';
import { restoreHandlers } from './api/restore';
import { appState, stateHandlers } from './api/state';
import { wizardHandlers } from './api/wizard';

export type { ApiOptions, HostPorts } from './api/context';
export { createServices, type Services, type ServicesOptions } from './host';

export interface StrataServiceApi {
  /** Validates `args` for `channel`, runs it, and answers the envelope (never throws). */
  invoke(channel: string, args: unknown): Promise<Envelope<unknown>>;
  /** The same, typed, throwing StrataError: for main's own callers (tray menu, tests). */
  call<C extends Channel>(channel: C, args: unknown): Promise<Result<C>>;
  onEvent(listener: (event: AppEvent) => void): () => void;
  /** One scheduler tick, unless everything is paused. The host calls this every minute. */
  tick(): Promise<void>;
  state: () => ReturnType<typeof appState>;
  /** Waits for restores in progress and the core's runs (used when quitting and in tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(CHANNEL_ARGS, name);
}

export function createApi(options: ApiOptions): StrataServiceApi {
  const c = new ApiContext(options);
  const handlers: ApiHandlers = {
    ...stateHandlers(c),
    ...jobHandlers(c),
    ...wizardHandlers(c),
    ...browseHandlers(c),
    ...connectHandlers(),
    ...restoreHandlers(c),
  };

  async function call<C extends Channel>(channel: C, args: unknown): Promise<Result<C>> {
    if (!isChannel(channel))
      throw new StrataError('INVALID_ARGUMENT', `there is no channel "${String(channel)}"`);
    const parsed = parseArgs(CHANNEL_ARGS[channel], args ?? {});
    const handler = handlers[channel] as (a: unknown) => Promise<Result<C>>;
    return handler(parsed);
  }

  return {
    async invoke(channel, args) {
      try {
        return { ok: true, value: await call(channel as Channel, args) };
      } catch (err) {
        return { ok: false, error: toErrorData(err) };
      }
    },
    call,
    onEvent: (listener) => c.onEvent(listener),
    async tick() {
      expirePauseAll(c);
      if (c.pauseAll.paused) return;
      await c.s.core.tick();
    },
    state: () => appState(c),
    async idle() {
      while (c.restores.size > 0) await Promise.allSettled([...c.restores.values()]);
      await c.s.core.idle();
    },
    async close() {
      await c.s.core.stop();
      await Promise.allSettled([...c.restores.values()]);
      c.close();
    },
  };
}
