import { describe, expect, it } from 'vitest';
import {
  STATE_PRECEDENCE,
  type StatusInput,
  highestState,
  jobStatus,
} from '../../../electron/services/status/job-status';
import { trayState } from '../../../electron/services/status/tray';
import type {
  DestinationHistory,
  JobState,
  TrayState,
} from '../../../electron/services/status/types';
import type { JobInput } from '../../../shared/jobs';
import { makeJob } from '../scheduler/job-fixture';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const NOW = at('2026-06-03T11:00:00Z');
const ago = (hours: number) => NOW - hours * HOUR;

const good = (hours: number): DestinationHistory => ({
  lastRun: { started: ago(hours) - HOUR / 4, finished: ago(hours), outcome: 'success' },
  lastGoodSnapshotTime: ago(hours),
});
const failed = (hours: number, goodHours?: number, times = 1): DestinationHistory => ({
  lastRun: {
    started: ago(hours),
    finished: ago(hours),
    outcome: 'failure',
    message: 'the destination folder is read-only',
    consecutiveFailures: times,
  },
  lastGoodSnapshotTime: goodHours === undefined ? undefined : ago(goodHours),
});

function status(
  usb: DestinationHistory | undefined,
  extra: Partial<StatusInput> = {},
  job: Partial<JobInput> = {},
) {
  return jobStatus({
    now: NOW,
    timeZone: 'UTC',
    job: makeJob(job),
    perDestination: usb ? { usb } : {},
    running: false,
    nextAt: at('2026-06-03T14:00:00Z'),
    ...extra,
  });
}

const twoDestinations: Partial<JobInput> = {
  destinations: [
    { id: 'usb', type: 'local', path: '/media/ann/backup', label: 'Backup drive' },
    { id: 'nas', type: 'local', path: '/mnt/nas', label: 'NAS' },
  ],
};

describe('jobStatus: states and summaries', () => {
  it.each<[string, DestinationHistory | undefined, Partial<StatusInput>, JobState, string]>([
    ['never run', undefined, {}, 'never', 'Not backed up yet; first backup at 14:00'],
    ['never run, manual', undefined, { nextAt: undefined }, 'never', 'Not backed up yet'],
    ['ok', good(3), {}, 'ok', 'Last backup 3 hours ago; next at 14:00'],
    ['ok, manual', good(0.5), { nextAt: undefined }, 'ok', 'Last backup 30 minutes ago'],
    [
      'warning',
      { ...good(3), lastRun: { started: ago(3), outcome: 'warning' } },
      { nextAt: at('2026-06-04T02:00:00Z') },
      'warning',
      'Last backup 3 hours ago had warnings; next tomorrow at 02:00',
    ],
    ['overdue', good(48), {}, 'overdue', 'Overdue: no good backup for 2 days (target 26 hours)'],
    [
      'failing',
      failed(1, 5, 3),
      {},
      'failing',
      'Failing: the destination folder is read-only (3 times in a row); last good backup 5 hours ago',
    ],
    [
      'failing from the first run',
      failed(1),
      {},
      'failing',
      'Failing: the destination folder is read-only; no good backup yet',
    ],
    ['running', good(3), { running: true }, 'running', 'Backing up now; last backup 3 hours ago'],
    [
      'running the first time',
      undefined,
      { running: true },
      'running',
      'Backing up now: the first backup',
    ],
  ])('%s', (_name, usb, extra, state, summary) => {
    const s = status(usb, extra);
    expect(s.state).toBe(state);
    expect(s.summary).toBe(summary);
  });

  it('a failing job that is also overdue shows failing, keeps the overdue flag, and says how old', () => {
    const s = status(failed(1, 50, 12));
    expect(s).toMatchObject({ state: 'failing', overdue: true, tray: 'error' });
    expect(s.summary).toMatch(/last good backup 2 days ago$/);
  });

  it('a failed test restore is failing, and the last proven restore stays known', () => {
    const s = status({
      ...good(3),
      lastVerify: { time: ago(2), ok: false, message: 'report.pdf could not be read back' },
      lastProvenRestore: ago(170),
    });
    expect(s.state).toBe('failing');
    expect(s.summary).toBe(
      'Failing: the test restore at 09:00 failed: report.pdf could not be read back',
    );
    expect(s.lastProvenRestore).toBe(ago(170));
  });

  it('gives the last good backup, the RPO deadline and the last proven restore', () => {
    const s = status({ ...good(3), lastVerify: { time: ago(1), ok: true } }, {}, { rpoHours: 24 });
    expect(s).toMatchObject({
      lastGoodBackup: ago(3),
      rpoDeadline: ago(3) + 24 * HOUR,
      lastProvenRestore: ago(1),
      overdue: false,
    });
  });

  it('takes the last good backup from a good last run when the snapshot time is missing', () => {
    const s = status({ lastRun: { started: ago(4), finished: ago(3), outcome: 'success' } });
    expect(s.lastGoodBackup).toBe(ago(3));
  });

  it('a cancelled or interrupted run changes nothing by itself', () => {
    const base = good(3);
    const s = status({ ...base, lastRun: { started: ago(1), outcome: 'interrupted' } });
    expect(s.state).toBe('ok');
    expect(status({ lastRun: { started: ago(1), outcome: 'cancelled' } }).state).toBe('never');
  });

  it('paused shows in the summary and the tray', () => {
    const s = status(good(3), {}, { paused: true });
    expect(s).toMatchObject({ state: 'ok', paused: true, tray: 'paused' });
    expect(s.summary).toBe('Last backup 3 hours ago; paused');
    expect(status(good(48), {}, { paused: true }).summary).toMatch(/\(target 26 hours\); paused$/);
  });
});

