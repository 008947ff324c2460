import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../electron/services/scheduler/backoff';
import { type PlanInput, planJobs } from '../../../electron/services/scheduler/plan';
import { nextScheduledTime, upcomingTimes } from '../../../shared/schedule-times';
import type {
  HostConditions,
  JobPlan,
  JobRunState,
} from '../../../electron/services/scheduler/types';
import type { JobInput, Schedule } from '../../../shared/jobs';
import { makeJob } from './job-fixture';

const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;
const TZ = 'UTC';
const HOME: HostConditions = { onBattery: false, meteredNetwork: false, destinationsPresent: {} };

function plan(
  run: Partial<JobRunState> | undefined,
  now: string,
  job: Partial<JobInput> = {},
  extra: Partial<PlanInput> = {},
): JobPlan {
  const input: PlanInput = {
    now: at(now),
    timeZone: TZ,
    jobs: [makeJob(job)],
    runs: run ? { docs: { running: false, consecutiveFailures: 0, ...run } } : {},
    conditions: HOME,
    ...extra,
  };
  const [p] = planJobs(input);
  return p!;
}

describe('schedule kinds', () => {
  const from = at('2026-06-03T10:07:00Z'); // a Wednesday
  it.each<[string, Schedule, string[]]>([
    ['interval', { kind: 'interval', minutes: 90 }, ['11:37', '13:07', '14:37']],
    ['daily', { kind: 'daily', at: '09:30' }, ['06-04 09:30', '06-05 09:30', '06-06 09:30']],
    [
      'weekly',
      { kind: 'weekly', days: [1, 5], at: '20:00' },
      ['06-05 20:00', '06-08 20:00', '06-12 20:00'],
    ],
    [
      'cron',
      { kind: 'cron', expression: '0 12 1 * *' },
      ['07-01 12:00', '08-01 12:00', '09-01 12:00'],
    ],
  ])('%s', (_kind, schedule, expected) => {
    const got = upcomingTimes(schedule, from, TZ, 3).map((t) => new Date(t).toISOString());
    const fmt =
      expected[0]!.length === 5
        ? (s: string) => s.slice(11, 16)
        : (s: string) => `${s.slice(5, 10)} ${s.slice(11, 16)}`;
    expect(got.map(fmt)).toEqual(expected);
  });

  it('manual has no scheduled times', () => {
    expect(nextScheduledTime({ kind: 'manual' }, from, TZ)).toBeUndefined();
  });

  it('an interval counts real time across DST, daily follows the wall clock', () => {
    const before = at('2026-03-29T00:30:00Z'); // 01:30 CET, Berlin springs forward at 01:00 UTC
    const every = nextScheduledTime({ kind: 'interval', minutes: 60 }, before, 'Europe/Berlin');
    expect(every! - before).toBe(HOUR);
    const daily = nextScheduledTime({ kind: 'daily', at: '01:30' }, before, 'Europe/Berlin');
    expect(new Date(daily!).toISOString()).toBe('2026-03-29T23:30:00.000Z'); // 01:30 CEST
  });
});

