/// <reference lib="dom" />
/**
 * 200% zoom and keyboard only. A 1280x800 window at 200% zoom lays out like a 640x400 one, so
 * the screens are drawn at 640x400 and must not scroll sideways; the wizard's first steps are
 * driven with Tab, Enter and Space alone.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

test.use({ viewport: { width: 640, height: 400 } });

async function noSideScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => {
    const el = document.scrollingElement!;
    return { scroll: el.scrollWidth, client: el.clientWidth };
  });
  expect(scroll).toBeLessThanOrEqual(client);
}

/** Presses Tab until the focused element's text or label matches `name`. */
async function tabTo(page: Page, name: RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const labelled = el?.closest('label')?.textContent ?? '';
      return `${el?.getAttribute('aria-label') ?? ''} ${el?.textContent ?? ''} ${labelled}`;
    });
    if (name.test(label)) return;
  }
  throw new Error(`Tab never reached ${name}`);
}

test('at 200% zoom nothing scrolls sideways, and the wizard works from the keyboard', async ({
  page,
}) => {
  const root = tempDir('strata-ui-zoom-');
  const src = path.join(root, 'Pictures');
  const repo = path.join(root, 'drive', 'strata');
  writeTree(src, { 'holiday/beach.txt': 'sand\n', 'a-rather-long-file-name-here.txt': 'x\n' });
  mkdirSync(path.dirname(repo));
  const host = await createRealHost();
  await host.test.api.call('jobs.create', {
    job: {
      id: 'pics',
      name: 'Pictures',
      sources: [src],
      destinations: [{ id: 'pics-1', type: 'local', path: repo }],
      schedule: { kind: 'daily', at: '10:00' },
    },
    password: 'pw',
    createRepository: true,
  });
  const app = await openApp(page, host);
  try {
    const card = page.getByRole('article', { name: 'Pictures' });
    await card.getByRole('button', { name: 'Back up now' }).click();
    await expect(card.locator('.badge')).toHaveText('Up to date', { timeout: 60_000 });
    await screenshot(page, '40-zoom-dashboard');
    await noSideScroll(page);

    await card.getByRole('button', { name: 'Browse versions' }).click();
    await expect(page.getByRole('heading', { name: /Timeline|Pictures/ }).first()).toBeVisible();
    await screenshot(page, '41-zoom-timeline');
    await noSideScroll(page);

    // Keyboard only from here: the dashboard's "New backup…", then the wizard's first steps.
    await page.getByRole('button', { name: 'Backups' }).click();
    await page.locator('body').focus();
    await tabTo(page, /New backup/);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'New backup' })).toBeVisible();
    host.pickFolderQueue.push(src);
    await tabTo(page, /Add a folder/);
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Pictures');
    await screenshot(page, '42-zoom-wizard-what');
    await noSideScroll(page);
    await tabTo(page, /^\s*Next\s*$/);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /Where/ })).toBeVisible();
    await tabTo(page, /Folder/);
    await page.keyboard.type(path.join(root, 'second-drive'));
    await tabTo(page, /^\s*Next\s*$/);
    await expect(page.locator('#where-verdict')).toContainText('Strata will create this folder');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: /password/i }).first()).toBeVisible();
    await tabTo(page, /^\s*Password\s*$/);
    await page.keyboard.type('a long keyboard-only passphrase');
    await tabTo(page, /Password again/);
    await page.keyboard.type('a long keyboard-only passphrase');
    await tabTo(page, /I have kept the password/);
    await page.keyboard.press('Space');
    await expect(page.getByLabel('I have kept the password somewhere safe')).toBeChecked();
    await screenshot(page, '43-zoom-wizard-protection');
    await noSideScroll(page);
    await tabTo(page, /^\s*Next\s*$/);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'When should it run?' })).toBeVisible();
    await noSideScroll(page);
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
