/**
 * The story, as a person would do it: the wizard creates a job to a temp folder; the
 * first backup runs with visible progress; a file is changed; a second backup; the timeline
 * shows two snapshots and two versions of the file; the old version is restored to another
 * folder and to the original place with "keep both"; the bytes match. Screenshots of every
 * screen go to test-results/screens.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openApp, screenshot } from './fixtures';
import { findFiles, tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

const V1 = 'version one of the notes\n';
const V2 = 'version two of the notes, a little longer\n';

async function waitUpToDate(page: Page): Promise<void> {
  await expect(page.locator('.badge').first()).toHaveText(/Up to date|Warnings/, {
    timeout: 120_000,
  });
}

test('wizard, two backups, timeline, restore elsewhere and in place with keep both', async ({
  page,
}) => {
  const root = tempDir('strata-ui-story-');
  const src = path.join(root, 'Documents');
  const dest = path.join(root, 'backup-drive', 'strata');
  const elsewhere = path.join(root, 'restored');
  writeTree(src, {
    'docs/notes.txt': V1,
    'photos/big.bin': randomBytes(48 * 1024 * 1024),
    'project/node_modules/lib/index.js': 'module.exports = 1;\n',
  });
  mkdirSync(path.dirname(dest)); // the drive is there; Strata creates its folder on it
  const host = await createRealHost();
  const app = await openApp(page, host);
  try {
    // What
    await page.getByRole('button', { name: /Create your first backup/ }).click();
    host.pickFolderQueue.push(src);
    await page.getByRole('button', { name: 'Add a folder…' }).click();
    await expect(page.getByText(/files? in \d+ folders?/)).toBeVisible();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Documents');
    await screenshot(page, '02-wizard-what');
    await page.getByRole('button', { name: 'Next' }).click();

    // Where
    await page.getByLabel('Folder', { exact: true }).fill(dest);
    await page.getByLabel('Folder', { exact: true }).press('Tab');
    await expect(page.locator('#where-verdict')).toContainText('Strata will create this folder');
    await screenshot(page, '03-wizard-where');
    await page.getByRole('button', { name: 'Next' }).click();

    // Protection: mismatched first, then right
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Password again').fill('correct horse battery stapel');
    await expect(page.getByText('The two passwords differ')).toBeVisible();
    await page.getByLabel('Password again').fill('correct horse battery staple');
    await page.getByLabel('I have kept the password somewhere safe').check();
    await screenshot(page, '04-wizard-protection');
    await page.getByRole('button', { name: 'Next' }).click();

    // When, Keep, Review
    await page.getByLabel('Every day').check();
    await expect(page.getByText(/you could lose about a day of work/)).toBeVisible();
    await screenshot(page, '05-wizard-when');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByText(/this keeps \d+ and\s+removes \d+/)).toBeVisible();
    await screenshot(page, '06-wizard-keep');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'Check and create' })).toBeVisible();
    await screenshot(page, '07-wizard-review');
    await page.getByRole('button', { name: 'Create and back up now' }).click();

    // The recovery key, shown once
    await expect(page.getByRole('heading', { name: 'Save your recovery key' })).toBeVisible();
    await expect(page.getByLabel('Recovery key', { exact: true })).toHaveText(
      /^([0-9A-Z]{5}-){7}[0-9A-Z]{5}$/,
    );
    await screenshot(page, '07b-recovery-key');
    await page.getByRole('button', { name: 'I have saved it' }).click();

    // First backup, with progress on the card
    await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
    const progress = page.getByTestId('progress');
    const sawProgress = await progress
      .waitFor({ state: 'visible', timeout: 20_000 })
      .then(() => true)
      .catch(() => false);
    if (sawProgress) await screenshot(page, '08-dashboard-progress');
    await waitUpToDate(page);
    expect(host.test.events.some((e) => e.type === 'progress')).toBe(true);
    expect(sawProgress).toBe(true);
    await screenshot(page, '09-dashboard-done');

    // Change the file, second backup
    writeFileSync(path.join(src, 'docs/notes.txt'), V2);
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(page.getByRole('button', { name: 'Back up now' })).toBeVisible({
      timeout: 120_000,
    });
    await waitUpToDate(page);
    await page.getByRole('button', { name: 'History and logs' }).click();
    await expect(page.getByRole('list', { name: 'Run history' }).locator('li')).toHaveCount(2, {
      timeout: 30_000,
    });
    await screenshot(page, '10-dashboard-history');

    // Timeline: two snapshots, two versions of the file
    await page.getByRole('button', { name: 'Browse versions' }).click();
    await expect(page.getByTestId('snapshot-count')).toHaveText('2 snapshots');
    await page.getByRole('button', { name: 'docs/' }).click();
    await page.getByRole('button', { name: 'notes.txt' }).click();
    await expect(page.getByTestId('version')).toHaveCount(2);
    await screenshot(page, '11-timeline-versions');

    // The older snapshot keeps the folder we are in
    await page.getByTestId('snapshots').getByRole('button').last().click();
    await expect(page.getByRole('button', { name: 'notes.txt' })).toBeVisible();

    // Diff of the two snapshots
    await page.getByLabel('Compare with').selectOption({ index: 1 });
    await expect(page.getByTestId('diff')).toContainText('Changed: 1');
    await screenshot(page, '12-timeline-diff');

    // Restore the old version to another folder
    await page
      .getByTestId('version')
      .last()
      .getByRole('button', { name: /Restore this version/ })
      .click();
    await page.getByLabel('Another folder').check();
    host.pickFolderQueue.push(elsewhere);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect(page.getByTestId('restore-preview')).toContainText('1 file');
    await screenshot(page, '13-restore-elsewhere');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(page.getByTestId('restore-summary')).toContainText('1 file restored');
    await screenshot(page, '14-restore-summary');
    const restored = findFiles(elsewhere, (n) => n === 'notes.txt');
    expect(restored).toHaveLength(1);
    expect(readFileSync(restored[0]!, 'utf8')).toBe(V1);

    // And to the original place, keeping both
    await page.getByRole('button', { name: 'Back to the timeline' }).click();
    await page.getByRole('button', { name: 'docs/' }).click();
    await page.getByRole('button', { name: 'notes.txt' }).click();
    await page
      .getByTestId('version')
      .last()
      .getByRole('button', { name: /Restore this version/ })
      .click();
    await page.getByLabel('Where they were backed up from').check();
    await page.getByLabel(/Keep both/).check();
    await expect(page.getByTestId('restore-preview')).toContainText('1 kept beside');
    await screenshot(page, '15-restore-keep-both-preview');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(page.getByTestId('restore-summary')).toContainText('Kept both');
    await screenshot(page, '16-restore-keep-both-summary');
    const copies = findFiles(path.join(src, 'docs'), (n) => n.startsWith('notes'));
    expect(copies).toHaveLength(2);
    const original = path.join(src, 'docs/notes.txt');
    expect(readFileSync(original, 'utf8')).toBe(V2);
    const other = copies.find((c) => c !== original)!;
    expect(readFileSync(other, 'utf8')).toBe(V1);

    // Settings
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Dark').check();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await screenshot(page, '17-settings-dark');
    await page.getByLabel('Follow the system').check();
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
