/**
 * What the one `events` channel carries: the core's StrataEvents, restore progress and results,
 * and "state-changed" when something outside a job changed (settings, pause-all): the renderer
 * then fetches state.get again.
 */
import type { StrataEvent } from '../events';
import type { RestoreSummary } from './restore';

export interface RestoreProgress {
  readonly restoreId: string;
  readonly filesDone: number;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export type RestoreEvent =
  | { readonly type: 'restore-progress'; readonly progress: RestoreProgress }
  | { readonly type: 'restore-finished'; readonly summary: RestoreSummary };

export type AppEvent = StrataEvent | RestoreEvent | { readonly type: 'state-changed' };

/** The channel name events travel on (main -> renderer). */
export const EVENTS_CHANNEL = 'events';
