/**
 * A job's card edits it in the wizard, pre-filled (name, schedule), saved with jobs.update; and
 * removes it after asking, the backups in the destination kept.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

test('edit a job in the wizard, then remove it keeping its backups', async ({ page }) => {
  const root = tempDir('strata-ui-edit-');
  const src = path.join(root, 'Music');
  const repo = path.join(root, 'drive', 'strata');
  writeTree(src, { 'song.txt': 'la\n' });
  mkdirSync(path.dirname(repo));
  const host = await createRealHost();
  await host.test.api.call('jobs.create', {
    job: {
      id: 'music',
      name: 'Music',
      sources: [src],
      excludes: ['*.tmp'],
      destinations: [{ id: 'music-1', type: 'local', path: repo }],
      schedule: { kind: 'daily', at: '09:30' },
      hooks: { before: [{ command: 'true' }], after: [] },
    },
    password: 'pw',
    createRepository: true,
  });
  const app = await openApp(page, host);
  try {
    let card = page.getByRole('article', { name: 'Music' });
    await card.getByRole('button', { name: 'Edit…' }).click();
    await expect(page.getByRole('heading', { name: 'Edit backup' })).toBeVisible();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Music');
    await page.getByLabel('Name of this backup').fill('Music and more');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByLabel('Every day')).toBeChecked();
    await page.getByLabel('Every hour').check();
    for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    card = page.getByRole('article', { name: 'Music and more' });
    await expect(card).toBeVisible();
    const saved = (await host.test.api.state()).jobs[0]!.job;
    expect(saved).toMatchObject({
      id: 'music',
      name: 'Music and more',
      excludes: ['*.tmp'],
      schedule: { kind: 'interval', minutes: 60 },
      hooks: { before: [{ command: 'true' }] },
    });

    await card.getByRole('button', { name: 'Remove…' }).click();
    const ask = card.getByRole('alertdialog');
    await expect(ask).toContainText('are kept');
    await screenshot(page, '31-remove-job');
    await ask.getByRole('button', { name: 'Keep it' }).click();
    await expect(card).toBeVisible();
    await card.getByRole('button', { name: 'Remove…' }).click();
    await card.getByRole('button', { name: 'Remove the job' }).click();
    await expect(page.getByRole('heading', { name: 'Welcome to Strata' })).toBeVisible();
    expect((await host.test.api.state()).jobs).toHaveLength(0);
    expect(existsSync(path.join(repo, 'config'))).toBe(true);
    expect(readdirSync(path.join(repo, 'keys')).length).toBeGreaterThan(0);
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
