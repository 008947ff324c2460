/** The build, the bridge and the shell: the first-run page loads and the wizard opens. */
import { expect, test } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { createStubHost } from './stub-host';

test('first run shows the two doors and the wizard opens on "what"', async ({ page }) => {
  const host = createStubHost();
  const app = await openApp(page, host);
  try {
    await expect(page.getByRole('heading', { name: 'Welcome to Strata' })).toBeVisible();
    await screenshot(page, '00-welcome');
    await page.getByRole('button', { name: /Create your first backup/ }).click();
    await expect(page.getByRole('heading', { name: 'What do you want to back up?' })).toBeVisible();
    // Next without a folder says what is missing, where it is.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('alert')).toContainText('Add at least one folder');
    await screenshot(page, '01-wizard-empty');
  } finally {
    await app.close();
    await host.close();
  }
});
