import type { Notification, Notifier } from './notifier';

/** Keeps what it is sent, for tests and for an in-app list of recent notifications. */
export class MemoryNotifier implements Notifier {
  readonly sent: Notification[] = [];

  async notify(n: Notification): Promise<void> {
    this.sent.push(n);
  }

  clear(): void {
    this.sent.length = 0;
  }
}
