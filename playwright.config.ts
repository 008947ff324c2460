/**
 * The UI tests: the built renderer (dist-renderer/) in Chromium, talking to the real services
 * through the same bridge builder the preload uses (test/e2e-ui/fixtures.ts). `npm test` builds
 * first. Uses Debian's /usr/bin/chromium where it exists (no browser download possible here),
 * else Playwright's own browser.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e-ui',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e-ui/global-setup.ts',
  outputDir: 'test-results/e2e-ui',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  // Real backups on a 2-CPU machine: one at a time keeps timings honest.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    viewport: { width: 1280, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: existsSync(debianChromium)
      ? {
          executablePath: debianChromium,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        }
      : {},
  },
});
