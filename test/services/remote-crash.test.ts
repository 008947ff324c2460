/**
 * The services child SIGKILLed in the middle of a backup: the call waiting on it answers
 * SERVICES_RESTARTED, a new child comes up and the renderer is told to reload (state-changed),
 * the next calls work, and the repository the killed backup was writing still checks clean
 * (`strata check`) and takes the next backup. Needs `npm run build` first.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/contract';
import { strata } from '../helpers/cli';
import { createRemoteTestHost, type RemoteTestHost } from '../helpers/remote-host';
import { until } from '../helpers/until';

const PW = 'crash-remote-pw';
const MiB = 1024 * 1024;

let host: RemoteTestHost;
let src: string;
let dest: string;

function finishedAfter(from: number) {
  return () =>
    host.events
      .slice(from)
      .find((e): e is Extract<AppEvent, { type: 'run-finished' }> => e.type === 'run-finished');
}

beforeAll(async () => {
  host = await createRemoteTestHost({ restartDelaysMs: [100] });
  src = join(host.home, 'Big');
  dest = join(host.home, 'backup-drive');
  await mkdir(src, { recursive: true });
  // Incompressible and unique, and large enough that the kill lands mid-backup: 72 MiB took
  // ~0.2 s on 2 cores, and one CI run's kill came after the snapshot was committed.
  for (let i = 0; i < 24; i++) await writeFile(join(src, `file-${i}.bin`), randomBytes(8 * MiB));
  const r = await host.api.invoke('jobs.create', {
    job: {
      id: 'big',
      name: 'Big',
      sources: [src],
      destinations: [{ id: 'usb', type: 'local', path: dest }],
      schedule: { kind: 'manual' },
    },
    password: PW,
    remember: true,
    createRepository: true,
  });
  expect(r.ok).toBe(true);
});

afterAll(async () => {
  await host?.close();
});

describe('the services child killed during a backup', () => {
  it('answers the pending call, restarts, serves again, and the repository checks clean', async () => {
    const first = host.ports[0]!;
    await host.api.call('jobs.runNow', { jobId: 'big' });
    await until(
      () =>
        host.events.find(
          (e) =>
            e.type === 'progress' &&
            e.progress.phase === 'backing-up' &&
            e.progress.bytesDone > 8 * MiB,
        ),
      'the backup to be writing',
      60_000,
    );
    const pending = host.api.idle();
    expect(first.child.kill('SIGKILL')).toBe(true);
    await expect(pending).rejects.toMatchObject({ code: 'SERVICES_RESTARTED' });
    expect(finishedAfter(0)()).toBeUndefined();

    await until(
      () => host.events.find((e) => e.type === 'state-changed'),
      'state-changed after the restart',
      60_000,
    );
    expect(host.ports).toHaveLength(2);
    expect(host.ports[1]!.child.pid).not.toBe(first.child.pid);
    expect(host.api.restarts).toBe(1);

    // The next call works. The password lived in the old child's memory store: asked again.
    const state = await host.api.state();
    expect(state.jobs[0]!.job.id).toBe('big');
    expect(state.jobs[0]!.status.state).not.toBe('running');
    expect(state.jobs[0]!.passwordNeeded).toEqual(['usb']);
    await host.api.call('jobs.setPassword', {
      jobId: 'big',
      destinationId: 'usb',
      password: PW,
      remember: true,
    });

    const check = await strata(['check', '--repo', dest, '--json'], { password: PW });
    expect(check.code, check.stderr).toBe(0);

    const from = host.events.length;
    await host.api.call('jobs.runNow', { jobId: 'big' });
    const done = await until(finishedAfter(from), 'the backup after the restart', 60_000);
    expect(done.result.outcome).toBe('ok');
    const { snapshots } = await host.api.call('snapshots.list', { jobId: 'big' });
    expect(snapshots).toHaveLength(1);

    const again = await strata(['check', '--repo', dest, '--read-data', '--json'], {
      password: PW,
    });
    expect(again.code, again.stderr).toBe(0);
  });
});
