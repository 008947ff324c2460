import { describe, expect, it } from 'vitest';
import type { RestoreSummary } from '../../../shared/contract';
import { restoreNotice } from '../../../electron/services/notify/restore-notice';

const base: RestoreSummary = {
  restoreId: 'r1',
  outcome: 'ok',
  files: 1200,
  bytes: 5_000_000,
  skipped: 0,
  keptBoth: [],
  problems: [],
};

describe('restoreNotice', () => {
  it('a clean restore: low urgency, how many files and where', () => {
    expect(restoreNotice('docs', 'Documents', '/home/ann/Restored', base)).toEqual({
      kind: 'restore',
      jobId: 'docs',
      urgency: 'low',
      title: 'Documents: restore finished',
      body: '1,200 files restored to /home/ann/Restored.',
    });
  });

  it('names copies kept beside existing files, skipped files and problems', () => {
    const n = restoreNotice('docs', 'Documents', 'their original place', {
      ...base,
      outcome: 'warning',
      files: 1,
      skipped: 2,
      keptBoth: [{ path: '/a', restoredAs: '/a (restored)' }],
      problems: [{ path: '/b', message: 'damaged' }],
    });
    expect(n.urgency).toBe('normal');
    expect(n.title).toBe('Documents: restore finished with problems');
    expect(n.body).toBe(
      '1 file restored to their original place. 1 copy was put next to files already there. ' +
        '2 files were skipped. 1 file could not be restored: open Strata for the list.',
    );
  });

  it('a failed restore stays on screen with the reason and what to do', () => {
    const n = restoreNotice('docs', 'Documents', '/mnt/x', {
      ...base,
      outcome: 'failed',
      files: 0,
      error: { code: 'BACKEND_UNAVAILABLE', message: 'The backup drive is not connected.' },
    });
    expect(n.urgency).toBe('critical');
    expect(n.title).toBe('Documents: the restore failed');
    expect(n.body).toBe(
      'The backup drive is not connected. Files restored so far are in /mnt/x; open Strata to try again.',
    );
  });
});
