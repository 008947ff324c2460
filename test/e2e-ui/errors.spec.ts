/**
 * Errors are shown where they happen, with what to do: a destination folder that cannot be
 * created (the drive is missing), a wrong password for an existing backup, and a before-hook
 * that fails.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

test('missing destination, wrong password and a failing before-hook each say what to do', async ({
  page,
}) => {
  const root = tempDir('strata-ui-errors-');
  const src = path.join(root, 'Work');
  const repo = path.join(root, 'drive', 'strata');
  writeTree(src, { 'a.txt': 'a\n' });
  mkdirSync(path.dirname(repo));
  const host = await createRealHost();
  // An existing backup, made earlier (as the CLI or another computer would have).
  await host.test.api.call('jobs.create', {
    job: {
      id: 'db',
      name: 'Database',
      sources: [src],
      destinations: [{ id: 'db-1', type: 'local', path: repo }],
      schedule: { kind: 'manual' },
      hooks: { before: [{ command: 'echo "database is busy" >&2; exit 3' }], after: [] },
    },
    password: 'the right password',
    createRepository: true,
  });
  const app = await openApp(page, host);
  try {
    // A failing before-hook: the card says the backup failed and why.
    const card = page.getByRole('article', { name: 'Database' });
    await card.getByRole('button', { name: 'Back up now' }).click();
    await expect(card.getByTestId('run-error')).toContainText(/before|hook|exit|3/i, {
      timeout: 60_000,
    });
    await expect(card.getByTestId('run-error')).toContainText('The last backup failed');
    await screenshot(page, '20-error-before-hook');

    // A destination whose drive is not there.
    await page.getByRole('button', { name: 'New backup…' }).click();
    host.pickFolderQueue.push(src);
    await page.getByRole('button', { name: 'Add a folder…' }).click();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Work');
    await page.getByRole('button', { name: 'Next' }).click();
    const missing = path.join(root, 'unplugged-drive', 'strata');
    await page.getByLabel('Folder', { exact: true }).fill(missing);
    await page.getByLabel('Folder', { exact: true }).press('Tab');
    await expect(page.locator('#where-verdict')).toContainText('does not exist');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert')).toContainText('is the drive connected?');
    await screenshot(page, '21-error-missing-destination');

    // The existing backup's folder with a wrong password.
    await page.getByLabel('Folder', { exact: true }).fill(repo);
    await page.getByLabel('Folder', { exact: true }).press('Tab');
    await expect(page.locator('#where-verdict')).toContainText('already holds a Strata backup');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock the existing backup' })).toBeVisible();
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Create and back up now' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock the existing backup' })).toBeVisible();
    const alert = page.getByRole('alert').filter({ hasText: 'could not be created' });
    await expect(alert).toContainText(/password/i);
    await expect(alert).toContainText('Type the password again');
    await screenshot(page, '22-error-wrong-password');
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
