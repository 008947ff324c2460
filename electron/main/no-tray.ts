/**
 * The no-tray notices as main runs them: remembers what the services notified (so a failure
 * is not told twice), and on each app state sends what trayFallbackNotice decides. No Electron
 * import: the Notifier is the port, so tests drive it with a MemoryNotifier.
 */
import type { AppState } from '../../shared/contract';
import type { Notification, Notifier } from '../services/notify/notifier';
import {
  alreadyTold,
  overallOf,
  trayFallbackNotice,
  type OverallState,
  type SentNotification,
} from './tray-fallback';

/** A Notifier that remembers the last ten minutes of what went through it. */
export class RememberingNotifier implements Notifier {
  private readonly log: SentNotification[] = [];

  constructor(
    private readonly inner: Notifier,
    private readonly now: () => number = Date.now,
  ) {}

  async notify(n: Notification): Promise<void> {
    const now = this.now();
    this.log.push({ kind: n.kind, jobId: n.jobId, at: now });
    while (this.log.length > 0 && now - this.log[0]!.at > 10 * 60_000) this.log.shift();
    await this.inner.notify(n);
  }

  /** What was sent recently, oldest first. */
  recent(): readonly SentNotification[] {
    return this.log;
  }
}

/** Turns app states into no-tray notices; only created when the desktop has no tray. */
export class NoTrayNotices {
  private prev?: OverallState;

  constructor(
    private readonly notifier: RememberingNotifier,
    private readonly timeZone: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call with each new app state; resolves once any notice is handed to the notifier. */
  async update(state: AppState): Promise<void> {
    const now = this.now();
    const next = overallOf(state, now, this.timeZone);
    const notice = trayFallbackNotice(this.prev, next);
    this.prev = next;
    if (!notice || alreadyTold(next, this.notifier.recent(), now)) return;
    await this.notifier.notify(notice).catch(() => undefined);
  }
}