describe('planJobs: when a job is due', () => {
  it('waits for the next scheduled time after the last start', () => {
    const p = plan(
      { lastStarted: at('2026-06-03T02:00:00Z'), lastOutcome: 'success' },
      '2026-06-03T12:00:00Z',
    );
    expect(p).toMatchObject({ due: false, nextAt: at('2026-06-04T02:00:00Z') });
    expect(p.reason).toEqual({ code: 'waiting', message: 'Next backup tomorrow at 02:00' });
  });

  it('is due at the scheduled time, for that time', () => {
    const p = plan(
      { lastStarted: at('2026-06-03T02:00:00Z'), lastOutcome: 'success' },
      '2026-06-04T02:00:30Z',
    );
    expect(p).toMatchObject({ due: true, dueAt: at('2026-06-04T02:00:00Z'), catchUp: false });
    expect(p.reason).toEqual({ code: 'scheduled', message: 'Due: scheduled at 02:00' });
    expect(p.destinationIds).toEqual(['usb']);
    expect(p.nextAt).toBe(at('2026-06-05T02:00:00Z'));
  });

  it('catches up once after a week asleep, for the first missed time', () => {
    const last = { lastStarted: at('2026-06-01T02:00:00Z'), lastOutcome: 'success' as const };
    const p = plan(last, '2026-06-08T09:15:00Z');
    expect(p).toMatchObject({ due: true, catchUp: true, dueAt: at('2026-06-02T02:00:00Z') });
    expect(p.reason.code).toBe('catch-up');
    expect(p.reason.message).toBe('Catching up: missed the backup scheduled on 2 Jun at 02:00');
    // Once started, the catch-up run covers them all: nothing else is owed until tomorrow.
    const after = plan(
      { lastStarted: at('2026-06-08T09:15:00Z'), lastOutcome: 'success' },
      '2026-06-08T10:00:00Z',
    );
    expect(after).toMatchObject({ due: false, nextAt: at('2026-06-09T02:00:00Z') });
  });

  it('treats a single missed time well past as a catch-up too', () => {
    const p = plan(
      { lastStarted: at('2026-06-03T02:00:00Z'), lastOutcome: 'success' },
      '2026-06-04T08:00:00Z',
    );
    expect(p).toMatchObject({ due: true, catchUp: true, dueAt: at('2026-06-04T02:00:00Z') });
  });

  it('a long run that overran later times is followed by one run, not one per time', () => {
    const job = { schedule: { kind: 'interval', minutes: 30 } } as const;
    const run = {
      lastStarted: at('2026-06-03T10:00:00Z'),
      lastFinished: at('2026-06-03T12:10:00Z'),
      lastOutcome: 'success' as const,
    };
    const p = plan(run, '2026-06-03T12:10:00Z', job);
    expect(p).toMatchObject({ due: true, catchUp: true, dueAt: at('2026-06-03T10:30:00Z') });
  });

  it('never starts a second run of a running job', () => {
    const run = { running: true, lastStarted: at('2026-06-01T02:00:00Z') };
    const p = plan(run, '2026-06-08T09:00:00Z');
    expect(p).toMatchObject({ due: false, reason: { code: 'running' } });
    expect(p.nextAt).toBe(at('2026-06-02T02:00:00Z')); // owed as soon as it finishes
    expect(p.prune.due).toBe(false);
  });

  it('skips paused and manual jobs', () => {
    const long = { lastStarted: at('2026-01-01T00:00:00Z'), lastOutcome: 'success' as const };
    expect(plan(long, '2026-06-08T09:00:00Z', { paused: true }).reason.code).toBe('paused');
    const manual = plan(long, '2026-06-08T09:00:00Z', { schedule: { kind: 'manual' } });
    expect(manual).toMatchObject({ due: false, nextAt: undefined, reason: { code: 'manual' } });
  });

  it('runs a job that never ran at once, or at its first time after creation', () => {
    expect(plan(undefined, '2026-06-03T12:00:00Z')).toMatchObject({
      due: true,
      dueAt: at('2026-06-03T12:00:00Z'),
      reason: { code: 'first-run' },
    });
    const created = plan({ createdAt: at('2026-06-03T11:00:00Z') }, '2026-06-03T12:00:00Z');
    expect(created).toMatchObject({ due: false, nextAt: at('2026-06-04T02:00:00Z') });
  });

  it('runs again at once after an interrupted run', () => {
    const run = {
      lastStarted: at('2026-06-03T02:00:00Z'),
      lastFinished: at('2026-06-03T02:20:00Z'),
      lastOutcome: 'interrupted' as const,
    };
    expect(plan(run, '2026-06-03T08:00:00Z')).toMatchObject({
      due: true,
      dueAt: at('2026-06-03T02:20:00Z'),
      reason: { code: 'resume' },
    });
  });

  it('a cancelled run is not retried', () => {
    const run = { lastStarted: at('2026-06-03T02:00:00Z'), lastOutcome: 'cancelled' as const };
    expect(plan(run, '2026-06-03T08:00:00Z')).toMatchObject({
      due: false,
      reason: { code: 'waiting' },
    });
  });
});