describe('jobStatus: per destination', () => {
  it('the job shows the highest state of its destinations and names the one in trouble', () => {
    const s = jobStatus({
      now: NOW,
      timeZone: 'UTC',
      job: makeJob(twoDestinations),
      perDestination: { usb: good(72), nas: good(1) },
      running: false,
    });
    expect(s.destinations.map((d) => [d.destinationId, d.state])).toEqual([
      ['usb', 'overdue'],
      ['nas', 'ok'],
    ]);
    expect(s.state).toBe('overdue');
    expect(s.summary).toBe('Overdue: no good backup on Backup drive for 3 days (target 26 hours)');
    // The newest backup anywhere; the earliest deadline of any copy.
    expect(s.lastGoodBackup).toBe(ago(1));
    expect(s.rpoDeadline).toBe(ago(72) + 26 * HOUR);
  });

  it('a new destination that never ran does not hide a good one', () => {
    const s = jobStatus({
      now: NOW,
      timeZone: 'UTC',
      job: makeJob(twoDestinations),
      perDestination: { usb: good(2) },
      running: false,
    });
    expect(s.destinations.map((d) => d.state)).toEqual(['ok', 'never']);
    expect(s.state).toBe('ok');
  });

  it('failing on one destination names it', () => {
    const s = jobStatus({
      now: NOW,
      timeZone: 'UTC',
      job: makeJob(twoDestinations),
      perDestination: { usb: good(2), nas: failed(1, 30) },
      running: false,
    });
    expect(s.summary).toMatch(/^Failing on NAS: the destination folder is read-only; last good/);
  });
});

describe('precedence and the tray', () => {
  it('is running > failing > overdue > warning > ok > never', () => {
    expect(STATE_PRECEDENCE).toEqual(['running', 'failing', 'overdue', 'warning', 'ok', 'never']);
    expect(highestState(['ok', 'warning', 'never'])).toBe('warning');
    expect(highestState(['overdue', 'failing'])).toBe('failing');
    expect(highestState([])).toBe('never');
  });

  const histories: Record<JobState, [DestinationHistory | undefined, boolean]> = {
    running: [good(1), true],
    failing: [failed(1, 2), false],
    overdue: [good(30), false],
    warning: [{ ...good(1), lastRun: { started: ago(1), outcome: 'warning' } }, false],
    ok: [good(1), false],
    never: [undefined, false],
  };
  it.each<[JobState, TrayState]>([
    ['running', 'running'],
    ['failing', 'error'],
    ['overdue', 'overdue'],
    ['warning', 'warning'],
    ['ok', 'idle'],
    ['never', 'idle'],
  ])('a %s job shows %s in the tray', (state, tray) => {
    const [h, running] = histories[state];
    const s = status(h, { running });
    expect([s.state, s.tray]).toEqual([state, tray]);
  });

  it.each<[TrayState[], boolean[], TrayState]>([
    [['idle', 'running', 'error'], [false, false, false], 'error'],
    [['running', 'overdue'], [false, false], 'overdue'],
    [['warning', 'running'], [false, false], 'running'],
    [['idle', 'warning'], [false, false], 'warning'],
    [['paused', 'paused'], [true, true], 'paused'],
    [['paused', 'idle'], [true, false], 'idle'],
    [[], [], 'idle'],
  ])('all jobs %j -> %s', (trays, paused, expected) => {
    expect(trayState(trays.map((tray, i) => ({ tray, paused: paused[i]! })))).toBe(expected);
  });
});
