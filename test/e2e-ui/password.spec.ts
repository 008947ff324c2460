/**
 * A password the user chose not to remember is gone after a restart: the job's card says
 * "Password needed" with a field, and once the password is entered "Back up now" works again.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

test('a password not remembered is asked for on the card after a restart', async ({ page }) => {
  const root = tempDir('strata-ui-password-');
  const home = path.join(root, 'home');
  const src = path.join(root, 'Notes');
  const repo = path.join(root, 'drive', 'strata');
  writeTree(src, { 'a.txt': 'a\n' });
  mkdirSync(home);
  mkdirSync(path.dirname(repo));
  const before = await createRealHost({ home });
  await before.test.api.call('jobs.create', {
    job: {
      id: 'notes',
      name: 'Notes',
      sources: [src],
      destinations: [{ id: 'notes-1', type: 'local', path: repo }],
      schedule: { kind: 'manual' },
    },
    password: 'only in my head',
    remember: false,
    createRepository: true,
  });
  await before.close();
  // Strata restarts: the session's memory is gone.
  const host = await createRealHost({ home });
  const app = await openApp(page, host);
  try {
    const card = page.getByRole('article', { name: 'Notes' });
    const prompt = card.getByRole('form', { name: 'Password needed' });
    await expect(prompt).toBeVisible();
    await screenshot(page, '30-password-needed');
    await prompt.getByLabel('Password', { exact: true }).fill('wrong guess');
    await prompt.getByLabel('Remember in the keychain').uncheck();
    await prompt.getByRole('button', { name: 'Unlock and back up' }).click();
    await expect(prompt.getByRole('alert')).toContainText('Type the password again');
    await prompt.getByLabel('Password', { exact: true }).fill('only in my head');
    await prompt.getByRole('button', { name: 'Unlock and back up' }).click();
    await expect(prompt).toBeHidden();
    await expect(card.locator('.badge')).toHaveText('Up to date', { timeout: 60_000 });
    await card.getByRole('button', { name: 'Back up now' }).click();
    await expect(card.locator('.badge')).toHaveText('Up to date', { timeout: 60_000 });
    await expect(card.getByTestId('run-error')).toHaveCount(0);
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
