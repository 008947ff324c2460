import { describe, expect, it } from 'vitest';
import {
  type NotificationMemory,
  type NotifyEvent,
  decideNotifications,
} from '../../../electron/services/notify/decide';
import type { Notification } from '../../../electron/services/notify/notifier';
import type { RunOutcome } from '../../../electron/services/scheduler/types';
import type { JobInput } from '../../../shared/jobs';
import { makeJob } from '../scheduler/job-fixture';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const T0 = at('2026-06-03T10:00:00Z');

/** Feeds events one call at a time, as the runner would, carrying the memory along. */
function timeline(steps: [number, NotifyEvent][], job: Partial<JobInput> = {}) {
  let memory: NotificationMemory = {};
  const sent: (Notification & { at: number })[] = [];
  for (const [now, e] of [...steps].sort((a, b) => a[0] - b[0])) {
    // Runs finish when they are reported unless the step says otherwise.
    const event = e.type === 'run-finished' && e.at === 0 ? { ...e, at: now } : e;
    const d = decideNotifications({
      now,
      timeZone: 'UTC',
      jobs: [makeJob(job)],
      previous: memory,
      events: [event],
    });
    memory = d.memory;
    sent.push(...d.notifications.map((n) => ({ ...n, at: now })));
  }
  return { sent, memory };
}

const run = (outcome: RunOutcome, message?: string): NotifyEvent => ({
  type: 'run-finished',
  jobId: 'docs',
  outcome,
  at: 0,
  message,
});
const status = (overdue: boolean, lastGoodBackup?: number): NotifyEvent => ({
  type: 'status',
  jobId: 'docs',
  overdue,
  lastGoodBackup,
});
const absent: NotifyEvent = {
  type: 'destination-absent',
  jobId: 'docs',
  destinationId: 'usb',
  name: 'Backup drive',
};
const every = (hours: number, n: number, e: NotifyEvent): [number, NotifyEvent][] =>
  Array.from({ length: n }, (_, i) => [T0 + i * hours * HOUR, e]);

describe('failures', () => {
  it('notify once per failing streak, remind after a day, and say when it works again', () => {
    const failing = every(1, 30, run('failure', 'The destination folder is read-only.'));
    const { sent, memory } = timeline([...failing, [T0 + 30 * HOUR, run('success')]]);
    expect(sent.map((n) => [n.kind, n.title, (n.at - T0) / HOUR])).toEqual([
      ['failure', 'Documents: backup failed', 0],
      ['failure', 'Documents: still failing', 24],
      ['recovered', 'Documents: backing up again', 30],
    ]);
    expect(sent[0]).toMatchObject({
      urgency: 'critical',
      body: 'The destination folder is read-only. Nothing new was saved this time; Strata will try again.',
    });
    expect(sent[1]!.body).toBe(
      '25 backups in a row have failed over 24 hours. The destination folder is read-only.',
    );
    expect(sent[2]!.body).toBe('The backup worked after 30 failures in a row.');
    expect(memory).toEqual({ docs: {} });
  });

  it('a new streak after a success notifies again at once', () => {
    const { sent } = timeline([
      [T0, run('failure')],
      [T0 + HOUR, run('success')],
      [T0 + 2 * HOUR, run('failure')],
    ]);
    expect(sent.map((n) => n.kind)).toEqual(['failure', 'recovered', 'failure']);
  });

  it('respects onFailure: nothing sent, nothing to recover from', () => {
    const job = {
      notify: { onFailure: false, onWarning: true, onOverdue: true, onSuccess: false },
    };
    const { sent, memory } = timeline(
      [
        [T0, run('failure')],
        [T0 + HOUR, run('failure')],
      ],
      job,
    );
    expect(sent).toEqual([]);
    expect(memory.docs!.failures).toEqual({ since: T0, count: 2 });
    expect(
      timeline(
        [
          [T0, run('failure')],
          [T0 + HOUR, run('success')],
        ],
        job,
      ).sent,
    ).toEqual([]);
  });

  it('cancelled and interrupted runs neither notify nor end a streak', () => {
    const { sent } = timeline([
      [T0, run('failure')],
      [T0 + HOUR, run('cancelled')],
      [T0 + 2 * HOUR, run('interrupted')],
      [T0 + 3 * HOUR, run('failure')],
    ]);
    expect(sent.map((n) => n.kind)).toEqual(['failure']);
  });
});

