/**
 * The Electron shell itself (window options, CSP, the preload's window.strata), through
 * Playwright's `_electron`. It needs the Electron binary, which `npm install` downloads where it
 * can: here (no download possible) the test skips and says why, so `npm test` shows it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

function electronBinary(): { path?: string; why?: string } {
  try {
    const path = require('electron') as unknown as string;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { why: `the Electron binary is not installed: ${String(path)} does not exist` };
  } catch (err) {
    return {
      why: `the Electron binary is not installed: ${(err as Error).message.split('\n')[0]}`,
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
