import { describe, expect, it } from 'vitest';
import { LogNotifier } from '../../../electron/services/notify/log-notifier';
import { MemoryNotifier } from '../../../electron/services/notify/memory-notifier';
import type { Notification } from '../../../electron/services/notify/notifier';

const n: Notification = {
  kind: 'failure',
  jobId: 'docs',
  title: 'Documents: backup failed',
  body: 'The destination folder is read-only.\nNothing new was saved.',
  urgency: 'critical',
};

describe('LogNotifier', () => {
  it('writes one line per notification', async () => {
    const lines: string[] = [];
    const log = new LogNotifier({ write: (t: string) => lines.push(t) }, () =>
      Date.parse('2026-06-03T10:00:00Z'),
    );
    await log.notify(n);
    await log.notify({ ...n, kind: 'overdue' });
    expect(lines).toEqual([
      '2026-06-03T10:00:00.000Z notify failure job=docs urgency=critical: Documents: backup failed: The destination folder is read-only. Nothing new was saved.\n',
      expect.stringMatching(/ notify overdue job=docs /),
    ]);
  });
});

describe('MemoryNotifier', () => {
  it('keeps what it is sent until cleared', async () => {
    const memory = new MemoryNotifier();
    await memory.notify(n);
    expect(memory.sent).toEqual([n]);
    memory.clear();
    expect(memory.sent).toEqual([]);
  });
});
