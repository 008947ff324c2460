/**
 * Tray host detection (electron/main/tray-host.ts) against a real private session bus started
 * with dbus-run-session, and the parsers for what gdbus / dbus-send / busctl print.
 *
 * The "true" case: the test owns org.kde.StatusNotifierWatcher itself (test/helpers/dbus-name.ts
 * speaks the wire protocol: gdbus, dbus-send and busctl cannot request names and python3 has no
 * D-Bus binding here), as a KDE session's watcher would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askFirst, parseDbusBoolean, parseDbusUint } from '../../../electron/main/dbus';
import {
  STATUS_NOTIFIER_WATCHER,
  hasTrayHost,
  nameHasOwnerCommands,
} from '../../../electron/main/tray-host';
import { ownBusName } from '../../helpers/dbus-name';

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const missing = ['dbus-run-session', 'gdbus', 'dbus-send'].filter((t) => !has(t));
if (missing.length > 0)
  console.warn(
    `tray-host bus tests skipped: ${missing.join(', ')} not installed (apt-get install dbus libglib2.0-bin)`,
  );

describe('parseDbusBoolean', () => {
  it.each<[string, boolean | undefined]>([
    ['(true,)\n', true],
    ['(false,)\n', false],
    [
      'method return time=1 sender=org.freedesktop.DBus -> destination=:1.3 serial=3 reply_serial=2\n   boolean true\n',
      true,
    ],
    ['   boolean false\n', false],
    ['b true\n', true],
    ['', undefined],
    ['Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown', undefined],
    ['(<true>,)', undefined],
  ])('%j -> %s', (out, value) => {
    expect(parseDbusBoolean(out)).toBe(value);
  });
});

describe('parseDbusUint', () => {
  it.each<[string, number | undefined]>([
    ['(<uint32 4>,)\n', 4],
    [
      'method return time=1 sender=:1.2 -> destination=:1.9 serial=5 reply_serial=2\n   variant       uint32 1\n',
      1,
    ],
    ['u 3\n', 3],
    ['', undefined],
    ['(<int32 4>,)', undefined],
    ['s "4"', undefined],
  ])('%j -> %s', (out, value) => {
    expect(parseDbusUint(out)).toBe(value);
  });
});

describe('hasTrayHost without a bus', () => {
  it('is true on other systems without asking anything', async () => {
    const env = { PATH: '/nonexistent' };
    expect(await hasTrayHost({ platform: 'win32', env })).toBe(true);
    expect(await hasTrayHost({ platform: 'darwin', env })).toBe(true);
  });

  it('is false on Linux when no tool can be run', async () => {
    expect(await hasTrayHost({ platform: 'linux', env: { PATH: '/nonexistent' } })).toBe(false);
  });

  it('is false on Linux with no session bus at all', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: '/nonexistent',
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
    };
    expect(await hasTrayHost({ platform: 'linux', env, timeoutMs: 3000 })).toBe(false);
  });
});

describe.skipIf(missing.length > 0)('hasTrayHost on a private session bus', () => {
  let session: ChildProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    session = spawn(
      'dbus-run-session',
      ['--', 'sh', '-c', 'echo "$DBUS_SESSION_BUS_ADDRESS"; exec sleep 120'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
        // Its own process group, so afterAll ends the bus, the shell and the sleep together.
        detached: true,
      },
    );
    const address = await new Promise<string>((resolve, reject) => {
      createInterface({ input: session.stdout! }).once('line', resolve);
      session.once('exit', () => reject(new Error('dbus-run-session ended early')));
    });
    expect(address).toMatch(/^unix:/);
    env = { PATH: process.env.PATH, HOME: process.env.HOME, DBUS_SESSION_BUS_ADDRESS: address };
  });
  afterAll(() => {
    session.stdout?.destroy();
    if (session?.pid !== undefined && session.exitCode === null) process.kill(-session.pid);
  });

  it('is false when nobody owns org.kde.StatusNotifierWatcher (plain GNOME)', async () => {
    expect(await hasTrayHost({ platform: 'linux', env, timeoutMs: 5000 })).toBe(false);
  });

  it('is true when the name it looks for has an owner', async () => {
    expect(
      await hasTrayHost({ platform: 'linux', env, timeoutMs: 5000, name: 'org.freedesktop.DBus' }),
    ).toBe(true);
  });

  it('is true while something owns the watcher name (KDE), false again once it lets go', async () => {
    const owner = await ownBusName(env.DBUS_SESSION_BUS_ADDRESS!, STATUS_NOTIFIER_WATCHER);
    try {
      await expect
        .poll(() => hasTrayHost({ platform: 'linux', env, timeoutMs: 5000 }), { timeout: 10_000 })
        .toBe(true);
    } finally {
      owner.destroy();
    }
    await expect
      .poll(() => hasTrayHost({ platform: 'linux', env, timeoutMs: 5000 }), { timeout: 10_000 })
      .toBe(false);
  });

  it('gets the same answers from gdbus and from dbus-send', async () => {
    for (const name of ['org.freedesktop.DBus', 'org.kde.StatusNotifierWatcher']) {
      const answers = await Promise.all(
        nameHasOwnerCommands(name).map((c) => askFirst([c], { env, timeoutMs: 5000 })),
      );
      expect(answers).toEqual(name === 'org.freedesktop.DBus' ? [true, true] : [false, false]);
    }
  });
});
