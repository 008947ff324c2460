/**
 * The Electron main process, kept thin: one instance, one window built from windowOptions(), IPC
 * per channel, the tray (or, where the desktop shows none, notifications carrying its state),
 * close-to-tray, start at login, OS notifications, battery / metered / online state for the
 * scheduler, a tick a minute. The services (catalog, scheduler, runner, engine) run in a utility
 * process behind RemoteApi (docs/app-process.md): their synchronous work must never block this
 * thread, which every window and all IPC share.
 */
import { app, BrowserWindow, dialog, ipcMain, net, powerMonitor, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/contract';
import type { StrataServiceApi } from '../services/api';
import { RemoteApi } from '../services/remote/remote-api';
import { registerIpc } from './ipc';
import { MeteredNetwork } from './network';
import { NoTrayNotices, RememberingNotifier } from './no-tray';
import { ElectronNotifier } from './notifier';
import { forkServices } from './services-process';
import { StrataTray } from './tray';
import { hasTrayHost } from './tray-host';
import { harden, windowOptions } from './window';

const ROOT = join(__dirname, '..', '..', '..');
const RESOURCES = app.isPackaged ? process.resourcesPath : join(ROOT, 'resources');
const PAGE = join(ROOT, 'dist-renderer', 'index.html'); // vite.config.ts's outDir
const APP_URL = pathToFileURL(PAGE).href;
const PRELOAD = join(ROOT, 'dist', 'preload', 'index.js');
const SERVICES_ENTRY = join(__dirname, '..', 'services', 'remote', 'entry.js');
const TICK_MS = 60_000;

let win: BrowserWindow | undefined;
let quitting = false;

function openWindow(): void {
  if (win && !win.isDestroyed()) {
    win.show();
    win.focus();
    return;
  }
  win = new BrowserWindow({ ...windowOptions(PRELOAD), icon: join(RESOURCES, 'icon.png') });
  harden(win.webContents, APP_URL);
  // Close to tray: backups keep running; Quit in the tray menu ends the app.
  win.on('close', (event) => {
    if (quitting) return;
    event.preventDefault();
    win?.hide();
  });
  win.once('ready-to-show', () => win?.show());
  void win.loadURL(APP_URL);
}

async function start(): Promise<void> {
  let settings: Settings = DEFAULT_SETTINGS;
  const data = app.getPath('userData');
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const notifier = new RememberingNotifier(new ElectronNotifier(() => settings));
  const metered = new MeteredNetwork();
  const api: StrataServiceApi = new RemoteApi({
    spawn: () => forkServices(SERVICES_ENTRY),
    init: {
      catalogPath: join(data, 'catalog.db'),
      settingsFile: join(data, 'settings.json'),
      version: app.getVersion(),
      timeZone,
      secrets: 'keychain',
    },
    notifier,
    conditions: async () => ({
      onBattery: powerMonitor.isOnBatteryPower(),
      meteredNetwork: await metered.get(),
      online: net.isOnline(),
    }),
    host: {
      async pickFolder(o) {
        const options = {
          title: o.title ?? 'Choose a folder',
          properties: ['openDirectory', 'createDirectory'] as (
            'openDirectory' | 'createDirectory'
          )[],
          ...(o.defaultPath ? { defaultPath: o.defaultPath } : {}),
        };
        const r = win
          ? await dialog.showOpenDialog(win, options)
          : await dialog.showOpenDialog(options);
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      openExternal: (url) => shell.openExternal(url),
      applySettings(next) {
        settings = next;
        app.setLoginItemSettings({ openAtLogin: next.startAtLogin, args: ['--hidden'] });
      },
    },
  });
  settings = await api.call('settings.get', {});

  registerIpc(ipcMain, api, () => win?.webContents, APP_URL);
  const tray = new StrataTray(
    RESOURCES,
    api,
    {
      open: openWindow,
      quit: () => {
        quitting = true;
        app.quit();
      },
    },
    timeZone,
  );
  // Without a tray host (GNOME without an extension) notifications carry the state.
  let noTray: NoTrayNotices | undefined;
  // Only the newest answer is shown: states resolving out of order would flap the notices.
  let asked = 0;
  const refreshTray = () => {
    const n = ++asked;
    void api.state().then(
      (s) => {
        if (n !== asked) return;
        tray.update(s);
        void noTray?.update(s);
      },
      () => undefined,
    );
  };
  void hasTrayHost().then((has) => {
    if (!has) noTray = new NoTrayNotices(notifier, timeZone);
    refreshTray();
  });
  api.onEvent((e) => {
    if (e.type === 'progress') tray.progress(e.progress);
    else if (e.type !== 'log') refreshTray();
  });
  refreshTray();

  // A tick may cross an RPO without any event: the tray is refreshed after each one.
  const tick = () => void api.tick().then(refreshTray, () => undefined);
  const timer = setInterval(tick, TICK_MS);
  powerMonitor.on('on-battery', tick);
  powerMonitor.on('on-ac', tick);
  powerMonitor.on('resume', tick);
  tick();

  app.on('before-quit', (event) => {
    if (!quitting) quitting = true;
    if (timer.hasRef()) {
      // Stop cleanly once: cancel runs (stored data is kept), then quit for real.
      event.preventDefault();
      clearInterval(timer);
      timer.unref();
      void api.close().finally(() => {
        tray.destroy();
        app.quit();
      });
    }
  });
  if (!process.argv.includes('--hidden')) openWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', openWindow);
  // Stay alive with every window closed: the tray and the schedule go on.
  app.on('window-all-closed', () => undefined);
  void app.whenReady().then(start);
}
