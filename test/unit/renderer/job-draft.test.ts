/**
 * The wizard's draft as a job (new), as a command line, and back and forth for editing: what
 * the user did not touch (a cron schedule, a custom retention, extra hooks) stays as it was.
 */
import { describe, expect, it } from 'vitest';
import type { DestinationCheck } from '../../../shared/contract';
import { JobSchema, type Job } from '../../../shared/jobs';
import { fromJob, toEditedJob } from '../../../renderer/src/features/wizard/edit-draft';
import { makeId, toCommand, toJob } from '../../../renderer/src/features/wizard/job-draft';
import {
  allExcludes,
  INITIAL_DRAFT,
  type Draft,
} from '../../../renderer/src/features/wizard/wizard-store';

const CHECK: DestinationCheck = {
  path: '/media/usb/strata',
  exists: false,
  isFolder: false,
  empty: false,
  repository: false,
  writable: true,
  freeBytes: 1e12,
};

const DRAFT: Draft = {
  ...INITIAL_DRAFT,
  name: '  My Documents ',
  sources: ['/home/ann/Documents', "/home/ann/Ann's files"],
  excludes: ['node_modules/'],
  excludeText: '*.tmp\n\n# a comment\n  node_modules/  \ncache/',
  destinationPath: ' /media/usb/strata ',
  destinationLabel: 'USB drive',
  check: CHECK,
  frequency: 'weekly',
  days: [3, 1],
  at: '21:00',
  rpoHours: 170,
  retention: 'keep-some',
  beforeHook: ' pg_dump db > /tmp/db.sql ',
};

describe('makeId', () => {
  it('makes a plain id from the name, unique among the taken ones', () => {
    expect(makeId('My Documents', [])).toBe('my-documents');
    expect(makeId('My Documents', ['my-documents', 'my-documents-2'])).toBe('my-documents-3');
    expect(makeId('  Ünïcode Files! ', [])).toBe('n-code-files');
    expect(makeId('!!!', [])).toBe('backup');
    expect(makeId('', ['backup'])).toBe('backup-2');
  });

  it('never ends in a dash when a long name is cut at 60 characters', () => {
    expect(makeId(`${'a'.repeat(59)} b`, [])).toBe('a'.repeat(59));
  });
});

describe('toJob', () => {
  it('builds the job the contract expects', () => {
    expect(allExcludes(DRAFT)).toEqual(['node_modules/', '*.tmp', 'cache/']);
    expect(toJob(DRAFT, ['my-documents'])).toEqual({
      id: 'my-documents-2',
      name: 'My Documents',
      sources: ['/home/ann/Documents', "/home/ann/Ann's files"],
      excludes: ['node_modules/', '*.tmp', 'cache/'],
      destinations: [
        { id: 'my-documents-2-1', type: 'local', path: '/media/usb/strata', label: 'USB drive' },
      ],
      schedule: { kind: 'weekly', days: [1, 3], at: '21:00' },
      retention: { kind: 'preset', preset: 'keep-some' },
      hooks: { before: [{ command: 'pg_dump db > /tmp/db.sql' }], after: [] },
      rpoHours: 170,
    });
  });

  it('leaves out an empty label and keeps everything for "keep-all"', () => {
    const job = toJob({ ...DRAFT, destinationLabel: ' ', retention: 'keep-all' }, []);
    expect(job.destinations[0]).toEqual({
      id: 'my-documents-1',
      type: 'local',
      path: '/media/usb/strata',
    });
    expect(job.retention).toEqual({ kind: 'keep-all' });
  });
});

describe('toCommand', () => {
  it('is the same job as a shell-quoted strata job add, with --init for a new repository', () => {
    expect(toCommand(DRAFT)).toBe(
      "strata job add --name 'My Documents' --source /home/ann/Documents " +
        "--source '/home/ann/Ann'\\''s files' --exclude node_modules/ --exclude '*.tmp' " +
        '--exclude cache/ --destination /media/usb/strata --init ' +
        "--schedule 'weekly mon,wed 21:00' --retention keep-some --rpo-hours 170 " +
        "--before 'pg_dump db > /tmp/db.sql'",
    );
  });

  it('has no --init for a folder that already holds a backup, and quotes a cron schedule', () => {
    const command = toCommand({
      ...DRAFT,
      check: { ...CHECK, exists: true, isFolder: true, repository: true },
      frequency: 'custom',
      customKind: 'cron',
      cron: '30 2 * * 1-5',
    });
    expect(command).not.toContain('--init');
    expect(command).toContain(`--schedule 'cron "30 2 * * 1-5"'`);
  });
});

const JOB: Job = JobSchema.parse({
  id: 'docs',
  name: 'Docs',
  sources: ['/home/ann/Documents'],
  excludes: ['*.tmp'],
  destinations: [{ id: 'docs-1', type: 'local', path: '/media/usb', label: 'USB' }],
  schedule: { kind: 'cron', expression: '15 3 * * 1-5' },
  retention: { kind: 'custom', policy: { keepDaily: 9 } },
  hooks: { before: [{ command: 'one' }, { command: 'two' }], after: [] },
  rpoHours: 74,
});

describe('editing: fromJob and toEditedJob', () => {
  it('shows a cron job as the custom choice with its expression', () => {
    const d = fromJob(JOB);
    expect(d).toMatchObject({
      name: 'Docs',
      frequency: 'custom',
      customKind: 'cron',
      cron: '15 3 * * 1-5',
      rpoHours: 74,
      excludeText: '*.tmp',
      destinationPath: '/media/usb',
      beforeHook: 'one',
    });
  });

  it('keeps what the user did not touch: schedule, custom retention, both hooks', () => {
    const edited = toEditedJob(JOB, { ...fromJob(JOB), name: 'Work documents' });
    expect(edited).toEqual({ ...JOB, name: 'Work documents' });
  });

  it('takes what the user changed: a new cron, a preset, one hook', () => {
    const d = {
      ...fromJob(JOB),
      cron: '0 12 * * *',
      retention: 'keep-some',
      beforeHook: 'three',
    };
    const edited = toEditedJob(JOB, d);
    expect(edited.schedule).toEqual({ kind: 'cron', expression: '0 12 * * *' });
    expect(edited.retention).toEqual({ kind: 'preset', preset: 'keep-some' });
    expect(edited.hooks).toEqual({ before: [{ command: 'three' }], after: [] });
    expect(edited.destinations).toBe(JOB.destinations);
    expect(edited.id).toBe('docs');
  });

  it('round-trips the wizard’s own choices', () => {
    const weekly: Job = { ...JOB, schedule: { kind: 'weekly', days: [2, 4], at: '07:15' } };
    expect(fromJob(weekly)).toMatchObject({ frequency: 'weekly', days: [2, 4], at: '07:15' });
    const hourly: Job = { ...JOB, schedule: { kind: 'interval', minutes: 60 } };
    expect(fromJob(hourly).frequency).toBe('hourly');
    const every45: Job = { ...JOB, schedule: { kind: 'interval', minutes: 45 } };
    expect(fromJob(every45)).toMatchObject({
      frequency: 'custom',
      customKind: 'interval',
      customMinutes: 45,
    });
    expect(toEditedJob(every45, fromJob(every45)).schedule).toEqual(every45.schedule);
  });
});
