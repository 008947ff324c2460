import { type Job, type JobInput, parseJob } from '../../../shared/jobs';

/** A valid job with defaults filled in; `over` replaces any field. */
export function makeJob(over: Partial<JobInput> = {}): Job {
  return parseJob({
    id: 'docs',
    name: 'Documents',
    sources: ['/home/ann/Documents'],
    destinations: [{ id: 'usb', type: 'local', path: '/media/ann/backup', label: 'Backup drive' }],
    schedule: { kind: 'daily', at: '02:00' },
    ...over,
  });
}
