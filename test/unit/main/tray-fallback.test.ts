/**
 * No tray, so notifications carry the state (electron/main/tray-fallback.ts, no-tray.ts): which
 * moves of the overall state deserve a notice, and that a problem the services just notified is
 * not told twice.
 */
import { describe, expect, it } from 'vitest';
import { NoTrayNotices, RememberingNotifier } from '../../../electron/main/no-tray';
import {
  alreadyTold,
  overallOf,
  trayFallbackNotice,
  type OverallState,
} from '../../../electron/main/tray-fallback';
import { MemoryNotifier } from '../../../electron/services/notify/memory-notifier';
import type { AppState } from '../../../shared/contract';
import { HOUR, NOW, appState, view } from './app-state-fixture';

const S: Record<string, AppState> = {
  none: appState([]),
  idle: appState([view('Documents', 'ok')]),
  running: appState([view('Documents', 'running', { progress: { bytesDone: 1, bytesTotal: 4 } })]),
  error: appState([view('Documents', 'failing'), view('Photos', 'running')]),
  error2: appState([view('Documents', 'failing'), view('Photos', 'failing')]),
  overdue: appState([view('Documents', 'overdue')]),
  warning: appState([view('Documents', 'warning')]),
  pausedHour: appState([view('Documents', 'ok')], {
    paused: true,
    until: new Date(NOW + HOUR).toISOString(),
  }),
  pausedEver: appState([view('Documents', 'ok')], { paused: true }),
};
const o = (name: keyof typeof S) => overallOf(S[name]!, NOW, 'UTC');

describe('trayFallbackNotice', () => {
  it.each<[string | undefined, string, string | undefined]>([
    // [from (undefined: the app starts), to, the title sent or undefined]
    [undefined, 'idle', undefined],
    [undefined, 'none', undefined],
    [undefined, 'running', undefined],
    ['idle', 'running', undefined],
    ['running', 'idle', undefined],
    ['idle', 'idle', undefined],
    [undefined, 'error', 'Strata: a backup is failing'],
    ['running', 'error', 'Strata: a backup is failing'],
    ['error', 'error', undefined],
    ['error', 'error2', 'Strata: a backup is failing'],
    ['warning', 'error', 'Strata: a backup is failing'],
    ['error', 'overdue', 'Strata: a backup is overdue'],
    ['idle', 'overdue', 'Strata: a backup is overdue'],
    ['idle', 'warning', 'Strata: backed up with warnings'],
    ['idle', 'pausedHour', 'Strata: backups are paused'],
    [undefined, 'pausedEver', 'Strata: backups are paused'],
    ['pausedHour', 'pausedEver', 'Strata: backups are paused'],
    ['pausedEver', 'pausedEver', undefined],
    ['error', 'idle', 'Strata: backups are healthy again'],
    ['overdue', 'running', 'Strata: backups are healthy again'],
    ['pausedEver', 'idle', 'Strata: backups are healthy again'],
    ['warning', 'idle', 'Strata: backups are healthy again'],
  ])('%s -> %s: %s', (from, to, title) => {
    const n = trayFallbackNotice(from === undefined ? undefined : o(from), o(to));
    expect(n?.title).toBe(title);
    if (n) expect(n.kind).toBe('state');
  });

  it('says what and who, with the urgency of the state', () => {
    expect(trayFallbackNotice(o('idle'), o('error'))).toEqual({
      kind: 'state',
      jobId: 'documents',
      urgency: 'critical',
      title: 'Strata: a backup is failing',
      body: 'Documents: backup failing. Open Strata to see why.',
    });
    expect(trayFallbackNotice(o('idle'), o('error2'))).toMatchObject({
      jobId: '*',
      body: 'Documents and Photos: backup failing. Open Strata to see why.',
    });
    expect(trayFallbackNotice(o('idle'), o('pausedHour'))).toMatchObject({
      urgency: 'normal',
      body: 'Backups paused until 12:00. Scheduled backups wait until then.',
    });
    expect(trayFallbackNotice(o('idle'), o('pausedEver'))?.body).toBe(
      'Backups paused until resumed. Scheduled backups wait until you resume them.',
    );
    expect(trayFallbackNotice(o('error'), o('running'))).toMatchObject({
      urgency: 'low',
      body: 'Backing up Documents — 25%.',
    });
  });
});

describe('alreadyTold', () => {
  const error: OverallState = o('error');
  it.each<
    [string, { kind: 'failure' | 'overdue' | 'warning'; jobId: string; at: number }[], boolean]
  >([
    ['nothing sent', [], false],
    ['the failure just now', [{ kind: 'failure', jobId: 'documents', at: NOW - 1000 }], true],
    ['another kind', [{ kind: 'warning', jobId: 'documents', at: NOW }], false],
    ['another job', [{ kind: 'failure', jobId: 'photos', at: NOW }], false],
    ['too long ago', [{ kind: 'failure', jobId: 'documents', at: NOW - 11 * 60_000 }], false],
  ])('%s -> %s', (_what, sent, told) => {
    expect(alreadyTold(error, sent, NOW)).toBe(told);
  });

  it('needs every job behind the state, and never covers pause or recovery', () => {
    const both = o('error2');
    expect(alreadyTold(both, [{ kind: 'failure', jobId: 'documents', at: NOW }], NOW)).toBe(false);
    expect(
      alreadyTold(o('pausedEver'), [{ kind: 'failure', jobId: 'documents', at: NOW }], NOW),
    ).toBe(false);
  });
});

describe('NoTrayNotices', () => {
  it('sends each state once, skips what the services just said, and tells the recovery', async () => {
    const memory = new MemoryNotifier();
    let now = NOW;
    const notifier = new RememberingNotifier(memory, () => now);
    const notices = new NoTrayNotices(notifier, 'UTC', () => now);
    await notices.update(S.idle!);
    await notices.update(S.running!);
    expect(memory.sent).toEqual([]);
    // The services notify the failure themselves; the no-tray notice would repeat it.
    await notifier.notify({
      kind: 'failure',
      jobId: 'documents',
      urgency: 'critical',
      title: 't',
      body: 'b',
    });
    await notices.update(S.error!);
    expect(memory.sent.map((n) => n.kind)).toEqual(['failure']);
    now += HOUR;
    await notices.update(S.overdue!);
    await notices.update(S.overdue!);
    await notices.update(S.idle!);
    expect(memory.sent.map((n) => n.title)).toEqual([
      't',
      'Strata: a backup is overdue',
      'Strata: backups are healthy again',
    ]);
  });
});
