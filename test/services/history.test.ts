import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/jobs';
import { Catalog } from '../../electron/services/catalog/catalog';
import { historyOf, runStateOf } from '../../electron/services/history';
import { jobStatus } from '../../electron/services/status';

describe('history derived from catalog runs', () => {
  let catalog: Catalog;
  let job: Job;
  const clock = Date.parse('2026-11-20T10:00:00Z');
  const at = (minutes: number) => new Date(clock + minutes * 60_000).toISOString();

  beforeEach(() => {
    catalog = Catalog.open(':memory:');
    job = catalog.putJob({
      id: 'docs',
      name: 'Documents',
      sources: ['/home/ann/docs'],
      destinations: [
        { id: 'a', type: 'local', path: '/mnt/a' },
        { id: 'b', type: 'local', path: '/mnt/b' },
      ],
      schedule: { kind: 'interval', minutes: 60 },
    });
  });

  afterEach(() => catalog.close());

  function run(destinationId: string | null, outcome: 'ok' | 'failed', minute: number): void {
    const id = catalog.startRun({
      jobId: 'docs',
      destinationId,
      kind: 'backup',
      started: at(minute),
    });
    catalog.finishRun(id, {
      outcome,
      finished: at(minute + 1),
      error: outcome === 'failed' ? 'boom' : null,
    });
  }

  it('groups one job run per destination, and a before-hook failure as a run of its own', () => {
    run('a', 'ok', 0);
    run('b', 'ok', 2);
    run(null, 'failed', 60);
    run(null, 'failed', 120);
    const state = runStateOf(catalog, job, false);
    expect(state.consecutiveFailures).toBe(2);
    expect(state.lastOutcome).toBe('failure');
    expect(state.lastStarted).toBe(Date.parse(at(120)));
    expect(state.lastGoodBackup).toBe(Date.parse(at(3)));
  });

  it('a failing before-hook makes every destination, and so the job, failing', () => {
    run('a', 'ok', 0);
    run('b', 'ok', 2);
    run(null, 'failed', 60);
    const history = historyOf(catalog, job, false);
    expect(history.a!.lastRun).toMatchObject({ outcome: 'failure', message: 'boom' });
    expect(history.b!.lastGoodSnapshotTime).toBe(Date.parse(at(3)));
    const status = jobStatus({
      now: clock + 62 * 60_000,
      timeZone: 'UTC',
      job,
      perDestination: history,
      running: false,
    });
    expect(status.state).toBe('failing');
  });

  it('two destinations, one failing: the job run is a failure only for its worst', () => {
    run('a', 'ok', 0);
    run('b', 'failed', 2);
    const state = runStateOf(catalog, job, false);
    expect(state.lastOutcome).toBe('failure');
    expect(state.consecutiveFailures).toBe(0); // not every destination failed
  });
});
