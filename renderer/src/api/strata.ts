/**
 * The only module that touches window.strata (ARCHITECTURE.md: renderer/src/api).
 *
 * The preload (or, in the UI tests, an init script built from the same bridge builder) puts
 * the contract's StrataApi on window before any of our code runs.
 */
import type { StrataApi } from '../../../shared/contract';

declare global {
  interface Window {
    strata?: StrataApi;
  }
}

/** The bridge to main; throws a plain message when the page was opened outside Strata. */
export function api(): StrataApi {
  const bridge = window.strata;
  if (!bridge) throw new Error('Strata’s bridge is missing: open this page from the Strata app.');
  return bridge;
}

export type { StrataApi };
