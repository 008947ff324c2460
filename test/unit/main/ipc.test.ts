/**
 * electron/main/ipc.ts without Electron: a fake ipcMain that dispatches like Electron's (an
 * unknown channel has no handler and rejects), fake windows and frames, and the real services
 * API on a temporary HOME. What is checked is what keeps a foreign page away from the services
 * and a bad call from stopping the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS_CHANNEL, type Envelope } from '../../../shared/contract';
import {
  fromOurWindow,
  registerIpc,
  type IpcMainLike,
  type OurContents,
  type SenderEvent,
} from '../../../electron/main/ipc';
import { createTestHost, type TestHost } from '../../helpers/ui-host';

const APP_URL = 'file:///opt/Strata/resources/app.asar/dist-renderer/index.html';

interface FakeFrame {
  url: string;
}

/** A window's WebContents: its top frame, whether it is destroyed, what it was sent. */
function fakeContents(url = APP_URL) {
  const sent: [string, unknown][] = [];
  const contents = {
    mainFrame: { url } as FakeFrame,
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    send(channel: string, payload: unknown) {
      sent.push([channel, payload]);
    },
    sent,
  };
  return contents;
}
type FakeContents = ReturnType<typeof fakeContents>;

const asOurs = (c: FakeContents | undefined) => c as unknown as OurContents | undefined;
const eventFrom = (sender: FakeContents, frame: FakeFrame | null = sender.mainFrame) =>
  ({ sender, senderFrame: frame }) as unknown as SenderEvent;

/** Dispatches like Electron's ipcMain.handle: one handler per channel, none => rejection. */
class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: SenderEvent, args: unknown) => unknown>();
  handle(channel: string, listener: (event: SenderEvent, args: unknown) => unknown): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, event: SenderEvent, args: unknown): Promise<Envelope<unknown>> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return (await h(event, args)) as Envelope<unknown>;
  }
}

describe('fromOurWindow', () => {
  const ours = fakeContents();
  const get = () => asOurs(ours);

  it('accepts our page in our top frame, also with a hash or a query', () => {
    expect(fromOurWindow(eventFrom(ours), get, APP_URL)).toBe(true);
    for (const url of [`${APP_URL}#/timeline`, `${APP_URL}?x=1#/jobs/docs`]) {
      const c = fakeContents(url);
      expect(fromOurWindow(eventFrom(c), () => asOurs(c), APP_URL)).toBe(true);
    }
  });

  it('rejects another window, even one showing our page', () => {
    const other = fakeContents();
    expect(fromOurWindow(eventFrom(other), get, APP_URL)).toBe(false);
  });

  it('rejects a subframe of our window and an event without a frame', () => {
    expect(fromOurWindow(eventFrom(ours, { url: APP_URL }), get, APP_URL)).toBe(false);
    expect(fromOurWindow(eventFrom(ours, null), get, APP_URL)).toBe(false);
  });

  it.each([
    ['another file', 'file:///opt/Strata/resources/app.asar/dist-renderer/other.html'],
    ['a file elsewhere', 'file:///tmp/evil/index.html'],
    ['another origin', 'https://example.com/dist-renderer/index.html'],
    ['an unparsable URL', 'not a url'],
    ['about:blank', 'about:blank'],
  ])('rejects our window showing %s', (_what, url) => {
    const c = fakeContents(url);
    expect(fromOurWindow(eventFrom(c), () => asOurs(c), APP_URL)).toBe(false);
  });

  it('compares origins for http pages (a dev server)', () => {
    const app = 'http://localhost:5173/index.html';
    const same = fakeContents('http://localhost:5173/index.html#/x');
    const port = fakeContents('http://localhost:5174/index.html');
    expect(fromOurWindow(eventFrom(same), () => asOurs(same), app)).toBe(true);
    expect(fromOurWindow(eventFrom(port), () => asOurs(port), app)).toBe(false);
  });

  it('rejects everything when the window is destroyed or missing', () => {
    const c = fakeContents();
    c.destroyed = true;
    expect(fromOurWindow(eventFrom(c), () => asOurs(c), APP_URL)).toBe(false);
    expect(fromOurWindow(eventFrom(ours), () => undefined, APP_URL)).toBe(false);
  });
});

describe('registerIpc over the real services', () => {
  let host: TestHost;
  const ipc = new FakeIpcMain();
  let win: FakeContents | undefined;
  let unregister: () => void;

  beforeAll(async () => {
    host = await createTestHost();
    win = fakeContents();
    unregister = registerIpc(ipc, host.api, () => asOurs(win), APP_URL);
  });
  afterAll(async () => {
    await host?.close();
  });

  it('registers exactly the contract channels', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
  });

  it('answers a valid call from our page', async () => {
    const r = await ipc.invoke('settings.get', eventFrom(win!), {});
    expect(r).toMatchObject({ ok: true, value: { notifications: 'problems' } });
  });

  it('answers bad arguments with INVALID_ARGUMENT naming the field', async () => {
    const r = await ipc.invoke('jobs.runNow', eventFrom(win!), { jobId: 42 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_ARGUMENT');
    expect(r.error.field).toBe('jobId');
    const extra = await ipc.invoke('jobs.runNow', eventFrom(win!), { jobId: 'x', evil: 1 });
    expect(extra).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });

  it('has no handler for a channel outside the contract', async () => {
    await expect(ipc.invoke('fs.writeFile', eventFrom(win!), { path: '/etc/x' })).rejects.toThrow(
      /No handler registered/,
    );
    // And the API itself refuses a name that is not a channel, whoever calls it.
    expect(await host.api.invoke('fs.writeFile', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT' },
    });
  });

  it('denies a foreign sender without running the call', async () => {
    const stranger = fakeContents('https://example.com/');
    const r = await ipc.invoke('jobs.pauseAll', eventFrom(stranger), {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: 'this page may not call Strata' },
    });
    const state = await host.api.call('state.get', {});
    expect(state.pauseAll.paused).toBe(false);
  });

  it('keeps answering after refused and failing calls', async () => {
    const r = await ipc.invoke('jobs.history', eventFrom(win!), { jobId: 'missing' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const ok = await ipc.invoke('state.get', eventFrom(win!), {});
    expect(ok).toMatchObject({ ok: true, value: { jobs: [], tray: 'idle' } });
  });

  it('forwards app events to our live window only', async () => {
    const before = win!.sent.length;
    await ipc.invoke('settings.set', eventFrom(win!), { theme: 'dark' });
    const pushed = win!.sent.slice(before);
    expect(pushed).toContainEqual([EVENTS_CHANNEL, { type: 'state-changed' }]);
    win!.destroyed = true;
    const n = win!.sent.length;
    await host.api.call('settings.set', { theme: 'light' });
    expect(win!.sent.length).toBe(n);
    win!.destroyed = false;
  });

  it('unregisters every handler', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});
