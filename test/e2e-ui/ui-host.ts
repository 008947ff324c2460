/**
 * What the UI tests need from a host: main's side of the bridge (invoke -> envelope, events),
 * the answers the native folder picker gives, and a way to stop. Adapts test/helpers/ui-host.ts
 * (the real services on a temporary HOME) and the smoke test's stub to one shape.
 */
import type { Envelope } from '../../shared/contract';
import type { Channel } from '../../shared/contract';
import type { AppEvent } from '../../shared/contract';

export interface UiHost {
  invoke(channel: Channel, args: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  /** Paths the next dialog.pickFolder calls answer, in order (the native dialog's stand-in). */
  readonly pickFolderQueue: string[];
  close(): Promise<void>;
}
