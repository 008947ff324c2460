/**
 * Runs in the page before the renderer (an init script): builds window.strata with the one
 * bridge builder (shared/bridge.ts) over two bindings the test exposes: __strataInvoke, which
 * calls the services in the test process and answers main's envelope, and __strataEvent, which
 * the test calls to push events. Bundled to an IIFE by global-setup.ts.
 */
import { buildBridge, type Invoke } from '../../shared/bridge';
import type { AppEvent } from '../../shared/contract';

const page = globalThis as unknown as {
  __strataInvoke: Invoke;
  __strataEvent?: (event: AppEvent) => void;
  strata?: unknown;
};
const listeners = new Set<(event: AppEvent) => void>();

page.__strataEvent = (event) => {
  for (const listener of listeners) listener(event);
};
page.strata = buildBridge(
  (channel, args) => page.__strataInvoke(channel, args),
  (listener) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  },
);
