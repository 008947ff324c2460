/**
 * The "when" step's cron expression: a bad one is refused in place as it is typed (and "Next"
 * says why), a good one lists its next runs and the RPO they imply, and the job is created with
 * that cron schedule. Screenshots at the app's default size and at 640x400.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { AppState } from '../../shared/contract';
import { openApp, screenshot } from './fixtures';
import { tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

test('a cron schedule: error in place, next runs, job created with it', async ({ page }) => {
  const root = tempDir('strata-ui-cron-');
  const src = path.join(root, 'Notes');
  const dest = path.join(root, 'drive', 'strata');
  writeTree(src, { 'a.txt': 'a\n' });
  mkdirSync(path.dirname(dest));
  const host = await createRealHost();
  const app = await openApp(page, host);
  try {
    await page.getByRole('button', { name: /Create your first backup/ }).click();
    host.pickFolderQueue.push(src);
    await page.getByRole('button', { name: 'Add a folder…' }).click();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Notes');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Folder', { exact: true }).fill(dest);
    await page.getByLabel('Folder', { exact: true }).press('Tab');
    await expect(page.locator('#where-verdict')).toContainText('Strata will create this folder');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Password again').fill('correct horse battery staple');
    await page.getByLabel('I have kept the password somewhere safe').check();
    await page.getByRole('button', { name: 'Next' }).click();

    // When: custom -> cron
    await page.getByLabel('Custom: minutes or cron').check();
    await page.getByLabel('A cron expression', { exact: true }).check();
    const cron = page.getByLabel(/Cron expression/);
    const status = page.locator('#cron-status');
    await cron.fill('61 * * * *');
    await expect(status).toContainText('Minute 61 is out of range (0-59).');
    await expect(cron).toHaveAttribute('aria-invalid', 'true');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert')).toContainText('The cron expression cannot be used');
    await expect(page.getByRole('heading', { name: 'When should it run?' })).toBeVisible();
    await screenshot(page, '60-cron-invalid');

    await cron.fill('*/2 * * * *');
    await expect(status).toContainText('more often than every 5 minutes');

    await cron.fill('30 2 * * 1-5');
    const runs = page.getByRole('list', { name: 'Next runs' }).locator('li');
    await expect(runs).toHaveCount(5);
    await expect(runs.first()).toContainText('02:30');
    await expect(cron).toHaveAttribute('aria-invalid', 'false');
    // The weekend is the longest gap (72 h): warn after 74 hours ("3 days" in words).
    await expect(page.getByText(/older than 3 days/)).toBeVisible();
    await expect(page.getByLabel(/Warn me when the newest backup is older than/)).toHaveValue('74');
    await screenshot(page, '61-cron-valid');
    await page.setViewportSize({ width: 640, height: 400 });
    await screenshot(page, '61b-cron-valid-640');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'Check and create' })).toBeVisible();
    await expect(page.locator('.review')).toContainText('cron "30 2 * * 1-5"');
    await page.getByRole('button', { name: 'Create and back up now' }).click();
    await page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(page.getByRole('heading', { name: 'Notes' })).toBeVisible();

    const state = await host.test.api.call('state.get', {});
    const job = (state as AppState).jobs[0]!.job;
    expect(job.schedule).toEqual({ kind: 'cron', expression: '30 2 * * 1-5' });
    expect(job.rpoHours).toBe(74);
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
