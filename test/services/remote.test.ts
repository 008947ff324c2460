/**
 * The services in a real child process (the built entry, forked) behind RemoteApi: a job
 * created and backed up with its events arriving in the parent, the host calls only the parent
 * can answer (folder picker, links, notifications), malformed messages from the parent ignored
 * by the child, and close() ending the child cleanly. Needs `npm run build` first.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/contract';
import { NodeServicePort, servicesEnv } from '../../electron/services/remote/port';
import { createRemoteTestHost, type RemoteTestHost } from '../helpers/remote-host';
import { until } from '../helpers/until';

let host: RemoteTestHost;
let src: string;
let dest: string;

async function call<T = unknown>(channel: string, args: unknown): Promise<T> {
  const r = await host.api.invoke(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

type Finished = Extract<AppEvent, { type: 'run-finished' }>;

beforeAll(async () => {
  host = await createRemoteTestHost({ echoChildLog: false });
  src = join(host.home, 'Documents');
  dest = join(host.home, 'backup-drive');
  await mkdir(join(src, 'sub'), { recursive: true });
  await writeFile(join(src, 'report.txt'), 'version one');
  await writeFile(join(src, 'sub', 'a.txt'), 'aaa');
});

afterAll(async () => {
  await host?.close();
});

describe('services in a child process (RemoteApi)', () => {
  it('creates a job and backs it up in the child; events and notifications reach the parent', async () => {
    const created = await call<{ destinations: { created: boolean }[] }>('jobs.create', {
      job: {
        id: 'docs',
        name: 'Documents',
        sources: [src],
        destinations: [{ id: 'usb', type: 'local', path: dest }],
        schedule: { kind: 'manual' },
        notify: { onSuccess: true },
      },
      password: 'remote-pw',
      remember: true,
      createRepository: true,
    });
    expect(created.destinations[0]!.created).toBe(true);
    expect(await call('jobs.runNow', { jobId: 'docs' })).toEqual({ started: true });
    const done = await until(
      () => host.events.find((e): e is Finished => e.type === 'run-finished'),
      'the run',
    );
    expect(done.result.outcome).toBe('ok');
    const types = new Set(host.events.map((e) => e.type));
    expect(types).toContain('run-started');
    expect(types).toContain('progress');

    const { snapshots } = await call<{ snapshots: { id: string }[] }>('snapshots.list', {
      jobId: 'docs',
    });
    expect(snapshots).toHaveLength(1);
    const folder = await call<{ entries: { name: string }[] }>('browse.folder', {
      destinationId: 'usb',
      snapshotId: snapshots[0]!.id,
      path: src,
    });
    expect(folder.entries.map((e) => e.name).sort()).toEqual(['report.txt', 'sub']);

    // The child's Notifier is a host call: the success notice lands in the parent's notifier.
    const notice = await until(
      () => host.notifier.sent.find((n) => n.kind === 'success'),
      'the success notification',
    );
    expect(notice.jobId).toBe('docs');

    const state = await host.api.state();
    expect(state.jobs[0]!.status.state).toBe('ok');
    expect(host.ports).toHaveLength(1);
  });

  it('starts the child with malloc limited to two arenas (set before it starts, as it must be)', async () => {
    const pid = host.ports.at(-1)!.child.pid!;
    const environ = (await readFile(`/proc/${pid}/environ`, 'utf8')).split('\0');
    expect(environ).toContain('MALLOC_ARENA_MAX=2');
    expect(servicesEnv({ MALLOC_ARENA_MAX: '1' }).MALLOC_ARENA_MAX).toBe('1');
  });

  it('answers the folder picker and opens links in the parent', async () => {
    host.pickFolderQueue.push('/media/usb-drive');
    expect(await call('dialog.pickFolder', { title: 'Where to?' })).toEqual({
      path: '/media/usb-drive',
    });
    expect(await call('dialog.pickFolder', {})).toEqual({ path: null });
    expect(await call('shell.openExternal', { url: 'https://example.org/help' })).toEqual({
      opened: true,
    });
    expect(host.opened).toEqual(['https://example.org/help']);
  });

  it('keeps channel errors and their codes across the process boundary', async () => {
    const bad = await host.api.invoke('jobs.runNow', { jobId: 42 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('INVALID_ARGUMENT');
      expect(bad.error.field).toBe('jobId');
    }
    const none = await host.api.invoke('no.such.channel', {});
    expect(!none.ok && none.error.code).toBe('INVALID_ARGUMENT');
    await expect(host.api.call('jobs.runNow', { jobId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('the child ignores malformed messages from the parent and keeps serving', async () => {
    const port = host.ports[0]!;
    const pid = port.child.pid;
    for (const junk of [
      null,
      'call',
      42,
      { type: 'call' },
      { type: 'call', seq: -1, channel: 'state.get', args: {} },
      { type: 'bogus', seq: 1 },
      { type: 'answer', seq: 999, envelope: { ok: 'yes' } },
      { type: 'init', catalogPath: '', timeZone: 'UTC', secrets: 'memory' },
    ])
      port.post(junk);
    const state = await host.api.state();
    expect(state.jobs.map((j) => j.job.id)).toEqual(['docs']);
    const ignored = host.childLog.join('').match(/ignored a malformed message/g) ?? [];
    expect(ignored).toHaveLength(8);
    expect(port.child.pid).toBe(pid);
    expect(port.child.exitCode).toBeNull();
    expect(host.ports).toHaveLength(1);
  });

  it('close() stops the child cleanly; later calls answer INTERRUPTED', async () => {
    const port = host.ports[0]!;
    const exited = new Promise<number | null>((done) => port.onExit((i) => done(i.code)));
    await host.api.close();
    expect(await exited).toBe(0);
    const after = await host.api.invoke('state.get', {});
    expect(!after.ok && after.error.code).toBe('INTERRUPTED');
    expect(host.ports).toHaveLength(1);
  });

  it('a child whose parent goes away stops by itself', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strata-orphan-'));
    const port = new NodeServicePort(undefined, { onStderr: () => undefined });
    const ready = new Promise<unknown>((done) => port.onMessage(done));
    const exited = new Promise<number | null>((done) => port.onExit((i) => done(i.code)));
    port.post({
      type: 'init',
      catalogPath: join(dir, 'catalog.db'),
      timeZone: 'UTC',
      workers: 0,
      secrets: 'memory',
    });
    expect(await ready).toEqual({ type: 'ready' });
    port.child.disconnect();
    expect(await exited).toBe(0);
    await rm(dir, { recursive: true, force: true });
  });
});
