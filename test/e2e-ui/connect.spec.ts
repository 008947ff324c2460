/**
 * "I already have a backup", on a new computer: a repository made beforehand by another
 * computer (its own HOME and catalog; its source folder then gone) is connected through the
 * welcome screen's second door: a folder without a backup is refused in place, a wrong password
 * is said in place, the backup's contents are shown, a job is connected to it (no new
 * repository), its snapshot appears in the timeline, and a file is restored to another folder
 * with the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { AppState } from '../../shared/contract';
import { openApp, screenshot } from './fixtures';
import { findFiles, tempDir, writeTree } from './files';
import { createRealHost } from './real-host';

const PASSWORD = 'the old laptop password';

/** A screenshot at the smallest window Strata supports (640x400), then back to the default. */
async function atSmallSize(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 640, height: 400 });
  await screenshot(page, name);
  await page.setViewportSize({ width: 1280, height: 860 });
}

/** Another computer (its own HOME and catalog) makes the repository, and backs up once if asked. */
async function oldComputer(
  root: string,
  src: string,
  repo: string,
  o: { readonly backUp: boolean },
): Promise<void> {
  const old = await createRealHost({ home: path.join(root, 'old-home') });
  await old.test.api.call('jobs.create', {
    job: {
      id: 'docs',
      name: 'Documents',
      sources: [src],
      destinations: [{ id: 'docs-1', type: 'local', path: repo }],
      schedule: { kind: 'manual' },
    },
    password: PASSWORD,
    createRepository: true,
  });
  if (o.backUp) {
    await old.test.api.call('jobs.runNow', { jobId: 'docs' });
    await expect
      .poll(() => old.test.events.find((e) => e.type === 'run-finished'), { timeout: 60_000 })
      .toMatchObject({ result: { outcome: 'ok' } });
    await old.test.api.idle();
  }
  await old.close();
}

