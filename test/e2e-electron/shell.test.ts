/**
 * The Electron shell itself, through Playwright's `_electron`: the window's security options,
 * the CSP, window.open denied, navigation blocked, and an IPC call from the page answered by the
 * services. It needs the Electron binary, which `npm install` downloads where it can: where it
 * is missing (no download possible) the suite skips and says why, so `npm test` shows it.
 * Where it runs, the app must be built first (npm run build && npm run build:preload).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../electron/main/csp';

const ROOT = resolve(__dirname, '..', '..');

/**
 * Where `npm install` put the binary, found without `require('electron')`: since Electron 45 that
 * starts a download when the binary is missing, which a machine without internet (CI here)
 * would wait on.
 */
function electronBinary(): { path?: string; why?: string } {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile))
      return {
        why: `the Electron binary is not installed (no ${pathFile}; npm could not download it)`,
      };
    const path = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(path)) return { path };
    return { why: `the Electron binary is not installed: ${path} does not exist` };
  } catch (err) {
    return {
      why: `the electron package is not installed: ${(err as Error).message.split('\n')[0]}`,
    };
  }
}

const found = electronBinary();
if (found.why) console.warn(`test/e2e-electron skipped: ${found.why}`);

/** The page's window.strata, as far as these tests call it. */
interface PageGlobals {
  strata?: {
    settings: { get(): Promise<{ notifications: string }> };
    state: { get(): Promise<{ jobs: unknown[]; tray: string }> };
  };
  require?: unknown;
  process?: unknown;
}

describe.skipIf(found.path === undefined)('Electron shell', () => {
  let app: ElectronApplication;
  let page: Page;
  let home: string;

  beforeAll(async () => {
    for (const built of [
      'dist/electron/main/index.js',
      'dist/preload/index.js',
      'dist-renderer/index.html',
    ])
      if (!existsSync(join(ROOT, built)))
        throw new Error(`${built} is missing: run npm run build && npm run build:preload first`);
    // A fresh HOME: the app's settings, catalog and pause file go there, not the tester's.
    home = await mkdtemp(join(tmpdir(), 'strata-electron-'));
    const { _electron } = await import('playwright-core');
    app = await _electron.launch({
      executablePath: found.path!,
      args: ['.'],
      cwd: ROOT,
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
    });
    page = await app.firstWindow();
    await page.waitForLoadState('load');
  });

  afterAll(async () => {
    await app?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  const windowUrl = () =>
    app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL());
  const windowCount = () =>
    app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);

  it('opens one sandboxed, isolated window without Node in the page', async () => {
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const w = BrowserWindow.getAllWindows()[0]!;
      // Present at runtime since Electron 18; missing from some typings.
      return (
        w.webContents as unknown as { getLastWebPreferences(): unknown }
      ).getLastWebPreferences();
    });
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(await windowCount()).toBe(1);
    expect(await page.evaluate(() => typeof (globalThis as PageGlobals).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as PageGlobals).process)).toBe('undefined');
    expect(await page.evaluate(() => typeof (globalThis as PageGlobals).strata)).toBe('object');
  });

  it('renders the app from file:// (the module script loaded)', async () => {
    expect(new URL(await windowUrl()).protocol).toBe('file:');
    await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0);
  });

  it('answers an IPC call from the page with the services', async () => {
    const settings = await page.evaluate(() => (globalThis as PageGlobals).strata!.settings.get());
    expect(settings.notifications).toBe('problems');
    const state = await page.evaluate(() => (globalThis as PageGlobals).strata!.state.get());
    expect(state).toMatchObject({ jobs: [], tray: 'idle' });
  });

  it('sends the CSP header with the page, and the policy blocks eval', async () => {
    const response = await page.reload();
    expect(response, 'the reload gave no document response').not.toBeNull();
    expect(await response!.headerValue('content-security-policy')).toBe(CSP);
    const evalResult = await page.evaluate(() => {
      try {
        return String((0, eval)('1 + 1'));
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(evalResult).toBe('EvalError');
  });

  it('denies window.open', async () => {
    // Not an http(s) link, so harden() does not hand it to the user's browser either.
    const opened = await page.evaluate(() => window.open('about:blank') === null);
    expect(opened).toBe(true);
    await page.waitForTimeout(300);
    expect(await windowCount()).toBe(1);
  });

  it('blocks navigation away from the app', async () => {
    const before = await windowUrl();
    await page.evaluate(() => {
      window.location.href = 'file:///etc/hostname';
    });
    await page.waitForTimeout(500);
    expect(await windowUrl()).toBe(before);
    // The page is still ours and still talks to main.
    const settings = await page.evaluate(() => (globalThis as PageGlobals).strata!.settings.get());
    expect(settings.notifications).toBe('problems');
  });
});