describe('planJobs: backoff after failures', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 4],
    [4, 8],
    [5, 16],
    [6, 32],
    [7, 60],
    [50, 60],
  ])('after %i failures a daily job waits %i minutes', (failures, minutes) => {
    expect(backoffDelay(failures, 24 * HOUR)).toBe(minutes * MIN);
  });

  it('never waits longer than the schedule would', () => {
    expect(backoffDelay(10, 15 * MIN)).toBe(15 * MIN);
    expect(backoffDelay(10, undefined)).toBe(60 * MIN);
    expect(backoffDelay(3, 30_000)).toBe(MIN); // never under a minute
  });

  const failed = (n: number) => ({
    lastStarted: at('2026-06-03T02:00:00Z'),
    lastFinished: at('2026-06-03T02:10:00Z'),
    lastOutcome: 'failure' as const,
    consecutiveFailures: n,
  });

  it('backs off, saying how many failures and until when', () => {
    const p = plan(failed(3), '2026-06-03T02:12:00Z');
    expect(p).toMatchObject({ due: false, nextAt: at('2026-06-03T02:14:00Z') });
    expect(p.reason).toEqual({
      code: 'backing-off',
      message: 'Backing off after 3 failures; next try at 02:14',
    });
  });

  it('retries when the backoff has passed', () => {
    expect(plan(failed(3), '2026-06-03T02:14:00Z')).toMatchObject({
      due: true,
      dueAt: at('2026-06-03T02:14:00Z'),
      reason: { code: 'retry', message: 'Retrying after 3 failures' },
    });
  });

  it('caps the wait at the interval of an interval job', () => {
    const p = plan(failed(9), '2026-06-03T02:12:00Z', {
      schedule: { kind: 'interval', minutes: 10 },
    });
    expect(p.nextAt).toBe(at('2026-06-03T02:20:00Z'));
  });

  it('is back on the schedule after a success', () => {
    const run = {
      lastStarted: at('2026-06-03T02:30:00Z'),
      lastOutcome: 'success' as const,
      consecutiveFailures: 0,
    };
    expect(plan(run, '2026-06-03T02:31:00Z')).toMatchObject({
      due: false,
      nextAt: at('2026-06-04T02:00:00Z'),
    });
  });
});

describe('planJobs: conditions postpone and say why', () => {
  const owed = { lastStarted: at('2026-06-02T02:00:00Z'), lastOutcome: 'success' as const };
  const now = '2026-06-03T02:00:00Z';
  const twoDestinations: Partial<JobInput> = {
    destinations: [
      { id: 'usb', type: 'local', path: '/media/ann/backup', label: 'Backup drive' },
      { id: 'nas', type: 'local', path: '/mnt/nas/strata' },
    ],
  };
  const when = (conditions: Partial<HostConditions>, job: Partial<JobInput> = {}) =>
    plan(owed, now, job, { conditions: { ...HOME, ...conditions } });

  it('on battery', () => {
    const p = when({ onBattery: true });
    expect(p).toMatchObject({ due: false, dueAt: at(now) });
    expect(p.nextAt).toBeUndefined();
    expect(p.reason).toEqual({
      code: 'on-battery',
      message: 'Postponed: on battery power, waiting for the charger',
    });
    expect(
      plan(
        owed,
        now,
        {},
        { conditions: { ...HOME, onBattery: true }, policy: { runOnBattery: true } },
      ).due,
    ).toBe(true);
  });

  it('destination drive absent: plug in its label, or its path', () => {
    const p = when({ destinationsPresent: { usb: false } });
    expect(p.reason).toEqual({
      code: 'destination-absent',
      message: 'Postponed: plug in Backup drive',
    });
    expect(p.skipped).toEqual([
      { destinationId: 'usb', reason: 'destination-absent', name: 'Backup drive' },
    ]);
    const both = when({ destinationsPresent: { usb: false, nas: false } }, twoDestinations);
    expect(both.reason.message).toBe('Postponed: plug in Backup drive and /mnt/nas/strata');
  });

  it('runs to the destinations that are there, listing the one left out', () => {
    const p = when({ destinationsPresent: { usb: false, nas: true } }, twoDestinations);
    expect(p).toMatchObject({ due: true, destinationIds: ['nas'] });
    expect(p.skipped.map((s) => s.destinationId)).toEqual(['usb']);
  });

  it('metered network spares destinations that use the network', () => {
    const p = when({ meteredNetwork: true, networkDestinations: { nas: true } }, twoDestinations);
    expect(p).toMatchObject({ due: true, destinationIds: ['usb'] });
    const onlyNas = when(
      {
        meteredNetwork: true,
        networkDestinations: { nas: true },
        destinationsPresent: { usb: false },
      },
      twoDestinations,
    );
    expect(onlyNas.reason).toEqual({
      code: 'destination-absent',
      message: 'Postponed: plug in Backup drive; waiting for a network that is not metered',
    });
    const nasOnly = when({ meteredNetwork: true, networkDestinations: { usb: true } });
    expect(nasOnly.reason.code).toBe('metered-network');
    expect(when({ meteredNetwork: true }).due).toBe(true); // a plain local drive
  });

  it('offline leaves out destinations that use the network, and waits when none is left', () => {
    const p = when({ online: false, networkDestinations: { nas: true } }, twoDestinations);
    expect(p).toMatchObject({ due: true, destinationIds: ['usb'] });
    expect(p.skipped).toEqual([
      { destinationId: 'nas', reason: 'offline', name: '/mnt/nas/strata' },
    ]);
    const nasOnly = when({ online: false, networkDestinations: { usb: true } });
    expect(nasOnly).toMatchObject({ due: false, destinationIds: [] });
    expect(nasOnly.reason).toEqual({
      code: 'offline',
      message: 'Postponed: waiting for a network connection',
    });
    const both = when(
      { online: false, networkDestinations: { nas: true }, destinationsPresent: { usb: false } },
      twoDestinations,
    );
    expect(both.reason.message).toBe(
      'Postponed: plug in Backup drive; waiting for a network connection',
    );
    expect(when({ online: false }).due).toBe(true); // a plain local drive needs no network
    expect(when({ online: true, networkDestinations: { usb: true } }).due).toBe(true);
  });

  it('conditions do not matter while nothing is owed', () => {
    const early = plan(
      owed,
      '2026-06-02T12:00:00Z',
      {},
      { conditions: { ...HOME, onBattery: true } },
    );
    expect(early.reason.code).toBe('waiting');
  });
});

