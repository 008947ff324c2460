/**
 * The metered-network probe (electron/main/network.ts): NMMetered values, the minute cache, and
 * every failure answering "not metered" without throwing. The real tools run too, against a
 * system bus this machine does not have (or one without NetworkManager): that is the failure
 * path as a desktop without NetworkManager sees it.
 */
import { describe, expect, it } from 'vitest';
import { MeteredNetwork, isMeteredValue, meteredCommands } from '../../../electron/main/network';
import { askFirst } from '../../../electron/main/dbus';

describe('isMeteredValue', () => {
  it.each<[number | undefined, boolean]>([
    [0, false], // unknown
    [1, true], // yes
    [2, false], // no
    [3, true], // guess-yes
    [4, false], // guess-no
    [5, false],
    [undefined, false],
  ])('%s -> %s', (value, metered) => {
    expect(isMeteredValue(value)).toBe(metered);
  });
});

describe('MeteredNetwork', () => {
  it('reads once a minute at most, sharing a read in progress', async () => {
    let now = 0;
    let reads = 0;
    let value = 3;
    const probe = new MeteredNetwork({
      platform: 'linux',
      now: () => now,
      read: async () => (reads++, value),
    });
    expect(await Promise.all([probe.get(), probe.get()])).toEqual([true, true]);
    expect(reads).toBe(1);
    value = 4;
    now = 59_999;
    expect(await probe.get()).toBe(true);
    expect(reads).toBe(1);
    now = 60_000;
    expect(await probe.get()).toBe(false);
    expect(reads).toBe(2);
  });

  it('answers not metered when the read fails, throws or gives nothing', async () => {
    const throwing = new MeteredNetwork({
      platform: 'linux',
      read: () => Promise.reject(new Error('no bus')),
    });
    expect(await throwing.get()).toBe(false);
    const syncThrow = new MeteredNetwork({
      platform: 'linux',
      read: () => {
        throw new Error('boom');
      },
    });
    expect(await syncThrow.get()).toBe(false);
    expect(await new MeteredNetwork({ platform: 'linux', read: async () => undefined }).get()).toBe(
      false,
    );
  });

  it('is not metered on other systems, without reading', async () => {
    let reads = 0;
    const probe = new MeteredNetwork({ platform: 'darwin', read: async () => (reads++, 1) });
    expect(await probe.get()).toBe(false);
    expect(reads).toBe(0);
  });

  it('with the real tools and no NetworkManager to ask: not metered, promptly', async () => {
    const env = {
      PATH: process.env.PATH,
      DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/system_bus_socket',
    };
    const started = Date.now();
    expect(await askFirst(meteredCommands(), { env, timeoutMs: 2000 })).toBeUndefined();
    expect(await new MeteredNetwork({ platform: 'linux', env, timeoutMs: 2000 }).get()).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('with no tool installed: not metered', async () => {
    const probe = new MeteredNetwork({ platform: 'linux', env: { PATH: '/nonexistent' } });
    expect(await probe.get()).toBe(false);
  });
});
