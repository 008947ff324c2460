/**
 * The Notifier port: whatever deserves the user's attention goes through here. Main shows it as
 * a desktop notification, the headless daemon logs it, tests collect it. What deserves one is
 * decided elsewhere (decide.ts); a notifier only delivers.
 */

/**
 * What a notification is about. `restore`: a restore the user started has ended. `state`: the
 * overall state (failing, overdue, paused, healthy again) told by notification where the desktop
 * shows no tray icon; sent by main, never by the services' decisions.
 */
export const NOTIFICATION_KINDS = [
  'failure',
  'warning',
  'overdue',
  'drive-needed',
  'success',
  'recovered',
  'restore',
  'state',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** As Electron's Notification takes it: critical ones stay on screen until dismissed. */
export type Urgency = 'low' | 'normal' | 'critical';

export interface Notification {
  readonly kind: NotificationKind;
  readonly jobId: string;
  readonly title: string;
  /** What happened, what it means for the user's files, what happens or what to do next. */
  readonly body: string;
  readonly urgency: Urgency;
}

export interface Notifier {
  notify(n: Notification): Promise<void>;
}
