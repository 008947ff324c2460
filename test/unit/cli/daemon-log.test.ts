import { describe, expect, it } from 'vitest';
import type { RunProgress } from '../../../shared/events';
import { DaemonLog } from '../../../electron/cli/daemon-log';

function progress(jobId: string, filesDone: number): RunProgress {
  return {
    jobId,
    destinationId: `${jobId}-1`,
    phase: 'backing-up',
    filesDone,
    filesTotal: 10,
    bytesDone: 1024 * filesDone,
    bytesTotal: 10240,
    throughput: 512.7,
    paused: false,
  };
}

describe('DaemonLog', () => {
  it('writes one line per event: time, level, job, text', () => {
    const lines: string[] = [];
    const log = new DaemonLog({ write: (t) => lines.push(t) }, () => Date.UTC(2026, 5, 3, 11));
    log.event({ type: 'run-started', jobId: 'docs', trigger: 'schedule' });
    log.event({ type: 'log', jobId: 'docs', level: 'error', text: 'two\nlines' });
    expect(lines).toEqual([
      '2026-06-03T11:00:00.000Z info job=docs backup started (schedule)\n',
      '2026-06-03T11:00:00.000Z error job=docs two lines\n',
    ]);
  });

  it('keeps one progress line per job per 30 s', () => {
    const lines: string[] = [];
    let now = 0;
    const log = new DaemonLog({ write: (t) => lines.push(t) }, () => now);
    log.event({ type: 'progress', progress: progress('a', 1) });
    log.event({ type: 'progress', progress: progress('b', 1) });
    now = 29_000;
    log.event({ type: 'progress', progress: progress('a', 2) });
    now = 30_000;
    log.event({ type: 'progress', progress: progress('a', 3) });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('job=a a-1: backing-up 1/10 files, 1.00 KiB/10.0 KiB, 513 B/s');
    expect(lines[2]).toContain('3/10 files');
  });

  it('says how a run ended, at the level its outcome deserves', () => {
    const lines: string[] = [];
    const log = new DaemonLog({ write: (t) => lines.push(t) }, () => 0);
    const base = { jobId: 'docs', trigger: 'schedule' as const, started: '2026-01-01T00:00:00Z' };
    log.event({
      type: 'run-finished',
      result: {
        ...base,
        outcome: 'failed',
        finished: '2026-01-01T00:00:05Z',
        error: 'hook "x" failed; nothing was backed up',
        destinations: [],
      },
    });
    expect(lines[0]).toContain(
      'error job=docs backup finished: failed in 0:05: hook "x" failed; nothing was backed up',
    );
  });
});
