/** The job that connects this computer to an existing backup ("I already have a backup"). */
import { describe, expect, it } from 'vitest';
import type { RepositoryContents } from '../../../shared/contract';
import { JobSchema } from '../../../shared/jobs';
import {
  connectBlocker,
  defaultName,
  defaultSources,
  toConnectedJob,
} from '../../../renderer/src/features/connect/connect-job';

const CONTENTS: RepositoryContents = {
  path: '/media/usb/strata',
  snapshots: 3,
  hosts: ['old-laptop'],
  paths: ['/home/ann/Documents', '/home/ann/Pictures', '/srv/gone'],
  newest: '2026-05-01T10:00:00.000Z',
  oldest: '2026-01-01T10:00:00.000Z',
  newestPaths: { here: ['/home/ann/Pictures'], missing: ['/srv/gone'] },
  unreadable: 0,
};

describe('connect-job', () => {
  it('offers the newest snapshot’s folders that exist here, named after the first', () => {
    expect(defaultSources(CONTENTS)).toEqual(['/home/ann/Pictures']);
    expect(defaultName(CONTENTS)).toBe('Pictures');
    const nothingHere = { ...CONTENTS, newestPaths: { here: [], missing: ['/srv/gone'] } };
    expect(defaultSources(nothingHere)).toEqual([]);
    expect(defaultName(nothingHere)).toBe('Documents');
    expect(defaultName({ ...nothingHere, paths: [] })).toBe('Restored backup');
  });

  it('needs a name and at least one folder', () => {
    const ok = { path: '/m', name: 'Docs', sources: ['/a'] };
    expect(connectBlocker(ok)).toBeNull();
    expect(connectBlocker({ ...ok, name: ' ' })).toBe('Give this backup a name.');
    expect(connectBlocker({ ...ok, sources: [] })).toContain('Choose at least one folder');
  });

  it('builds a valid job that backs up on request and keeps every snapshot', () => {
    const job = toConnectedJob(
      { path: ' /media/usb/strata ', name: ' Pictures ', sources: ['/home/ann/Pictures'] },
      ['pictures'],
    );
    expect(job).toEqual({
      id: 'pictures-2',
      name: 'Pictures',
      sources: ['/home/ann/Pictures'],
      destinations: [{ id: 'pictures-2-1', type: 'local', path: '/media/usb/strata' }],
      schedule: { kind: 'manual' },
      retention: { kind: 'keep-all' },
      rpoHours: 168,
    });
    expect(JobSchema.safeParse(job).success).toBe(true);
  });
});
