import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobInput } from '../../shared/jobs';
import { LocalBackend } from '../../electron/engine/backends/local';
import { Repository } from '../../electron/engine/repository/repository';
import { Catalog } from '../../electron/services/catalog/catalog';
import { StrataCore } from '../../electron/services/core';
import { EventBus } from '../../electron/services/events';
import { MemoryNotifier } from '../../electron/services/notify/memory-notifier';

const PW = 'core-pw';
const HOUR = 3600_000;

describe('StrataCore', () => {
  let dir: string;
  let catalog: Catalog;
  let notifier: MemoryNotifier;
  let now: number;
  let core: StrataCore;
  let source: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-core-'));
    catalog = Catalog.open(join(dir, 'catalog.db'));
    notifier = new MemoryNotifier();
    now = Date.now();
    core = new StrataCore({
      catalog,
      notifier,
      bus: new EventBus(),
      timeZone: 'UTC',
      now: () => now,
      workers: 0,
      passwords: { repositoryPassword: async () => PW },
    });
    source = join(dir, 'source');
    await mkdir(source);
    await writeFile(join(source, 'a'), randomBytes(20_000));
  });

  afterEach(async () => {
    await core.stop();
    catalog.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function addJob(over: Partial<JobInput> = {}) {
    const path = join(dir, 'dest');
    await Repository.init(new LocalBackend(path), PW, { kdfLogN: 10 }).catch(() => undefined);
    return catalog.putJob({
      id: 'docs',
      name: 'Documents',
      sources: [source],
      destinations: [{ id: 'usb', type: 'local', path, label: 'USB disk' }],
      schedule: { kind: 'interval', minutes: 60 },
      ...over,
    });
  }

  const settle = () => core.idle();

  it('runs a job that never ran on the first tick, then waits for its next time', async () => {
    await addJob();
    const [plan] = await core.tick();
    expect(plan).toMatchObject({ jobId: 'docs', due: true });
    await settle();
    expect(catalog.snapshots('usb')).toHaveLength(1);
    const [status] = core.statuses();
    expect(status).toMatchObject({ state: 'ok', overdue: false });
    now += 10 * 60_000;
    const [later] = await core.tick();
    expect(later!.due).toBe(false);
    await settle(); // maintenance is due once there is a good backup: prune, then verify
    expect(catalog.listRuns('docs').map((r) => r.kind)).toContain('prune');
    await core.tick();
    await settle();
    expect(catalog.listRuns('docs').map((r) => r.kind)).toContain('verify');
    now += 60 * 60_000;
    const next = (await core.plan())[0]!;
    expect(next.due, JSON.stringify(next)).toBe(true);
  });

  it('does not run manual jobs on its own, and runs them on request', async () => {
    await addJob({ schedule: { kind: 'manual' } });
    const [plan] = await core.tick();
    expect(plan!.due).toBe(false);
    expect(core.runner.runningJobs()).toEqual([]);
    const result = await core.run(catalog.getJob('docs')!, 'manual');
    expect(result.outcome).toBe('ok');
  });

  it('notifies a failure once, says when the job is overdue, and a drive that is needed', async () => {
    const job = await addJob({ rpoHours: 1 });
    await core.run(job, 'manual'); // a good backup
    await rm(job.destinations[0]!.path, { recursive: true }); // the drive is unplugged
    const failed = await core.run(job, 'manual');
    expect(failed.outcome).toBe('failed');
    expect(notifier.sent.map((n) => n.kind)).toEqual(['failure']);
    expect(notifier.sent[0]!.body).toMatch(/not reachable/);

    now += 2 * HOUR; // past the RPO, the drive still away
    const [plan] = await core.tick();
    expect(plan!.due).toBe(false);
    expect(plan!.reason.message).toMatch(/USB disk/);
    const kinds = notifier.sent.map((n) => n.kind);
    expect(kinds).toContain('overdue');
    expect(kinds).toContain('drive-needed');
    const [status] = core.statuses();
    expect(status!.overdue).toBe(true);

    notifier.clear();
    now += 60_000;
    await core.tick(); // nothing new to say a minute later
    expect(notifier.sent).toEqual([]);
  });

  it('RPO: a job whose last good backup is older than its target is overdue and notifies once', async () => {
    const job = await addJob({ rpoHours: 26, schedule: { kind: 'manual' } });
    expect((await core.run(job, 'manual')).outcome).toBe('ok');
    now += 25 * HOUR;
    await core.tick();
    expect(core.statuses()[0]!.overdue).toBe(false);
    expect(notifier.sent).toEqual([]);
    now += 2 * HOUR; // 27 hours: past the 26-hour target
    for (let i = 0; i < 5; i++) {
      await core.tick();
      now += 30 * 60_000;
    }
    await core.idle(); // maintenance the ticks started (a test restore) ends
    const [status] = core.statuses();
    expect(status, JSON.stringify(status)).toMatchObject({ state: 'overdue', overdue: true });
    expect(status!.summary).toMatch(/overdue/i);
    const overdue = notifier.sent.filter((n) => n.kind === 'overdue');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.body).toMatch(/26 hours|1 day/);
  });
});
