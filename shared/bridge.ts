/**
 * The ONE bridge builder: turns an `invoke(channel, args)` transport and an event subscription
 * into the StrataApi object (window.strata). The preload builds it over ipcRenderer; the UI
 * tests build it over Playwright's exposeBinding straight into services/api.ts, so both run the
 * same code. Pure TypeScript, no zod at runtime: the sandboxed preload bundles it small, and
 * validation is main's job (the renderer is not trusted to validate anything).
 */
import type { Channel, StrataApi } from './contract/channels';
import { CHANNEL_NAMES as CHANNELS } from './contract/names';
import { ApiError, isApiErrorData, type Envelope } from './contract/common';
import type { AppEvent } from './contract/events';

/** Sends one request; answers the envelope main produced. */
export type Invoke = (channel: Channel, args: unknown) => Promise<Envelope<unknown>>;
/** Subscribes to pushed events; returns the unsubscribe function. */
export type Subscribe = (listener: (event: AppEvent) => void) => () => void;

function unwrap(channel: Channel, envelope: Envelope<unknown>): unknown {
  if (envelope && envelope.ok === true) return envelope.value;
  if (envelope && envelope.ok === false && isApiErrorData(envelope.error))
    throw new ApiError(envelope.error);
  throw new ApiError({ code: 'IO_ERROR', message: `${channel}: main sent an unreadable answer` });
}

/** Builds window.strata: `api.jobs.runNow({ jobId })` invokes 'jobs.runNow'. */
export function buildBridge(invoke: Invoke, subscribe: Subscribe): StrataApi {
  const groups: Record<string, Record<string, (args?: unknown) => Promise<unknown>>> = {};
  for (const channel of CHANNELS) {
    const [group, method] = channel.split('.') as [string, string];
    groups[group] ??= {};
    groups[group][method] = async (args?: unknown) =>
      unwrap(channel, await invoke(channel, args ?? {}));
  }
  const api = {
    ...groups,
    onEvent: (listener: (event: AppEvent) => void) => subscribe(listener),
  } as unknown as StrataApi;
  // Frozen: contextBridge copies it anyway; in tests this keeps pages from patching it.
  for (const g of Object.values(groups)) Object.freeze(g);
  return Object.freeze(api);
}
