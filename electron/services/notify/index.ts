/** Notifications: the Notifier port, its adapters, and what deserves one. */
export {
  type DecideInput,
  type Decision,
  type JobNotifyMemory,
  type NotificationMemory,
  type NotifyEvent,
  type NotifyJob,
  decideNotifications,
} from './decide';
export { LogNotifier, type LineSink, formatNotificationLine } from './log-notifier';
export { MemoryNotifier } from './memory-notifier';
export { NOTIFICATION_KINDS } from './notifier';
export type { Notification, NotificationKind, Notifier, Urgency } from './notifier';
