/**
 * The event bus the hosts subscribe to: main forwards events to the renderer and the tray, the
 * daemon logs them. Listeners are called synchronously and must not throw (a throwing one is
 * caught so it cannot break a backup).
 */
import type { StrataEvent } from '../../shared/events';

export type Listener = (event: StrataEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  /** Subscribes; returns the function that unsubscribes. */
  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: StrataEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A host's listener failing must not stop the run that emitted the event.
      }
    }
  }
}
