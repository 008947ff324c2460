/**
 * services/api.ts over real services on a temporary HOME: the channels the renderer uses, end
 * to end (a job with a new repository, runs, browsing, every restore conflict policy), and the
 * edges of the contract: codes across the bridge, schema errors naming the field, links.
 */
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBridge } from '../../shared/bridge';
import type {
  AppEvent,
  AppState,
  Envelope,
  RepositoryContents,
  RestoreSummary,
} from '../../shared/contract';
import { LocalBackend } from '../../electron/engine/backends/local';
import { Repository } from '../../electron/engine/repository/repository';
import { createTestHost, type TestHost } from '../helpers/ui-host';
import { until } from '../helpers/until';

let host: TestHost;
let src: string;
let dest: string;
const PW = 'api-test-pw';

async function call<T = unknown>(channel: string, args: unknown): Promise<T> {
  const r = await host.api.invoke(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

async function runJob(): Promise<void> {
  const before = host.events.length;
  await call('jobs.runNow', { jobId: 'docs' });
  const done = await until(
    () =>
      host.events
        .slice(before)
        .find((e): e is Extract<AppEvent, { type: 'run-finished' }> => e.type === 'run-finished'),
    'the run',
  );
  expect(done.result.outcome).toBe('ok');
}

async function restoreWith(args: Record<string, unknown>): Promise<RestoreSummary> {
  const { restoreId } = await call<{ restoreId: string }>('restore.start', args);
  const ev = await until(
    () =>
      host.events.find(
        (e): e is Extract<AppEvent, { type: 'restore-finished' }> =>
          e.type === 'restore-finished' && e.summary.restoreId === restoreId,
      ),
    'the restore',
  );
  return ev.summary;
}

let snaps: { id: string; time: string }[] = [];
let recoveryKey = '';

beforeAll(async () => {
  host = await createTestHost();
  src = join(host.home, 'Documents');
  dest = join(host.home, 'backup-drive');
  await mkdir(join(src, 'sub'), { recursive: true });
  await writeFile(join(src, 'report.txt'), 'version one');
  await writeFile(join(src, 'sub', 'a.txt'), 'aaa');
  const created = await call<{
    job: { id: string };
    destinations: { created: boolean; recoveryKey?: string }[];
  }>('jobs.create', {
    job: {
      id: 'docs',
      name: 'Documents',
      sources: [src],
      destinations: [{ id: 'usb', type: 'local', path: dest }],
      schedule: { kind: 'manual' },
    },
    password: PW,
    remember: true,
    createRepository: true,
  });
  expect(created.destinations[0]!.created).toBe(true);
  recoveryKey = created.destinations[0]!.recoveryKey ?? '';
  await runJob();
  await writeFile(join(src, 'report.txt'), 'version two, longer');
  await runJob();
  snaps = (
    await call<{ snapshots: { id: string; time: string }[] }>('snapshots.list', {
      jobId: 'docs',
    })
  ).snapshots;
});

afterAll(async () => {
  await host?.close();
});

describe('services/api', () => {
  it('lists snapshots, a folder, the versions of a file, search and a diff', async () => {
    expect(snaps).toHaveLength(2);
    const folder = await call<{ entries: { name: string }[] }>('browse.folder', {
      destinationId: 'usb',
      snapshotId: snaps[1]!.id,
      path: src,
    });
    expect(folder.entries.map((e) => e.name).sort()).toEqual(['report.txt', 'sub']);
    const versions = await call<{ versions: unknown[] }>('browse.versions', {
      destinationId: 'usb',
      path: join(src, 'report.txt'),
    });
    expect(versions.versions).toHaveLength(2);
    const found = await call<{ hits: { path: string }[] }>('browse.search', { pattern: 'a.txt' });
    expect(found.hits.map((h) => h.path)).toEqual([join(src, 'sub', 'a.txt')]);
    const diff = await call<{ changes: { kind: string; path: string }[] }>('browse.diff', {
      jobId: 'docs',
      destinationId: 'usb',
      from: snaps[0]!.id,
      to: snaps[1]!.id,
    });
    expect(diff.changes).toContainEqual(
      expect.objectContaining({ kind: 'changed', path: join(src, 'report.txt') }),
    );
  });

  it('a new repository comes with a recovery key that opens it and is stored nowhere', async () => {
    expect(recoveryKey).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){7}[0-9A-HJKMNP-TV-Z]{5}$/);
    const repo = await Repository.open(new LocalBackend(dest), recoveryKey);
    expect(repo.keyId).toBeTruthy();
    const state = join(host.home, '.local', 'state', 'strata');
    for (const name of await readdir(state)) {
      const bytes = await readFile(join(state, name));
      expect(bytes.includes(recoveryKey), name).toBe(false);
      expect(bytes.includes(recoveryKey.replace(/-/g, '')), name).toBe(false);
    }
    const again = await call<{ destinations: { recoveryKey?: string }[] }>('jobs.update', {
      job: (await host.api.state()).jobs[0]!.job,
    });
    expect(again.destinations[0]!.recoveryKey).toBeUndefined();
  });

  it('state.get gives jobs with their status and settings', async () => {
    const state = await host.api.state();
    expect(state.jobs[0]!.job.id).toBe('docs');
    expect(state.jobs[0]!.status.state).toBe('ok');
    expect(state.jobs[0]!.passwordNeeded).toEqual([]);
    expect(state.settings.theme).toBe('system');
    expect(state.keychain.available).toBe(true);
  });

  it('state.get gives each destination size: newest backup, all versions, what it takes', async () => {
    const usage = (await host.api.state()).jobs[0]!.usage;
    const files = await readdir(dest, { recursive: true, withFileTypes: true });
    let onDisk = 0;
    for (const f of files.filter((x) => x.isFile()))
      onDisk += (await stat(join(f.parentPath, f.name))).size;
    expect(usage).toEqual([
      {
        destinationId: 'usb',
        snapshots: 2,
        newestBytes: 'version two, longer'.length + 'aaa'.length,
        allBytes: 'version one'.length + 'version two, longer'.length + 2 * 'aaa'.length,
        storedBytes: onDisk,
        measured: expect.any(String),
      },
    ]);
  });

  const report = () => join(src, 'report.txt');
  const restoreArgs = (conflict: string, target: unknown = { kind: 'original' }) => ({
    jobId: 'docs',
    destinationId: 'usb',
    snapshotId: snaps[0]!.id,
    paths: [report()],
    target,
    conflict,
  });

  it('keep-both: previews, then writes a dated sibling with the old bytes', async () => {
    const preview = await call<{ items: { action: string; renamedTo?: string }[] }>(
      'restore.preview',
      restoreArgs('keep-both'),
    );
    expect(preview.items).toHaveLength(1);
    expect(preview.items[0]!.action).toBe('keep-both');
    expect(preview.items[0]!.renamedTo).toMatch(
      /report \(restored \d{4}-\d\d-\d\d \d\d-\d\d\)\.txt$/,
    );
    const summary = await restoreWith(restoreArgs('keep-both'));
    expect(summary.outcome).toBe('ok');
    expect(summary.keptBoth).toHaveLength(1);
    expect(await readFile(report(), 'utf8')).toBe('version two, longer');
    expect(await readFile(summary.keptBoth[0]!.restoredAs, 'utf8')).toBe('version one');
    expect(summary.keptBoth[0]!.restoredAs).toBe(preview.items[0]!.renamedTo);
    // No staging folder left behind.
    expect((await readdir(src)).filter((n) => n.startsWith('.strata-restore'))).toEqual([]);
    const notice = await until(
      () => host.notifier.sent.find((n) => n.kind === 'restore'),
      'the restore notification',
    );
    expect(notice).toMatchObject({ jobId: 'docs', title: 'Documents: restore finished' });
    expect(notice.body).toBe(
      '1 file restored to their original place. 1 copy was put next to files already there.',
    );
  });

  it('overwrite restores the old bytes in place; skip-if-newer leaves a newer file', async () => {
    const preview = await call<{ actions: Record<string, number> }>(
      'restore.preview',
      restoreArgs('overwrite'),
    );
    expect(preview.actions.overwrite).toBe(1);
    expect((await restoreWith(restoreArgs('overwrite'))).files).toBe(1);
    expect(await readFile(report(), 'utf8')).toBe('version one');

    await writeFile(report(), 'version three, written now');
    const skip = await call<{ actions: Record<string, number> }>(
      'restore.preview',
      restoreArgs('skip-if-newer'),
    );
    expect(skip.actions.skip).toBe(1);
    const summary = await restoreWith(restoreArgs('skip-if-newer'));
    expect(summary.skipped).toBe(1);
    expect(await readFile(report(), 'utf8')).toBe('version three, written now');
  });

  it('restores into a chosen folder, paths keeping their place below it', async () => {
    const target = join(host.home, 'restored');
    const summary = await restoreWith(restoreArgs('overwrite', { kind: 'folder', path: target }));
    expect(summary.outcome).toBe('ok');
    expect(await readFile(join(target, report()), 'utf8')).toBe('version one');
  });

  it('answers WRONG_PASSWORD when a job is added with the wrong password', async () => {
    const r = await host.api.invoke('jobs.create', {
      job: {
        id: 'again',
        name: 'Again',
        sources: [src],
        destinations: [{ id: 'usb2', type: 'local', path: dest }],
        schedule: { kind: 'manual' },
      },
      password: 'not the password',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
  });

  it('rejects invalid arguments with INVALID_ARGUMENT naming the field', async () => {
    const r = await host.api.invoke('jobs.create', {
      job: {
        id: 'bad',
        name: 'Bad',
        sources: [],
        destinations: [{ id: 'd', type: 'local', path: dest }],
        schedule: { kind: 'manual' },
      },
      password: PW,
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', field: 'job.sources' },
    });
    const unknown = await host.api.invoke('jobs.runNow', { jobId: 'docs', extra: 1 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
    const noChannel = await host.api.invoke('fs.writeFile', {});
    expect(noChannel).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('opens only http(s) links and answers the folder picker from its queue', async () => {
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://x.org/']) {
      const r = await host.api.invoke('shell.openExternal', { url });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', field: 'url' } });
    }
    await call('shell.openExternal', { url: 'https://example.org/help' });
    expect(host.opened).toEqual(['https://example.org/help']);
    host.pickFolderQueue.push('/chosen');
    expect(await call('dialog.pickFolder', {})).toEqual({ path: '/chosen' });
    expect(await call('dialog.pickFolder', {})).toEqual({ path: null });
  });

  it('the bridge turns envelopes into results and ApiErrors with codes', async () => {
    const strata = buildBridge(
      (channel, args) => host.api.invoke(channel, args) as Promise<Envelope<unknown>>,
      (listener) => host.api.onEvent(listener),
    );
    expect((await strata.settings.set({ theme: 'dark' })).theme).toBe('dark');
    await expect(strata.jobs.runNow({ jobId: 'nope' })).rejects.toMatchObject({
      name: 'ApiError',
      code: 'NOT_FOUND',
    });
  });

  it('wizard helpers: sources, destination check, retention preview', async () => {
    await mkdir(join(src, 'app', 'node_modules', 'x'), { recursive: true });
    await writeFile(join(src, 'app', 'node_modules', 'x', 'i.js'), 'x'.repeat(1000));
    const sources = await call<{
      files: number;
      suggestions: { pattern: string; bytes: number }[];
    }>('sources.preview', { paths: [src] });
    expect(sources.suggestions).toContainEqual(
      expect.objectContaining({ pattern: 'node_modules/', bytes: 1000 }),
    );
    const checked = await call<{ repository: boolean; writable: boolean }>('destinations.check', {
      path: dest,
    });
    expect(checked).toMatchObject({ repository: true, writable: true });
    const retention = await call<{ source: string; kept: number; removed: number }>(
      'retention.preview',
      { retention: { kind: 'preset', preset: 'keep-some' } },
    );
    expect(retention.source).toBe('sample');
    expect(retention.kept).toBeGreaterThan(0);
    expect(retention.removed).toBeGreaterThan(0);
  });

  it('repository.inspect says what an existing backup holds, and refuses a wrong password', async () => {
    const contents = await call<RepositoryContents>('repository.inspect', {
      path: dest,
      password: PW,
    });
    const newest = [...snaps].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0]!;
    expect(contents).toEqual({
      path: dest,
      snapshots: 2,
      hosts: [hostname()],
      paths: [src],
      newest: newest.time,
      oldest: snaps.find((s) => s.id !== newest.id)!.time,
      newestPaths: { here: [src], missing: [] },
      unreadable: 0,
    });
    const wrong = await host.api.invoke('repository.inspect', { path: dest, password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'WRONG_PASSWORD' } });
    const none = await host.api.invoke('repository.inspect', { path: src, password: PW });
    expect(none).toMatchObject({ ok: false, error: { code: 'REPO_NOT_FOUND' } });
    const empty = await host.api.invoke('repository.inspect', { path: dest, password: '' });
    expect(empty).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', field: 'password' },
    });
  });

  it('a new computer connects a job to the existing repository: no init, its snapshots browsable and restorable', async () => {
    const other = await createTestHost();
    try {
      const invoke = async <T>(channel: string, args: unknown): Promise<T> => {
        const r = await other.api.invoke(channel, args);
        if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
        return r.value as T;
      };
      const configBefore = await readFile(join(dest, 'config'));
      const keysBefore = (await readdir(join(dest, 'keys'))).sort();
      const saved = await invoke<{ destinations: { created: boolean; recoveryKey?: string }[] }>(
        'jobs.create',
        {
          job: {
            id: 'restored-docs',
            name: 'Documents',
            sources: [src],
            destinations: [{ id: 'restored-docs-1', type: 'local', path: dest }],
            schedule: { kind: 'manual' },
          },
          password: PW,
          createRepository: false,
        },
      );
      expect(saved.destinations[0]).toMatchObject({ created: false });
      expect(saved.destinations[0]!.recoveryKey).toBeUndefined();
      // Not initialised again: the same config and keys.
      expect(await readFile(join(dest, 'config'))).toEqual(configBefore);
      expect((await readdir(join(dest, 'keys'))).sort()).toEqual(keysBefore);
      const refreshed = await invoke<{ added: number }>('snapshots.refresh', {
        jobId: 'restored-docs',
        destinationId: 'restored-docs-1',
      });
      expect(refreshed.added).toBe(2);
      // The dashboard is told, and its status counts the snapshots the other computer made.
      expect(other.events).toContainEqual({ type: 'status-changed', jobId: 'restored-docs' });
      const state = await invoke<AppState>('state.get', {});
      const newestTime = Math.max(...snaps.map((x) => Date.parse(x.time)));
      expect(state.jobs[0]!.status).toMatchObject({ state: 'ok', lastGoodBackup: newestTime });
      const listed = await invoke<{ snapshots: { id: string }[] }>('snapshots.list', {
        jobId: 'restored-docs',
      });
      expect(listed.snapshots.map((x) => x.id).sort()).toEqual(snaps.map((x) => x.id).sort());
      const entries = await invoke<{ entries: { name: string }[] }>('browse.folder', {
        destinationId: 'restored-docs-1',
        snapshotId: snaps[0]!.id,
        path: src,
      });
      expect(entries.entries.map((e) => e.name)).toContain('report.txt');
    } finally {
      await other.close();
    }
  });
});
