/**
 * The tray's menu and tooltip as plain data (electron/main/tray-menu.ts), for each state the
 * icon can show.
 */
import { describe, expect, it } from 'vitest';
import {
  progressPercent,
  trayMenu,
  trayTooltip,
  withProgress,
  type TrayMenuItem,
} from '../../../electron/main/tray-menu';
import { HOUR, NOW, appState, view } from './app-state-fixture';

type Item = Extract<TrayMenuItem, { type: 'item' }>;
const items = (menu: readonly TrayMenuItem[]) => menu.filter((i): i is Item => i.type === 'item');
const byLabel = (menu: readonly TrayMenuItem[], label: string | RegExp) => {
  const found = items(menu).find((i) =>
    typeof label === 'string' ? i.label === label : label.test(i.label),
  );
  if (!found) throw new Error(`no item ${String(label)} in ${items(menu).map((i) => i.label)}`);
  return found;
};
const iso = (ms: number) => new Date(ms).toISOString();

describe('trayTooltip', () => {
  it.each<[string, ReturnType<typeof appState>, string]>([
    ['no jobs', appState([]), 'Strata — No backups set up yet'],
    ['never backed up', appState([view('Documents', 'never')]), 'Strata — Not backed up yet'],
    [
      'idle: the newest backup of any job',
      appState([view('Documents', 'ok'), view('Photos', 'never')]),
      'Strata — Last backup 3 hours ago',
    ],
    [
      'running with progress',
      appState([view('Documents', 'running', { progress: { bytesDone: 42, bytesTotal: 100 } })]),
      'Strata — Backing up Documents — 42%',
    ],
    [
      'running, files counted but no bytes total',
      appState([view('Documents', 'running', { progress: { filesDone: 1, filesTotal: 3 } })]),
      'Strata — Backing up Documents — 33%',
    ],
    [
      'running before the size is known',
      appState([view('Documents', 'running', { progress: {} })]),
      'Strata — Backing up Documents',
    ],
    [
      'two running',
      appState([view('Documents', 'running'), view('Photos', 'running')]),
      'Strata — Backing up Documents and Photos',
    ],
    [
      'error outranks running',
      appState([
        view('Documents', 'running', { progress: { bytesDone: 1, bytesTotal: 2 } }),
        view('Photos', 'failing'),
      ]),
      'Strata — Photos: backup failing',
    ],
    [
      'overdue outranks running and warning',
      appState([view('Documents', 'running'), view('Mail', 'warning'), view('Photos', 'overdue')]),
      'Strata — Photos: backup overdue',
    ],
    [
      'error outranks overdue; three failing jobs',
      appState([
        view('A', 'failing'),
        view('B', 'overdue'),
        view('C', 'failing'),
        view('D', 'failing'),
      ]),
      'Strata — A and 2 others: backup failing',
    ],
    [
      'warning',
      appState([view('Mail', 'warning'), view('Documents', 'ok')]),
      'Strata — Mail: last backup had warnings',
    ],
    [
      'paused for an hour',
      appState([view('Documents', 'ok')], { paused: true, until: iso(NOW + HOUR) }),
      'Strata — Backups paused until 12:00',
    ],
    [
      'paused until tomorrow',
      appState([view('Documents', 'ok')], { paused: true, until: '2026-06-04T02:00:00Z' }),
      'Strata — Backups paused until tomorrow at 02:00',
    ],
    [
      'paused until resumed',
      appState([view('Documents', 'running')], { paused: true }),
      'Strata — Backups paused until resumed',
    ],
    [
      'pause-all does not hide an error',
      appState([view('Documents', 'failing')], { paused: true }),
      'Strata — Documents: backup failing',
    ],
    [
      'every job paused on its own',
      appState([view('Documents', 'ok', { paused: true })]),
      'Strata — All backup jobs are paused',
    ],
  ])('%s', (_what, state, text) => {
    expect(trayTooltip(state, NOW, 'UTC')).toBe(text);
  });

  it('says when a running backup is on hold', () => {
    const s = appState([
      view('Documents', 'running', { runPaused: true, progress: { bytesDone: 5, bytesTotal: 10 } }),
    ]);
    expect(trayTooltip(s, NOW, 'UTC')).toBe('Strata — Backing up Documents — 50% (on hold)');
  });

  it('shows the pause end in the user zone', () => {
    const s = appState([view('Documents', 'ok')], { paused: true, until: iso(NOW + HOUR) });
    expect(trayTooltip(s, NOW, 'Europe/Berlin')).toBe('Strata — Backups paused until 14:00');
  });
});

