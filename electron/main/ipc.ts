/**
 * One ipcMain handler per channel: the sender must be our window's frame showing our page, the
 * arguments are validated by services/api.ts with the channel's schema, and errors go back as
 * `{ code, message }` in the envelope (never thrown: Electron would keep only the message).
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNELS, EVENTS_CHANNEL, type AppEvent } from '../../shared/contract';
import type { StrataServiceApi } from '../services/api';

/** True when the event comes from the top frame of `contents`, showing `appUrl`'s page. */
export function fromOurWindow(
  event: IpcMainInvokeEvent,
  contents: () => WebContents | undefined,
  appUrl: string,
): boolean {
  const ours = contents();
  const frame = event.senderFrame;
  if (!ours || !frame || event.sender !== ours || frame !== ours.mainFrame) return false;
  return (
    new URL(frame.url).origin === new URL(appUrl).origin &&
    frame.url.split('#')[0]!.split('?')[0] === appUrl
  );
}

export function registerIpc(
  api: StrataServiceApi,
  contents: () => WebContents | undefined,
  appUrl: string,
): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, args: unknown) => {
      if (!fromOurWindow(event, contents, appUrl))
        return {
          ok: false,
          error: { code: 'PERMISSION_DENIED', message: 'this page may not call Strata' },
        };
      return api.invoke(channel, args);
    });
  }
  const off = api.onEvent((event: AppEvent) => {
    const c = contents();
    if (c && !c.isDestroyed()) c.send(EVENTS_CHANNEL, event);
  });
  return () => {
    off();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
