/**
 * "Pause all" survives a restart: the API is built twice on the same HOME (settings folder and
 * catalog), as the app is after a quit. A timed pause that ended while the app was closed is
 * over when it starts again; a damaged pause file means not paused (the schedule goes on).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readPauseAll } from '../../electron/services/api/context';
import { createTestHost } from '../helpers/ui-host';

const T = Date.parse('2026-06-03T11:00:00Z');
const HOUR = 3_600_000;
let home: string;
const pauseFile = () => join(home, '.config', 'strata', 'pause-all.json');

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'strata-pause-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Builds the API on `home` at time `now`, runs `fn`, and closes it as quitting would. */
async function session<T>(
  now: number,
  fn: (call: <R>(channel: string, args?: unknown) => Promise<R>) => Promise<T>,
): Promise<T> {
  const host = await createTestHost({ home, now: () => now });
  try {
    return await fn(async (channel, args = {}) => {
      const r = await host.api.invoke(channel, args);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
      return r.value as never;
    });
  } finally {
    await host.close();
  }
}

const pauseState = (call: <R>(channel: string, args?: unknown) => Promise<R>) =>
  call<{ pauseAll: unknown; tray: string }>('state.get').then((s) => s.pauseAll);

describe('pause all across restarts', () => {
  it('"until resumed" is still paused after a restart, and a resume is kept too', async () => {
    await session(T, async (call) => {
      expect(await call('jobs.pauseAll')).toEqual({ paused: true });
    });
    await session(T + 30 * 24 * HOUR, async (call) => {
      expect(await pauseState(call)).toEqual({ paused: true });
      await call('jobs.resumeAll');
    });
    await session(T + 31 * 24 * HOUR, async (call) => {
      expect(await pauseState(call)).toEqual({ paused: false });
    });
  });

  it('a timed pause holds until its time, and is over once that passed', async () => {
    const until = new Date(T + HOUR).toISOString();
    await session(T, async (call) => {
      await call('jobs.pauseAll', { until });
    });
    expect(JSON.parse(await readFile(pauseFile(), 'utf8'))).toEqual({ paused: true, until });
    await session(T + HOUR / 2, async (call) => {
      expect(await pauseState(call)).toEqual({ paused: true, until });
    });
    await session(T + 2 * HOUR, async (call) => {
      expect(await pauseState(call)).toEqual({ paused: false });
    });
  });

  it('a timed pause that ends while the app runs is written as over', async () => {
    let now = T;
    const host = await createTestHost({ home, now: () => now });
    try {
      await host.api.call('jobs.pauseAll', { until: new Date(T + HOUR).toISOString() });
      now = T + 2 * HOUR;
      await host.api.tick();
      expect((await host.api.state()).pauseAll).toEqual({ paused: false });
    } finally {
      await host.close();
    }
    // The write is not awaited by tick(); close() came after it was queued.
    await expect
      .poll(async () => JSON.parse(await readFile(pauseFile(), 'utf8')))
      .toEqual({
        paused: false,
      });
  });
});

describe('readPauseAll', () => {
  it.each<[string, string | undefined, unknown]>([
    ['no file', undefined, { paused: false }],
    ['until resumed', '{"paused":true}', { paused: true }],
    [
      'timed, still on',
      '{"paused":true,"until":"2026-06-03T12:00:00.000Z"}',
      { paused: true, until: '2026-06-03T12:00:00.000Z' },
    ],
    ['timed, over', '{"paused":true,"until":"2026-06-03T10:59:59.000Z"}', { paused: false }],
    ['not paused', '{"paused":false}', { paused: false }],
    ['damaged', '{"paused":tr', { paused: false }],
    ['a bad time', '{"paused":true,"until":"soon"}', { paused: false }],
    ['not an object', 'null', { paused: false }],
  ])('%s', async (_what, text, expected) => {
    const file = join(home, 'pause-all.json');
    if (text !== undefined) await writeFile(file, text);
    expect(readPauseAll(file, T)).toEqual(expected);
  });
});