describe('progressPercent', () => {
  it.each<[Parameters<typeof view>[2], number | undefined]>([
    [{}, undefined],
    [{ progress: { bytesDone: 0, bytesTotal: 0 } }, undefined],
    [{ progress: { bytesDone: 999, bytesTotal: 1000 } }, 99],
    [{ progress: { bytesDone: 2000, bytesTotal: 1000 } }, 100],
  ])('%j -> %s', (o, pct) => {
    expect(progressPercent(view('Documents', 'running', o))).toBe(pct);
  });
});

describe('trayMenu', () => {
  it('with no jobs: open, a note, pause disabled, quit', () => {
    const menu = trayMenu(appState([]), NOW, 'UTC');
    expect(byLabel(menu, 'Open Strata').action).toBe('open');
    expect(byLabel(menu, 'No backups set up yet').enabled).toBe(false);
    expect(byLabel(menu, 'Pause backups').enabled).toBe(false);
    expect(byLabel(menu, 'Quit Strata').action).toBe('quit');
    expect(items(menu).some((i) => /Back up/.test(i.label))).toBe(false);
  });

  it('one "back up now" per job, disabled for the running one', () => {
    const menu = trayMenu(
      appState([view('Documents', 'running'), view('Photos', 'ok')]),
      NOW,
      'UTC',
    );
    const docs = byLabel(menu, 'Back up “Documents” now');
    const photos = byLabel(menu, 'Back up “Photos” now');
    expect(docs.enabled).toBe(false);
    expect(photos).toMatchObject({
      enabled: true,
      action: { channel: 'jobs.runNow', args: { jobId: 'photos' } },
    });
  });

  it('the status line is the tooltip text, greyed out', () => {
    const menu = trayMenu(appState([view('Photos', 'failing')]), NOW, 'UTC');
    expect(byLabel(menu, 'Photos: backup failing').enabled).toBe(false);
  });

  it('not paused: a submenu to pause for an hour (from the click) or until resumed', () => {
    const menu = trayMenu(appState([view('Documents', 'ok')]), NOW, 'UTC');
    const pause = byLabel(menu, 'Pause backups');
    expect(pause.enabled).toBe(true);
    expect(pause.submenu).toEqual([
      { type: 'item', label: 'For 1 hour', enabled: true, action: { pauseForMs: HOUR } },
      {
        type: 'item',
        label: 'Until resumed',
        enabled: true,
        action: { channel: 'jobs.pauseAll', args: {} },
      },
    ]);
    expect(items(menu).some((i) => i.label === 'Resume backups')).toBe(false);
  });

  it.each([
    [{ paused: true, until: iso(NOW + HOUR) } as const, 'Backups paused until 12:00'],
    [{ paused: true } as const, 'Backups paused until resumed'],
  ])('paused %j: says until when, and offers resume', (pauseAll, text) => {
    const menu = trayMenu(appState([view('Documents', 'ok')], pauseAll), NOW, 'UTC');
    expect(byLabel(menu, 'Resume backups').action).toEqual({ channel: 'jobs.resumeAll', args: {} });
    expect(items(menu).filter((i) => i.label === text)).toHaveLength(2); // status line and note
    expect(items(menu).some((i) => i.label === 'Pause backups')).toBe(false);
  });

  it('keeps its shape: open, status, jobs, pause, quit between separators', () => {
    const menu = trayMenu(appState([view('Documents', 'ok')]), NOW, 'UTC');
    expect(menu.map((i) => (i.type === 'separator' ? '-' : i.label))).toEqual([
      'Open Strata',
      'Last backup 3 hours ago',
      '-',
      'Back up “Documents” now',
      '-',
      'Pause backups',
      '-',
      'Quit Strata',
    ]);
  });
});

describe('withProgress', () => {
  const progress = (jobId: string, bytesDone: number) => ({
    jobId,
    phase: 'backing-up' as const,
    filesDone: 0,
    bytesDone,
    bytesTotal: 200,
    throughput: 0,
    paused: false,
  });

  it('patches the running job, so the tooltip follows the run', () => {
    const s = appState([
      view('Documents', 'running', { progress: { bytesDone: 0, bytesTotal: 200 } }),
    ]);
    const next = withProgress(s, progress('documents', 150));
    expect(trayTooltip(next, NOW, 'UTC')).toBe('Strata — Backing up Documents — 75%');
    expect(trayTooltip(s, NOW, 'UTC')).toBe('Strata — Backing up Documents — 0%');
  });

  it('leaves the state alone for a job that is not running or not known', () => {
    const s = appState([view('Documents', 'ok')]);
    expect(withProgress(s, progress('documents', 1))).toBe(s);
    expect(withProgress(s, progress('gone', 1))).toBe(s);
  });
});