describe('planJobs: maintenance', () => {
  const done = {
    lastStarted: at('2026-06-03T02:00:00Z'),
    lastOutcome: 'success' as const,
    lastGoodBackup: at('2026-06-03T02:30:00Z'),
  };
  const now = '2026-06-03T12:00:00Z';

  it('is due once there is a backup, then every pruneEveryHours / verifyEveryHours', () => {
    const first = plan(done, now);
    expect(first.prune).toMatchObject({ due: true, dueAt: at('2026-06-03T02:30:00Z') });
    expect(first.verify.due).toBe(true);
    const later = plan(
      { ...done, lastPrune: at('2026-06-01T12:00:00Z'), lastVerify: at('2026-06-03T11:00:00Z') },
      now,
      {
        maintenance: { pruneEveryHours: 48, verifyEveryHours: 24, verifySample: 20 },
      },
    );
    expect(later.prune).toMatchObject({ due: true, dueAt: at('2026-06-03T12:00:00Z') });
    expect(later.verify).toMatchObject({
      due: false,
      dueAt: at('2026-06-04T11:00:00Z'),
      reason: 'next test restore tomorrow at 11:00',
    });
  });

  it('is off for keep-all retention and verifyEveryHours 0, and waits for a first backup', () => {
    const p = plan(done, now, {
      retention: { kind: 'keep-all' },
      maintenance: { pruneEveryHours: 24, verifyEveryHours: 0, verifySample: 20 },
    });
    expect(p.prune).toMatchObject({
      due: false,
      reason: expect.stringMatching(/keeps every snapshot/),
    });
    expect(p.verify).toEqual({ due: false, reason: 'test restore is turned off' });
    expect(
      plan({ lastStarted: at(now), lastOutcome: 'failure', consecutiveFailures: 1 }, now).prune
        .reason,
    ).toBe('no backup to prune yet');
  });

  it('waits while a backup is owed, the job runs or conditions postpone', () => {
    expect(plan(done, '2026-06-04T03:00:00Z').prune).toMatchObject({
      due: false,
      reason: 'a backup is due first',
    });
    expect(plan({ ...done, running: true }, now).verify.reason).toBe('Backing up now');
    const away = plan(
      done,
      now,
      {},
      { conditions: { ...HOME, destinationsPresent: { usb: false } } },
    );
    expect(away.prune).toMatchObject({ due: false, reason: 'Postponed: plug in Backup drive' });
  });
});

describe('planJobs over time: a day of ticks', () => {
  it('starts each scheduled run exactly once, in any zone', () => {
    const tz = 'America/New_York';
    let run: JobRunState = {
      running: false,
      consecutiveFailures: 0,
      createdAt: at('2026-03-06T12:00:00Z'),
    };
    const starts: string[] = [];
    // Every 5 minutes for four days across the spring-forward change; each run takes 20 minutes.
    for (let t = at('2026-03-06T12:00:00Z'); t < at('2026-03-10T12:00:00Z'); t += 5 * MIN) {
      if (run.running && t - run.lastStarted! >= 20 * MIN) {
        run = { ...run, running: false, lastFinished: t, lastOutcome: 'success' };
      }
      const [p] = planJobs({
        now: t,
        timeZone: tz,
        jobs: [makeJob({ schedule: { kind: 'daily', at: '02:30' } })],
        runs: { docs: run },
        conditions: HOME,
      });
      if (p!.due) {
        starts.push(new Date(t).toISOString());
        run = { ...run, running: true, lastStarted: t };
      }
    }
    expect(starts).toEqual([
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT: 02:30 does not exist that night
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
  });
});
