import { hostname } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../../electron/engine/backends/local';
import {
  Session,
  isStale,
  listLocks,
  liveSessions,
  removeStaleLocks,
  withSession,
  type LockRecord,
} from '../../../../electron/engine/repository/locks';
import { Repository } from '../../../../electron/engine/repository/repository';

function record(over: Partial<LockRecord> = {}): LockRecord {
  const now = new Date().toISOString();
  return {
    version: 1,
    kind: 'backup',
    session: 'a'.repeat(32),
    host: 'elsewhere',
    username: 'ann',
    pid: 1,
    started: now,
    refreshed: now,
    seenGeneration: null,
    ...over,
  };
}

describe('isStale', () => {
  const minute = 60_000;
  it('goes stale after the timeout without a refresh, by the reader clock', () => {
    const r = record({ refreshed: new Date(Date.now() - 10 * minute).toISOString() });
    expect(isStale(r, Date.now(), 30 * minute)).toBe(false);
    expect(isStale(r, Date.now(), 5 * minute)).toBe(true);
  });

  it('is stale at once when it names this host and a process that is gone', () => {
    expect(isStale(record({ host: hostname(), pid: 2 ** 22 + 7 }))).toBe(true);
    expect(isStale(record({ host: hostname(), pid: process.pid }))).toBe(false);
    expect(isStale(record({ host: 'elsewhere', pid: 2 ** 22 + 7 }))).toBe(false);
  });
});

describe('Session', () => {
  let dir: string;
  let repo: Repository;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-locks-'));
    repo = await Repository.init(new LocalBackend(join(dir, 'repo')), 'pw', { kdfLogN: 10 });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps exactly one marker per session through refreshes, and removes it at the end', async () => {
    const s = await Session.start(repo, 'backup');
    const first = (await repo.backend.list('locks')).map((f) => f.name);
    expect(first).toHaveLength(1);
    await s.setSeenGeneration(42);
    const second = await listLocks(repo);
    expect(second.locks).toHaveLength(1);
    expect(second.locks[0]!.name).not.toBe(first[0]);
    expect(second.locks[0]!.lock).toMatchObject({
      kind: 'backup',
      session: s.id,
      seenGeneration: 42,
    });
    expect((await liveSessions(repo)).map((l) => l.session)).toEqual([s.id]);
    expect(s.lost()).toBe(false);
    await s.end();
    expect(await repo.backend.list('locks')).toEqual([]);
  });

  it('removes the marker when the body throws', async () => {
    await expect(
      withSession(repo, 'check', async () => {
        expect(await repo.backend.list('locks')).toHaveLength(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await repo.backend.list('locks')).toEqual([]);
  });

  it('unlock removes stale markers only', async () => {
    const live = await Session.start(repo, 'backup');
    const old = new Date(Date.now() - 2 * 3600_000).toISOString();
    await repo.saveFile('locks', Buffer.from(JSON.stringify(record({ refreshed: old }))));
    const { removed, live: kept } = await removeStaleLocks(repo);
    expect(removed).toHaveLength(1);
    expect(kept.map((l) => l.session)).toEqual([live.id]);
    expect(await repo.backend.list('locks')).toHaveLength(1);
    await live.end();
  });
});