describe('warnings and successes', () => {
  it('warnings: once per streak, again after a day of warnings, again after a clean run', () => {
    const { sent } = timeline([
      ...every(1, 26, run('warning', '2 files could not be read.')),
      [T0 + 26 * HOUR, run('success')],
      [T0 + 27 * HOUR, run('warning')],
    ]);
    expect(sent.map((n) => [n.kind, (n.at - T0) / HOUR])).toEqual([
      ['warning', 0],
      ['warning', 24],
      ['warning', 27],
    ]);
    expect(sent[0]!.body).toBe(
      '2 files could not be read. Everything else is in the new snapshot.',
    );
  });

  it('a warning run that ends a failing streak sends one "backing up again" only', () => {
    const { sent } = timeline([
      [T0, run('failure')],
      [T0 + HOUR, run('warning', '1 file changed while read')],
      [T0 + 2 * HOUR, run('warning')],
    ]);
    expect(sent.map((n) => n.kind)).toEqual(['failure', 'recovered']);
    expect(sent[1]!.body).toBe(
      'The backup worked after a failure, with warnings: 1 file changed while read.',
    );
  });

  it('success notifies only when asked', () => {
    expect(timeline([[T0, run('success')]]).sent).toEqual([]);
    const job = { notify: { onFailure: true, onWarning: true, onOverdue: true, onSuccess: true } };
    const { sent } = timeline([[T0, { ...run('success'), at: T0 - 60_000 } as NotifyEvent]], job);
    expect(sent).toEqual([
      expect.objectContaining({
        kind: 'success',
        urgency: 'low',
        body: 'The backup finished at 09:59.',
      }),
    ]);
  });

  it('respects onWarning', () => {
    const job = {
      notify: { onFailure: true, onWarning: false, onOverdue: true, onSuccess: false },
    };
    expect(timeline([[T0, run('warning')]], job).sent).toEqual([]);
  });
});

describe('overdue', () => {
  it('fires when crossed, again every 24 hours while overdue, and resets when caught up', () => {
    const good = T0 - 27 * HOUR;
    const { sent } = timeline([
      [T0 - HOUR, status(false, good)],
      ...every(1, 50, status(true, good)),
      [T0 + 50 * HOUR, status(false, T0 + 50 * HOUR)],
      [T0 + 80 * HOUR, status(true, T0 + 50 * HOUR)],
    ]);
    expect(sent.map((n) => [n.kind, (n.at - T0) / HOUR])).toEqual([
      ['overdue', 0],
      ['overdue', 24],
      ['overdue', 48],
      ['overdue', 80],
    ]);
    expect(sent[0]).toMatchObject({
      title: 'Documents: backup overdue',
      urgency: 'critical',
      body: 'No good backup for 27 hours (target 26 hours). Changes since then are not protected; check that the destination is reachable.',
    });
    expect(sent[2]!.body).toMatch(/^No good backup for 3 days/);
  });

  it('respects onOverdue', () => {
    const job = {
      notify: { onFailure: true, onWarning: true, onOverdue: false, onSuccess: false },
    };
    expect(timeline(every(30, 3, status(true, T0 - 30 * HOUR)), job).sent).toEqual([]);
  });
});

describe('drive needed', () => {
  it('asks at most once a day per destination', () => {
    const other: NotifyEvent = {
      ...absent,
      destinationId: 'usb2',
      name: 'Second drive',
    } as NotifyEvent;
    const { sent } = timeline([...every(2, 13, absent), [T0 + HOUR, other]]);
    expect(sent.map((n) => [n.title, (n.at - T0) / HOUR])).toEqual([
      ['Documents: plug in Backup drive', 0],
      ['Documents: plug in Second drive', 1],
      ['Documents: plug in Backup drive', 24],
    ]);
    expect(sent[0]).toMatchObject({
      kind: 'drive-needed',
      urgency: 'normal',
      body: 'A scheduled backup is waiting for Backup drive. It starts by itself once the drive is connected.',
    });
  });
});

describe('memory', () => {
  it('drops jobs that no longer exist and ignores their events', () => {
    const previous = { gone: { overdueNotifiedAt: T0 }, docs: { overdueNotifiedAt: T0 } };
    const d = decideNotifications({
      now: T0 + HOUR,
      timeZone: 'UTC',
      jobs: [makeJob()],
      previous,
      events: [{ ...run('failure'), jobId: 'gone' }],
    });
    expect(d).toEqual({ notifications: [], memory: { docs: { overdueNotifiedAt: T0 } } });
  });

  it('handles several events in one call, in order, and does not change its input', () => {
    const previous: NotificationMemory = {};
    const d = decideNotifications({
      now: T0,
      timeZone: 'UTC',
      jobs: [makeJob()],
      previous,
      events: [run('failure'), status(true, T0 - 30 * HOUR), absent, run('failure')],
    });
    expect(d.notifications.map((n) => n.kind)).toEqual(['failure', 'overdue', 'drive-needed']);
    expect(previous).toEqual({});
    expect(JSON.parse(JSON.stringify(d.memory))).toEqual(d.memory);
  });
});
