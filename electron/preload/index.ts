/**
 * The preload: exposes window.strata, one method per channel, built by shared/bridge.ts (the
 * same builder the UI tests use) over ipcRenderer. Nothing else crosses. The window is
 * sandboxed, so this file is bundled with what it imports (build/bundle-preload.mjs).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildBridge } from '../../shared/bridge';
import { EVENTS_CHANNEL } from '../../shared/contract/events';
import type { AppEvent } from '../../shared/contract/events';
import type { Envelope } from '../../shared/contract/common';

const strata = buildBridge(
  (channel, args) => ipcRenderer.invoke(channel, args) as Promise<Envelope<unknown>>,
  (listener) => {
    const handler = (_event: IpcRendererEvent, e: AppEvent) => listener(e);
    ipcRenderer.on(EVENTS_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENTS_CHANNEL, handler);
  },
);

contextBridge.exposeInMainWorld('strata', strata);
