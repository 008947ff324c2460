/**
 * One ipcMain handler per channel: the sender must be our window's frame showing our page, the
 * arguments are validated by services/api.ts with the channel's schema, and errors go back as
 * `{ code, message }` in the envelope (never thrown: Electron would keep only the message).
 *
 * ipcMain comes in as a parameter and this module imports only Electron's types, so the checks
 * run in plain Node tests with fakes (the Electron binary is not needed to load it).
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENTS_CHANNEL, type AppEvent, type Envelope } from '../../shared/contract';
import type { StrataServiceApi } from '../services/api';

/** The parts of an invoke event the sender check reads (Electron's IpcMainInvokeEvent fits). */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** The parts of our window's WebContents the checks and the event push use. */
export type OurContents = Pick<WebContents, 'mainFrame' | 'isDestroyed' | 'send'>;

/** The parts of ipcMain used here (Electron's ipcMain fits; tests pass a fake). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: SenderEvent, args: unknown) => unknown): void;
  removeHandler(channel: string): void;
}

/** The URL without its hash and query: the page itself. */
function pageOf(url: string): string | undefined {
  if (!URL.canParse(url)) return undefined;
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  return u.href;
}

/**
 * True when the event comes from the top frame of our live window, showing `appUrl`'s page.
 *
 * Why each part: another window or a subframe (an iframe the page might one day embed) must not
 * reach the services; a page that navigated elsewhere despite harden() must not either; a
 * destroyed window has no frame to trust. A hash or query on our page (client routes) is fine.
 */
export function fromOurWindow(
  event: SenderEvent,
  contents: () => OurContents | undefined,
  appUrl: string,
): boolean {
  const ours = contents();
  if (!ours || ours.isDestroyed()) return false;
  const frame = event.senderFrame;
  if (!frame || event.sender !== ours || frame !== ours.mainFrame) return false;
  const page = pageOf(frame.url);
  const app = pageOf(appUrl);
  if (page === undefined || app === undefined) return false;
  // file: URLs all have the origin "null": the page comparison is what tells them apart.
  return new URL(page).origin === new URL(app).origin && page === app;
}

/** The answer to a caller that is not our page (the same envelope as every other error). */
export const PERMISSION_DENIED: Envelope<never> = {
  ok: false,
  error: { code: 'PERMISSION_DENIED', message: 'this page may not call Strata' },
};

/**
 * Registers one handler per contract channel on `ipc` and forwards app events to our window.
 * Returns a function that removes the handlers and the event forwarding.
 */
export function registerIpc(
  ipc: IpcMainLike,
  api: StrataServiceApi,
  contents: () => OurContents | undefined,
  appUrl: string,
): () => void {
  for (const channel of CHANNELS) {
    ipc.handle(channel, (event, args) => {
      if (!fromOurWindow(event, contents, appUrl)) return PERMISSION_DENIED;
      return api.invoke(channel, args);
    });
  }
  const off = api.onEvent((event: AppEvent) => {
    const c = contents();
    if (c && !c.isDestroyed()) c.send(EVENTS_CHANNEL, event);
  });
  return () => {
    off();
    for (const channel of CHANNELS) ipc.removeHandler(channel);
  };
}
