/** Jobs (validated both ways) and runs with their bounded logs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog, MAX_LOG_LINES, type LogLine } from '../../../electron/services/catalog';
import type { JobInput } from '../../../shared/jobs';

const job = (id: string, extra: Partial<JobInput> = {}): JobInput => ({
  id,
  name: `Job ${id}`,
  sources: ['/home/ann'],
  destinations: [{ id: 'usb', type: 'local', path: '/media/usb/strata' }],
  schedule: { kind: 'daily', at: '02:30' },
  ...extra,
});

describe('catalog jobs and runs', () => {
  let catalog: Catalog;
  beforeEach(() => {
    catalog = Catalog.open(':memory:');
  });
  afterEach(() => catalog.close());

  it('round-trips jobs with defaults filled in', () => {
    const stored = catalog.putJob(job('b'));
    catalog.putJob(job('a', { paused: true }));
    expect(stored.retention).toEqual({ kind: 'preset', preset: 'time-machine' });
    expect(catalog.getJob('b')).toEqual(stored);
    expect(catalog.listJobs().map((j) => [j.id, j.paused])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    catalog.putJob(job('b', { name: 'Renamed' }));
    expect(catalog.getJob('b')?.name).toBe('Renamed');
    expect(catalog.removeJob('b')).toBe(true);
    expect(catalog.removeJob('b')).toBe(false);
    expect(catalog.getJob('b')).toBeUndefined();
  });

  it('rejects invalid jobs and unknown fields, saying what is wrong', () => {
    expect(() => catalog.putJob(job('x', { sources: [] }))).toThrow(/choose at least one folder/);
    expect(() => catalog.putJob({ ...job('x'), password: 'secret' })).toThrow(/password/);
    expect(() => catalog.putJob(job('bad id!'))).toThrow(/invalid job/);
    expect(catalog.listJobs()).toEqual([]);
  });

  it('records runs from start to end, newest first', () => {
    catalog.putJob(job('j'));
    const first = catalog.startRun({ jobId: 'j', kind: 'backup', destinationId: 'usb' });
    const second = catalog.startRun({
      jobId: 'j',
      kind: 'verify',
      started: '2099-01-01T00:00:00Z',
    });
    expect(catalog.getRun(first)).toMatchObject({ finished: null, outcome: null, warnings: 0 });
    const done = catalog.finishRun(first, {
      outcome: 'warning',
      counts: { filesNew: 3, filesChanged: 1 },
      bytes: { added: 1024, stored: 512 },
      warnings: 2,
      snapshotId: 'ab'.repeat(32),
    });
    expect(done).toMatchObject({
      jobId: 'j',
      destinationId: 'usb',
      kind: 'backup',
      outcome: 'warning',
      counts: { filesNew: 3, filesChanged: 1 },
      bytes: { added: 1024, stored: 512 },
      warnings: 2,
      error: null,
    });
    catalog.finishRun(second, { outcome: 'failed', error: 'the disk is not connected' });
    expect(catalog.listRuns('j').map((r) => r.id)).toEqual([second, first]);
    expect(catalog.listRuns(undefined, 1)).toHaveLength(1);
    expect(() => catalog.startRun({ jobId: 'nope', kind: 'backup' })).toThrow(/no job nope/);
    expect(() => catalog.finishRun(999, { outcome: 'ok' })).toThrow(/no run 999/);
    expect(() => catalog.startRun({ jobId: 'j', kind: 'restore' as unknown as 'backup' })).toThrow(
      /CHECK constraint/,
    );
  });

  it(`keeps the last ${MAX_LOG_LINES} log lines of a run`, () => {
    catalog.putJob(job('j'));
    const run = catalog.startRun({ jobId: 'j', kind: 'backup' });
    const line = (i: number): LogLine => ({
      level: i % 10 === 0 ? 'warning' : 'info',
      time: new Date(i * 1000).toISOString(),
      text: `line ${i}`,
    });
    for (let batch = 0; batch < 5; batch++) {
      catalog.appendLog(
        run,
        Array.from({ length: 700 }, (_, i) => line(batch * 700 + i)),
      );
    }
    let log = catalog.runLog(run);
    expect(log).toHaveLength(MAX_LOG_LINES);
    expect(log[0]!.text).toBe(`line ${3500 - MAX_LOG_LINES}`);
    expect(log.at(-1)).toEqual(line(3499));
    // One batch bigger than the bound keeps its own tail.
    catalog.appendLog(
      run,
      Array.from({ length: MAX_LOG_LINES + 10 }, (_, i) => line(10_000 + i)),
    );
    log = catalog.runLog(run);
    expect(log).toHaveLength(MAX_LOG_LINES);
    expect(log[0]!.text).toBe('line 10010');
    // Removing the job removes its runs and their logs.
    catalog.removeJob('j');
    expect(catalog.getRun(run)).toBeUndefined();
    expect(catalog.runLog(run)).toEqual([]);
  });
});
