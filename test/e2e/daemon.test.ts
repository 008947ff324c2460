/**
 * `strata daemon` as a server runs it: `--once` runs what is due and exits (cron), and a
 * long-running daemon stops cleanly on SIGTERM in the middle of a backup, leaving a repository
 * that checks clean. Real processes, real repositories, a real catalog file.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonLines, STRATA_BIN } from '../helpers/cli';
import { jobWorkspace, type JobWorkspace } from '../helpers/jobs';

let w: JobWorkspace;

beforeEach(async () => {
  w = await jobWorkspace();
});
afterEach(() => w.cleanup());

async function addJob(id: string, src: string, schedule: string): Promise<string> {
  const dest = join(w.dir, `dest-${id}`);
  const r = await w.run([
    'job', 'add', '--id', id, '--name', id, '--source', src, '--destination', dest,
    '--password-file', w.passwordFile, '--init', '--kdf-log-n', '10', '--schedule', schedule,
  ]); // prettier-ignore
  expect(r.code, r.stderr).toBe(0);
  return dest;
}

async function snapshotCount(repo: string): Promise<number> {
  const r = await w.run(['snapshots', '--repo', repo, '--password-file', w.passwordFile, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (jsonLines(r.stdout)[0] as unknown as unknown[]).length;
}

describe('strata daemon', () => {
  it('--once runs a job that is due (never run) and records the run', async () => {
    const src = await w.folder('src', { 'a.txt': 'alpha\n' });
    const dest = await addJob('due', src, 'every 5m');
    const manual = await addJob('by-hand', src, 'manual');

    const r = await w.run(['daemon', '--once']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^\S+Z info strata daemon started: 2 job\(s\)/m);
    expect(r.stdout).toMatch(/^\S+Z info job=due backup started \(schedule\)$/m);
    expect(r.stdout).toMatch(
      /^\S+Z info job=due backup finished: ok .*due-1 ok snapshot [0-9a-f]{8}/m,
    );
    expect(r.stdout).toMatch(/strata daemon stopped$/m);
    expect(r.stdout).not.toContain('job=by-hand backup');
    expect(await snapshotCount(dest)).toBe(1);
    expect(await snapshotCount(manual)).toBe(0);

    const shown = await w.json<{ runs: { kind: string; outcome: string; snapshotId: string }[] }>([
      'job',
      'show',
      'due',
    ]);
    const backups = shown.runs.filter((x) => x.kind === 'backup');
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({
      outcome: 'ok',
      snapshotId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    // Now it ran, it is not due again for five minutes: a second tick starts no backup.
    const again = await w.run(['daemon', '--once']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).not.toContain('backup started');
    expect(await snapshotCount(dest)).toBe(1);
  });

  it('--once fails (exit 1) with a message when no password can be found, and never prompts', async () => {
    const src = await w.folder('src', { 'a.txt': 'alpha\n' });
    await addJob('nopw', src, 'every 5m');
    // The job forgets its password file: the daemon has no keychain here and nobody to ask.
    const r0 = await w.run(['job', 'export', 'nopw']);
    const envelope = JSON.parse(r0.stdout);
    delete envelope.jobs[0].destinations[0].passwordFile;
    const file = join(w.dir, 'nopw.json');
    await writeFile(file, JSON.stringify(envelope));
    expect((await w.run(['job', 'import', file, '--replace'])).code).toBe(0);

    const r = await w.run(['daemon', '--once'], {
      env: { DBUS_SESSION_BUS_ADDRESS: undefined, STRATA_PASSWORD: 'ignored-by-the-daemon' },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /error job=nopw nopw-1: The repository password of destination "nopw-1" is needed and none was entered .*Choose a password file/,
    );
  });

  it('stops on SIGTERM during a backup: exit 0, a log line, a repository that checks clean', async () => {
    const src = await w.folder('big');
    // 150 MiB of incompressible data: long enough to be caught in the middle.
    for (let i = 0; i < 15; i++) await writeFile(join(src, `f${i}`), randomBytes(10 << 20));
    const dest = await addJob('big', src, 'every 5m');

    const child = spawn(
      process.execPath,
      [STRATA_BIN, 'daemon', '--tick-seconds', '1', '--workers', '1'],
      { env: { ...process.env, ...w.env, STRATA_PASSWORD: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((done) =>
      child.on('close', (code) => done({ code, at: Date.now() })),
    );
    // SIGTERM once the first progress line says the backup is under way.
    const inBackup = new Promise<void>((done) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/job=big big-1: backing-up/.test(stdout)) done();
      }),
    );
    await Promise.race([inBackup, exited]);
    const sent = Date.now();
    child.kill('SIGTERM');
    const { code, at } = await exited;
    expect(code, stdout + stderr).toBe(0);
    expect(at - sent).toBeLessThan(10_000);
    expect(stdout).toMatch(
      /info SIGTERM received: stopping; cancelling big \(what was stored is kept/,
    );
    expect(stdout).toMatch(/warning job=big backup finished: cancelled/);
    expect(stdout).toMatch(/strata daemon stopped\n$/);

    const check = await w.run(['check', '--repo', dest, '--password-file', w.passwordFile]);
    expect(check.code, check.stderr + check.stdout).toBe(0);
    expect(check.stdout).toContain('no errors were found');
    expect(await snapshotCount(dest)).toBe(0);
    const shown = await w.json<{ runs: { outcome: string }[] }>(['job', 'show', 'big']);
    expect(shown.runs[0]).toMatchObject({ outcome: 'cancelled' });
  });
});
