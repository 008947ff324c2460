/**
 * Notifications for the headless daemon: one line each on a stream (a log file, stderr), so
 * `grep notify` or a log shipper sees failures without a desktop.
 */
import type { Notification, Notifier } from './notifier';

/** Where lines go: a Node Writable, or anything with `write`. */
export interface LineSink {
  write(text: string): unknown;
}

/** One line, whatever the text holds: newlines would split an entry in two. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** `2026-06-03T11:00:00.000Z notify failure job=docs urgency=critical: title: body` */
export function formatNotificationLine(n: Notification, at: number): string {
  const time = new Date(at).toISOString();
  const text = `${oneLine(n.title)}: ${oneLine(n.body)}`;
  return `${time} notify ${n.kind} job=${n.jobId} urgency=${n.urgency}: ${text}\n`;
}

export class LogNotifier implements Notifier {
  /** `clock` stamps each line; it is the adapter's, the decisions never read a clock. */
  constructor(
    private readonly sink: LineSink,
    private readonly clock: () => number = Date.now,
  ) {}

  async notify(n: Notification): Promise<void> {
    this.sink.write(formatNotificationLine(n, this.clock()));
  }
}
