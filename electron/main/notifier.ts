/** The services' Notifier port as OS notifications, filtered by the user's level. */
import { Notification as OsNotification } from 'electron';
import type { Settings } from '../../shared/contract';
import type { Notification, Notifier } from '../services/notify/notifier';

export class ElectronNotifier implements Notifier {
  constructor(private readonly settings: () => Settings) {}

  async notify(n: Notification): Promise<void> {
    const level = this.settings().notifications;
    if (level === 'none') return;
    if (level === 'problems' && (n.kind === 'success' || n.kind === 'recovered')) return;
    if (!OsNotification.isSupported()) return;
    new OsNotification({ title: n.title, body: n.body, urgency: n.urgency }).show();
  }
}
