import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StrataEvent } from '../../../shared/events';
import type { Job, JobInput } from '../../../shared/jobs';
import { LocalBackend } from '../../../electron/engine/backends/local';
import { check } from '../../../electron/engine/maintenance/check';
import { Repository } from '../../../electron/engine/repository/repository';
import { listSnapshots } from '../../../electron/engine/repository/snapshots';
import { Catalog } from '../../../electron/services/catalog/catalog';
import { EventBus } from '../../../electron/services/events';
import type { PasswordSource } from '../../../electron/services/runner/destination';
import { forgetAndPrune, testRestore } from '../../../electron/services/runner/maintenance';
import { Runner } from '../../../electron/services/runner/runner';

const PW = 'runner-pw';
const passwords: PasswordSource = { repositoryPassword: async () => PW };

describe('Runner', () => {
  let dir: string;
  let catalog: Catalog;
  let bus: EventBus;
  let events: StrataEvent[];
  let runner: Runner;
  let source: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-runner-'));
    catalog = Catalog.open(':memory:');
    bus = new EventBus();
    events = [];
    bus.on((e) => events.push(e));
    runner = new Runner({ catalog, passwords, bus, workers: 0 });
    source = join(dir, 'source');
    await mkdir(source);
    for (let i = 0; i < 5; i++) await writeFile(join(source, `f${i}`), randomBytes(50_000));
  });

  afterEach(async () => {
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function destination(name: string): Promise<{ id: string; type: 'local'; path: string }> {
    const path = join(dir, name);
    await Repository.init(new LocalBackend(path), PW, { kdfLogN: 10 });
    return { id: name, type: 'local', path };
  }

  /** A job, stored in the catalog (runs refer to it). */
  async function job(over: Partial<JobInput> = {}): Promise<Job> {
    return catalog.putJob({
      id: 'docs',
      name: 'Documents',
      sources: [source],
      destinations: over.destinations ?? [await destination('usb')],
      schedule: { kind: 'manual' },
      ...over,
    });
  }

  const snapshotsIn = async (path: string) =>
    (await listSnapshots(await Repository.open(new LocalBackend(path), PW))).snapshots;

  it('backs up to every destination, records each run and announces it', async () => {
    const j = await job({ destinations: [await destination('a'), await destination('b')] });
    const result = await runner.start(j, 'manual');
    expect(result.outcome).toBe('ok');
    expect(result.destinations.map((d) => [d.destinationId, d.outcome])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
    ]);
    for (const d of j.destinations) {
      const snaps = await snapshotsIn(d.path);
      expect(snaps.map((s) => s.id)).toEqual([
        result.destinations.find((r) => r.destinationId === d.id)!.snapshotId,
      ]);
      expect(catalog.snapshots(d.id)).toHaveLength(1); // synced into the catalog
    }
    const runs = catalog.listRuns('docs');
    expect(runs.map((r) => [r.destinationId, r.kind, r.outcome])).toEqual(
      expect.arrayContaining([
        ['a', 'backup', 'ok'],
        ['b', 'backup', 'ok'],
      ]),
    );
    expect(runs.find((r) => r.destinationId === 'a')!.counts).toMatchObject({ filesNew: 5 });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(types).toContain('run-finished');
    expect(events.some((e) => e.type === 'progress' && e.progress.phase === 'opening')).toBe(true);
  });

  it('a failing before-hook aborts the run, says which, and after-hooks still learn the outcome', async () => {
    const marker = join(dir, 'after.txt');
    const j = await job({
      hooks: {
        before: [{ command: 'echo dumping; echo "pg_dump: connection refused" >&2; exit 3' }],
        after: [{ command: `echo "$STRATA_OUTCOME" > '${marker}'` }],
      },
    });
    const result = await runner.start(j, 'manual');
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/exit code 3: pg_dump: connection refused; nothing was backed up/);
    expect(result.destinations).toEqual([]);
    expect(await snapshotsIn(j.destinations[0]!.path)).toEqual([]);
    expect((await readFile(marker, 'utf8')).trim()).toBe('failed');
    const [run] = catalog.listRuns('docs');
    expect(run).toMatchObject({ outcome: 'failed', destinationId: null });
    expect(catalog.runLog(run!.id)[0]!.text).toMatch(/pg_dump/);
  });

  it('after-hooks get the outcome and the snapshots; a failing one makes the run a warning', async () => {
    const env = join(dir, 'env.txt');
    const j = await job({
      hooks: {
        before: [],
        after: [
          { command: `echo "$STRATA_OUTCOME $STRATA_SNAPSHOTS" > '${env}'` },
          { command: 'exit 1' },
        ],
      },
    });
    const result = await runner.start(j, 'manual');
    expect(result.outcome).toBe('warning');
    const [outcome, snaps] = (await readFile(env, 'utf8')).trim().split(' ');
    expect(outcome).toBe('ok');
    expect(snaps).toBe(`usb:${result.destinations[0]!.snapshotId}`);
  });

  it('stops a hook that runs past its timeout, with everything it started', async () => {
    const j = await job({
      hooks: { before: [{ command: 'sleep 30 | cat', timeoutSeconds: 1 }], after: [] },
    });
    const t = Date.now();
    const result = await runner.start(j, 'manual');
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(result.error).toMatch(/did not finish within 1 s/);
  });

  it('says clearly when a destination is missing or the password is wrong, and runs the rest', async () => {
    const good = await destination('good');
    const gone = {
      id: 'gone',
      type: 'local' as const,
      path: join(dir, 'unplugged'),
      label: 'Backup drive',
    };
    const j = await job({ destinations: [gone, good] });
    const result = await runner.start(j, 'manual');
    expect(result.outcome).toBe('failed');
    expect(result.destinations[0]!.error).toMatch(
      /Backup drive .* is not reachable: connect the drive/,
    );
    expect(result.destinations[1]!.outcome).toBe('ok');

    const wrong = new Runner({
      catalog,
      bus,
      workers: 0,
      passwords: { repositoryPassword: async () => 'not it' },
    });
    const r2 = await wrong.start(await job({ id: 'other', destinations: [good] }), 'manual');
    expect(r2.destinations[0]!.error).toMatch(/password/i);
  });

  it('runs one job at a time, and cancels: outcome cancelled, the repository stays consistent', async () => {
    const big = join(dir, 'big');
    await mkdir(big);
    for (let i = 0; i < 40; i++) await writeFile(join(big, `f${i}`), randomBytes(1_000_000));
    const j = await job({ sources: [big] });
    runner.pause(j.id); // not running yet: no effect
    const run = runner.start(j, 'manual');
    expect(() => runner.start(j, 'manual')).toThrow(/already running/);
    expect(runner.pause(j.id)).toBe(true); // holds it before its first batch of files
    await new Promise((r) => setTimeout(r, 300));
    expect(runner.cancel(j.id)).toBe(true);
    const result = await run;
    expect(result.outcome).toBe('cancelled');
    expect(await snapshotsIn(j.destinations[0]!.path)).toEqual([]);
    const repo = await Repository.open(new LocalBackend(j.destinations[0]!.path), PW);
    expect((await check(repo)).problems).toEqual([]);
    expect(runner.isRunning(j.id)).toBe(false);
  });

  it('pauses between batches of files and carries on when resumed', async () => {
    const j = await job();
    const run = runner.start(j, 'manual');
    runner.pause(j.id);
    let done = false;
    void run.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(done).toBe(false);
    expect(runner.isPaused(j.id)).toBe(true);
    runner.resume(j.id);
    expect((await run).outcome).toBe('ok');
  });

  it('forgets by the job retention and prunes; a test restore proves the latest snapshot', async () => {
    const j = await job({ retention: { kind: 'custom', policy: { keepLast: 1 } } });
    for (let i = 0; i < 3; i++) {
      await writeFile(join(source, 'changing'), randomBytes(10_000));
      expect((await runner.start(j, 'manual')).outcome).toBe('ok');
    }
    const deps = { catalog, passwords, workers: 0, pruneDelayMs: 0 };
    const [pruned] = await forgetAndPrune(deps, j);
    expect(pruned).toMatchObject({ destinationId: 'usb', outcome: 'ok' });
    expect(pruned!.message).toMatch(/^2 snapshot\(s\) forgotten/);
    expect(await snapshotsIn(j.destinations[0]!.path)).toHaveLength(1);
    expect(catalog.snapshots('usb')).toHaveLength(1);
    const [verified] = await testRestore(deps, j);
    expect(verified).toMatchObject({ outcome: 'ok' });
    expect(verified!.message).toMatch(/test restore proved \d+ file/);
    expect(catalog.listRuns('docs').map((r) => r.kind)).toEqual(
      expect.arrayContaining(['prune', 'verify', 'backup']),
    );
  });
});
