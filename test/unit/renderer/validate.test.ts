/** What stops the user leaving each wizard step, and the words that say so. */
import { describe, expect, it } from 'vitest';
import type { DestinationCheck } from '../../../shared/contract';
import { blocker } from '../../../renderer/src/features/wizard/validate';
import { describeCheck } from '../../../renderer/src/features/wizard/where-check';
import { INITIAL_DRAFT, type Draft } from '../../../renderer/src/features/wizard/wizard-store';

const draft = (patch: Partial<Draft>): Draft => ({ ...INITIAL_DRAFT, ...patch });
const NOW = Date.parse('2026-03-27T12:00:00Z');
const ZONE = 'Europe/Berlin';
const check = (patch: Partial<DestinationCheck>): DestinationCheck => ({
  path: '/media/usb/strata',
  exists: true,
  isFolder: true,
  empty: true,
  repository: false,
  writable: true,
  freeBytes: 2 * 1024 ** 3,
  ...patch,
});

describe('blocker', () => {
  it('what: a folder and a name', () => {
    expect(blocker('what', draft({}))).toBe('Add at least one folder to back up.');
    expect(blocker('what', draft({ sources: ['/a'], name: '  ' }))).toBe(
      'Give this backup a name.',
    );
    expect(blocker('what', draft({ sources: ['/a'], name: 'A' }))).toBeNull();
  });

  it('where: a path, a finished check, and a usable folder', () => {
    expect(blocker('where', draft({ destinationPath: ' ' }))).toBe(
      'Choose a folder or drive for the backup.',
    );
    expect(blocker('where', draft({ destinationPath: '/x' }))).toBe(
      'Strata is checking the folder…',
    );
    expect(
      blocker('where', draft({ destinationPath: '/x', check: check({ isFolder: false }) })),
    ).toBe('This is a file, not a folder.');
    expect(blocker('where', draft({ destinationPath: '/x', check: check({}) }))).toBeNull();
  });

  it('protection: a new backup needs the password twice and the promise it is kept', () => {
    expect(blocker('protection', draft({}))).toBe('Enter a password.');
    expect(blocker('protection', draft({ password: 'a', confirm: 'b' }))).toContain(
      'The two passwords differ',
    );
    expect(blocker('protection', draft({ password: 'a', confirm: 'a' }))).toContain(
      'I have kept the password somewhere safe',
    );
    expect(
      blocker('protection', draft({ password: 'a', confirm: 'a', savedPassword: true })),
    ).toBeNull();
  });

  it('protection: an existing backup needs its password once', () => {
    expect(
      blocker('protection', draft({ password: 'a', check: check({ repository: true }) })),
    ).toBeNull();
  });

  it('when: a weekly choice needs a day; a cron choice a valid expression', () => {
    expect(blocker('when', draft({ frequency: 'weekly', days: [] }))).toBe(
      'Choose at least one day.',
    );
    const cron = (expression: string) =>
      blocker(
        'when',
        draft({ frequency: 'custom', customKind: 'cron', cron: expression }),
        NOW,
        ZONE,
      );
    expect(cron('61 * * * *')).toBe(
      'The cron expression cannot be used: Minute 61 is out of range (0-59).',
    );
    expect(cron('* * * * *')).toContain('more often than every 5 minutes');
    expect(cron('30 2 * * 1-5')).toBeNull();
    // A bad expression left behind does not block the interval choice.
    expect(
      blocker('when', draft({ frequency: 'custom', customKind: 'interval', cron: 'x' }), NOW, ZONE),
    ).toBeNull();
  });

  it('keep and review never block', () => {
    expect(blocker('keep', draft({}))).toBeNull();
    expect(blocker('review', draft({}))).toBeNull();
  });
});

describe('describeCheck', () => {
  it.each([
    [{ exists: true, isFolder: false }, false, 'This is a file, not a folder.'],
    [{ writable: false }, false, 'Strata cannot write to this folder. Choose another one.'],
    [{ exists: false, isFolder: false, writable: false }, false, 'is the drive connected?'],
    [{ repository: true, empty: false }, true, 'already holds a Strata backup'],
    [{ exists: false, isFolder: false }, true, 'Strata will create this folder. 2.0 GB free.'],
    [{ empty: false }, true, 'This folder is not empty.'],
    [{ freeBytes: null }, true, 'An empty folder: ready.'],
  ] as const)('%j -> ok %s', (patch, ok, text) => {
    const verdict = describeCheck(check(patch));
    expect(verdict.ok).toBe(ok);
    expect(verdict.text).toContain(text);
  });
});
