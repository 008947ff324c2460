import { describe, expect, it } from 'vitest';
import { JobExportSchema, parseJob } from '../../../shared/jobs';

const minimal = {
  id: 'docs',
  name: 'Documents',
  sources: ['/home/ann/Documents'],
  destinations: [{ id: 'usb', type: 'local', path: '/media/ann/backup' }],
  schedule: { kind: 'daily', at: '02:30' },
};

describe('jobs', () => {
  it('fills the defaults a user expects', () => {
    const job = parseJob(minimal);
    expect(job.retention).toEqual({ kind: 'preset', preset: 'time-machine' });
    expect(job.rpoHours).toBe(26);
    expect(job.notify).toEqual({
      onFailure: true,
      onWarning: true,
      onOverdue: true,
      onSuccess: false,
    });
    expect(job.hooks).toEqual({ before: [], after: [] });
    expect(job.excludes).toEqual([]);
    expect(job.paused).toBe(false);
  });

  it('says what is wrong, field by field', () => {
    const bad = {
      ...minimal,
      id: 'has space',
      name: ' ',
      sources: [],
      schedule: { kind: 'daily', at: '25:00' },
      destinations: [minimal.destinations[0], minimal.destinations[0]],
    };
    expect(() => parseJob(bad)).toThrow(/id: use letters/);
    expect(() => parseJob(bad)).toThrow(/name: give the job a name/);
    expect(() => parseJob(bad)).toThrow(/sources: choose at least one folder/);
    expect(() => parseJob(bad)).toThrow(/schedule.at: a time of day/);
    expect(() => parseJob(bad)).toThrow(/destination ids must differ/);
  });

  it('refuses unknown fields, so a password can never ride along in a job', () => {
    expect(() => parseJob({ ...minimal, password: 'hunter2' })).toThrow(/password/);
    const dest = { ...minimal.destinations[0], password: 'x' };
    expect(() => parseJob({ ...minimal, destinations: [dest] })).toThrow(/destinations/);
  });

  it('accepts every schedule kind and retention kind, and refuses unknown presets', () => {
    for (const schedule of [
      { kind: 'manual' },
      { kind: 'interval', minutes: 60 },
      { kind: 'weekly', days: [1, 3, 5], at: '21:00' },
      { kind: 'cron', expression: '*/30 * * * *' },
    ])
      expect(parseJob({ ...minimal, schedule }).schedule).toEqual(schedule);
    expect(() => parseJob({ ...minimal, schedule: { kind: 'interval', minutes: 1 } })).toThrow();
    const custom = { kind: 'custom', policy: { keepDaily: 7, keepWeekly: -1 } };
    expect(parseJob({ ...minimal, retention: custom }).retention).toEqual(custom);
    expect(() => parseJob({ ...minimal, retention: { kind: 'preset', preset: 'nope' } })).toThrow();
  });

  it('exports in a versioned envelope', () => {
    const env = { format: 'strata-jobs', version: 1, exported: 'now', jobs: [parseJob(minimal)] };
    expect(JobExportSchema.parse(env).jobs[0]!.id).toBe('docs');
    expect(() => JobExportSchema.parse({ ...env, version: 2 })).toThrow();
  });
});