test('connect to an existing backup, browse it and restore a file', async ({ page }) => {
  const root = tempDir('strata-ui-connect-');
  const src = path.join(root, 'old-laptop', 'Documents');
  const repo = path.join(root, 'drive', 'strata');
  const newDocs = path.join(root, 'new-laptop', 'Documents');
  const elsewhere = path.join(root, 'restored');
  const notes = Buffer.concat([Buffer.from('notes from the old laptop\n'), randomBytes(300_000)]);
  writeTree(src, { 'docs/notes.txt': notes, 'todo.txt': 'buy milk\n' });
  mkdirSync(path.dirname(repo));
  mkdirSync(newDocs, { recursive: true });

  // The old computer: a job, one backup, then it is gone (and so is its folder).
  await oldComputer(root, src, repo, { backUp: true });
  rmSync(path.join(root, 'old-laptop'), { recursive: true, force: true });
  const keysBefore = readdirSync(path.join(repo, 'keys')).sort();

  const host = await createRealHost();
  const app = await openApp(page, host);
  try {
    await page.getByRole('button', { name: /Restore from a previous backup/ }).click();
    await expect(
      page.getByRole('heading', { name: 'Connect to an existing backup' }),
    ).toBeVisible();

    // A folder without a backup is refused in place.
    const folder = page.getByLabel('Folder', { exact: true });
    await folder.fill(newDocs);
    await folder.press('Tab');
    await expect(page.locator('#connect-verdict')).toContainText(
      'There is no Strata backup in this folder',
    );
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
    await screenshot(page, '50-connect-no-backup');

    host.pickFolderQueue.push(repo);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect(folder).toHaveValue(repo);
    await expect(page.locator('#connect-verdict')).toHaveText('This folder holds a Strata backup.');
    await page.getByRole('button', { name: 'Next' }).click();

    // A wrong password is said in place; nothing moves on.
    const password = page.getByLabel('Password', { exact: true });
    await password.fill('the new laptop password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toContainText('This password does not open the backup');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await screenshot(page, '51-connect-wrong-password');
    await atSmallSize(page, '51b-connect-wrong-password-640');

    await password.fill(PASSWORD);
    await password.press('Enter');
    const summary = page.getByTestId('repository-summary');
    await expect(summary).toContainText('1 snapshot');
    await expect(summary).toContainText(hostname());
    await expect(summary).toContainText(src);
    await expect(page.getByText(/is not on this computer/)).toBeVisible();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Documents');
    await screenshot(page, '52-connect-contents');
    await atSmallSize(page, '52b-connect-contents-640');

    // Its folder is not here: the user picks where Documents live on this computer.
    await page.getByRole('button', { name: 'Connect and browse' }).click();
    await expect(page.getByRole('alert')).toContainText('Choose at least one folder');
    host.pickFolderQueue.push(newDocs);
    await page.getByRole('button', { name: 'Add a folder…' }).click();
    await expect(page.getByLabel(newDocs)).toBeChecked();
    await page.getByRole('button', { name: 'Connect and browse' }).click();

    // The timeline shows the old computer's snapshot.
    await expect(page.getByTestId('snapshot-count')).toHaveText('1 snapshot', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'docs/' })).toBeVisible();
    await screenshot(page, '53-connect-timeline');
    await atSmallSize(page, '53b-connect-timeline-640');
    const state = (await host.test.api.call('state.get', {})) as AppState;
    expect(state.jobs.map((j) => j.job.sources)).toEqual([[newDocs]]);
    // Connected, not created: the repository's keys are as they were (no recovery key added).
    expect(readdirSync(path.join(repo, 'keys')).sort()).toEqual(keysBefore);

    await page.getByRole('button', { name: 'docs/' }).click();
    await page.getByRole('button', { name: 'notes.txt' }).click();
    await page
      .getByTestId('version')
      .first()
      .getByRole('button', { name: /Restore this version/ })
      .click();
    await page.getByLabel('Another folder').check();
    host.pickFolderQueue.push(elsewhere);
    await page.getByRole('button', { name: 'Choose…' }).click();
    await expect(page.getByTestId('restore-preview')).toContainText('1 file');
    await atSmallSize(page, '54a-connect-restore-640');
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await expect(page.getByTestId('restore-summary')).toContainText('1 file restored');
    await screenshot(page, '54-connect-restored');
    const restored = findFiles(elsewhere, (n) => n === 'notes.txt');
    expect(restored).toHaveLength(1);
    expect(readFileSync(restored[0]!).equals(notes)).toBe(true);

    // The connected job on the dashboard: a card like any other.
    await page.getByRole('button', { name: 'Backups' }).click();
    await expect(page.getByRole('heading', { name: 'Documents' })).toBeVisible();
    // Its status counts the old computer's snapshot: not "Not backed up yet".
    await expect(page.locator('.badge').first()).toHaveText('Up to date');
    await atSmallSize(page, '55-connect-dashboard-640');
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the wizard offers to connect when the chosen folder already holds a backup', async ({
  page,
}) => {
  const root = tempDir('strata-ui-connect-offer-');
  const src = path.join(root, 'Documents');
  const repo = path.join(root, 'drive', 'strata');
  writeTree(src, { 'a.txt': 'a\n' });
  mkdirSync(path.dirname(repo));
  await oldComputer(root, src, repo, { backUp: false });
  const host = await createRealHost();
  const app = await openApp(page, host);
  try {
    await page.getByRole('button', { name: /Create your first backup/ }).click();
    host.pickFolderQueue.push(src);
    await page.getByRole('button', { name: 'Add a folder…' }).click();
    await expect(page.getByLabel('Name of this backup')).toHaveValue('Documents');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel('Folder', { exact: true }).fill(repo);
    await page.getByLabel('Folder', { exact: true }).press('Tab');
    await expect(page.locator('#where-verdict')).toContainText('already holds a Strata backup');
    await page.getByRole('button', { name: 'connect to it instead' }).click();
    await expect(
      page.getByRole('heading', { name: 'Connect to an existing backup' }),
    ).toBeVisible();
    await expect(page.getByLabel('Folder', { exact: true })).toHaveValue(repo);
    await expect(page.locator('#connect-verdict')).toHaveText('This folder holds a Strata backup.');
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { name: 'Unlock the backup' })).toBeVisible();
  } finally {
    await app.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
});
