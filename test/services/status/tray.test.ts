/**
 * The one tray state over all jobs (services/status/tray.ts): trouble outranks activity, paused
 * only when every job is paused, and "pause all" never hides an error or an overdue job.
 */
import { describe, expect, it } from 'vitest';
import { trayState, trayWithPauseAll } from '../../../electron/services/status/tray';
import type { TrayState } from '../../../electron/services/status/types';

const jobs = (...xs: [TrayState, boolean?][]) =>
  xs.map(([tray, paused]) => ({ tray, paused: paused ?? false }));

describe('trayState', () => {
  it.each<[string, ReturnType<typeof jobs>, TrayState]>([
    ['no jobs', [], 'idle'],
    ['error outranks running', jobs(['running'], ['error']), 'error'],
    ['error outranks overdue', jobs(['overdue'], ['error']), 'error'],
    ['overdue outranks warning', jobs(['warning'], ['overdue']), 'overdue'],
    ['running outranks warning', jobs(['warning'], ['running']), 'running'],
    ['a paused job that failed still shows the error', jobs(['error', true]), 'error'],
    ['one of two paused', jobs(['paused', true], ['idle']), 'idle'],
    ['all paused', jobs(['paused', true], ['paused', true]), 'paused'],
  ])('%s', (_what, input, expected) => {
    expect(trayState(input)).toBe(expected);
  });
});

describe('trayWithPauseAll', () => {
  it.each<[TrayState, boolean, TrayState]>([
    ['idle', true, 'paused'],
    ['running', true, 'paused'],
    ['warning', true, 'paused'],
    ['error', true, 'error'],
    ['overdue', true, 'overdue'],
    ['paused', true, 'paused'],
    ['running', false, 'running'],
    ['idle', false, 'idle'],
  ])('%s with pause-all %s -> %s', (tray, paused, expected) => {
    expect(trayWithPauseAll(tray, paused)).toBe(expected);
  });
});
