/**
 * The Electron shell itself (window options, CSP, the preload's window.strata), through
 * Playwright's `_electron`. It needs the Electron binary, which `npm install` downloads where it
 * can: here (no download possible) the test skips and says why, so `npm test` shows it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

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

describe.skipIf(found.path === undefined)('Electron shell', () => {
  it('opens a sandboxed, isolated window with the CSP and window.strata', async () => {
    const { _electron } = await import('playwright-core');
    const app = await _electron.launch({ executablePath: found.path!, args: ['.'] });
    try {
      const page = await app.firstWindow();
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        // Present at runtime since Electron 18; missing from some typings.
        return (
          w.webContents as unknown as { getLastWebPreferences(): unknown }
        ).getLastWebPreferences();
      });
      expect(prefs).toMatchObject({
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
      });
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
        'undefined',
      );
      expect(await page.evaluate(() => typeof (globalThis as { strata?: unknown }).strata)).toBe(
        'object',
      );
    } finally {
      await app.close();
    }
  });
});
