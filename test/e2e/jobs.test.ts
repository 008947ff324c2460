/**
 * `strata job ...` as a user drives it: real CLI processes, real repositories and a real
 * catalog file in a temporary folder. Passwords come from files (mode 0600), so no keychain is
 * needed, except in the one test that proves a typed password lands in the keychain (a private
 * D-Bus session with gnome-keyring; skipped, saying what is missing, without them).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../shared/jobs';
import { jsonLines, STRATA_BIN } from '../helpers/cli';
import { jobWorkspace, type JobWorkspace } from '../helpers/jobs';
import { KEYRING_PASSWORD, keyringToolsMissing } from '../helpers/keyring';

let w: JobWorkspace;
let src: string;

beforeEach(async () => {
  w = await jobWorkspace();
  src = await w.folder('src', { 'a.txt': 'alpha\n', 'b.log': 'skip me\n' });
});
afterEach(() => w.cleanup());

/** Adds a job backing up `src` to a new repository under the workspace. */
async function addJob(id: string, extra: readonly string[] = []) {
  return w.run([
    'job',
    'add',
    '--id',
    id,
    '--name',
    `Job ${id}`,
    '--source',
    src,
    '--destination',
    join(w.dir, `dest-${id}`),
    '--password-file',
    w.passwordFile,
    '--init',
    '--kdf-log-n',
    '10',
    '--schedule',
    'daily 02:30',
    ...extra,
  ]);
}

async function snapshotCount(repo: string): Promise<number> {
  const r = await w.run(['snapshots', '--repo', repo, '--password-file', w.passwordFile, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (jsonLines(r.stdout)[0] as unknown as unknown[]).length;
}

async function catalogBytes(): Promise<Buffer> {
  const dir = join(w.dir, 'state');
  const files = await readdir(dir);
  return Buffer.concat(await Promise.all(files.map((f) => readFile(join(dir, f)))));
}

describe('strata job: add, list, show, edit, remove, export, import', () => {
  it('round-trips a job through every subcommand', async () => {
    const added = await addJob('docs', [
      '--exclude',
      '*.log',
      '--before',
      'true',
      '--rpo-hours',
      '30',
    ]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('added job docs');
    expect(added.stdout).toContain('new repository at');

    const list = await w.run(['job', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/docs\s+Job docs\s+daily at 02:30/);
    const listed = await w.json<{ jobs: { job: Job; status: { state: string } }[] }>([
      'job',
      'list',
    ]);
    expect(listed.jobs.map((j) => j.job.id)).toEqual(['docs']);
    expect(listed.jobs[0]!.status.state).toBe('never');

    const shown = await w.json<{ job: Job; runs: unknown[] }>(['job', 'show', 'docs']);
    expect(shown.job).toMatchObject({
      id: 'docs',
      name: 'Job docs',
      sources: [src],
      excludes: ['*.log'],
      schedule: { kind: 'daily', at: '02:30' },
      rpoHours: 30,
      hooks: { before: [{ command: 'true', timeoutSeconds: 300 }], after: [] },
      destinations: [
        {
          id: 'docs-1',
          type: 'local',
          path: join(w.dir, 'dest-docs'),
          passwordFile: w.passwordFile,
        },
      ],
    });
    expect(shown.runs).toEqual([]);
    const text = await w.run(['job', 'show', 'docs']);
    expect(text.stdout).toContain('password: file ' + w.passwordFile);

    const edited = await w.run([
      'job',
      'edit',
      'docs',
      '--name',
      'Documents',
      '--schedule',
      'weekly mon,wed 21:00',
      '--retention',
      'keep-all',
      '--notify-success',
    ]);
    expect(edited.code, edited.stderr).toBe(0);
    const after = await w.json<{ job: Job }>(['job', 'show', 'docs']);
    expect(after.job).toMatchObject({
      name: 'Documents',
      schedule: { kind: 'weekly', days: [1, 3], at: '21:00' },
      retention: { kind: 'keep-all' },
      notify: { onSuccess: true },
      // Fields not named keep what they had.
      excludes: ['*.log'],
      rpoHours: 30,
      destinations: shown.job.destinations,
    });

    const exportFile = join(w.dir, 'jobs.json');
    const exported = await w.run(['job', 'export', '--output', exportFile]);
    expect(exported.code, exported.stderr).toBe(0);
    const envelope = JSON.parse(await readFile(exportFile, 'utf8'));
    expect(envelope).toMatchObject({ format: 'strata-jobs', version: 1, jobs: [after.job] });
    const toStdout = await w.run(['job', 'export', 'docs']);
    expect(JSON.parse(toStdout.stdout).jobs).toEqual([after.job]);

    const removed = await w.run(['job', 'remove', 'docs']);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(/were not touched/);
    expect((await w.json<{ jobs: unknown[] }>(['job', 'list'])).jobs).toEqual([]);
    // The repository is still there and still opens.
    expect(await snapshotCount(join(w.dir, 'dest-docs'))).toBe(0);
    const gone = await w.run(['job', 'show', 'docs']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('there is no job "docs"');

    const imported = await w.run(['job', 'import', exportFile]);
    expect(imported.code, imported.stderr).toBe(0);
    expect((await w.json<{ job: Job }>(['job', 'show', 'docs'])).job).toEqual(after.job);

    const again = await w.run(['job', 'import', exportFile]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/docs exist already: add --replace/);
    const replaced = await w.run(['job', 'import', exportFile, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(0);
  });

  it('imports all or nothing, naming the field that is wrong', async () => {
    expect((await addJob('one')).code).toBe(0);
    const envelope = JSON.parse((await w.run(['job', 'export'])).stdout);
    const good = { ...envelope.jobs[0], id: 'two' };
    const bad = { ...envelope.jobs[0], id: 'three', name: '' };
    const file = join(w.dir, 'mixed.json');
    await writeFile(file, JSON.stringify({ ...envelope, jobs: [good, bad] }));
    const r = await w.run(['job', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobs.1.name: give the job a name');
    expect(r.stderr).toContain('nothing was imported');
    const ids = (await w.json<{ jobs: { job: Job }[] }>(['job', 'list'])).jobs.map((j) => j.job.id);
    expect(ids).toEqual(['one']);
  });

  it('refuses invalid input with a message that names the field, and exits 1', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--schedule', 'every 2m'],
        /--schedule "every 2m": the interval must be at least 5 minutes/,
      ],
      [['--schedule', 'weekly funday 21:00'], /"funday" is not a day/],
      [['--schedule', 'cron "61 * * * *"'], /--schedule "cron "61 \* \* \* \*"".*minute/],
      [['--rpo-hours', '0'], /invalid job: rpoHours: /],
      [['--retention', 'forever'], /--retention "forever": choose one of time-machine, keep-many/],
      [['--name', '   '], /invalid job: name: give the job a name/],
      [['--hook-timeout', '0', '--before', 'true'], /hooks\.before\.0\.timeoutSeconds/],
    ];
    for (const [extra, message] of cases) {
      const r = await addJob('bad', extra);
      expect(r.code, `${extra.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    // A job JSON with a field the schema does not know (say, a password) is refused whole.
    const file = join(w.dir, 'job.json');
    await writeFile(
      file,
      JSON.stringify({
        id: 'j',
        name: 'J',
        sources: [src],
        destinations: [{ id: 'd', type: 'local', path: join(w.dir, 'dj'), password: 'x' }],
        schedule: { kind: 'manual' },
      }),
    );
    const r = await w.run(['job', 'add', '--from-json', file, '--init']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/invalid job: destinations\.0: .*password/i);
    // Nothing was stored by any of these.
    expect((await w.json<{ jobs: unknown[] }>(['job', 'list'])).jobs).toEqual([]);
  });

  it('keeps the password out of the catalog, the export and the output', async () => {
    const added = await addJob('secret', ['--json']);
    expect(added.code, added.stderr).toBe(0);
    const run = await w.run(['job', 'run', 'secret', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const exported = await w.run(['job', 'export']);
    const show = await w.run(['job', 'show', 'secret', '--json']);
    const needle = Buffer.from(w.password);
    expect((await catalogBytes()).includes(needle)).toBe(false);
    for (const r of [added, run, exported, show]) {
      expect(Buffer.from(r.stdout + r.stderr).includes(needle)).toBe(false);
    }
    // The job names the file, not its content.
    expect(JSON.parse(exported.stdout).jobs[0].destinations[0].passwordFile).toBe(w.passwordFile);
  });

  it('says to add --init when the destination holds no repository', async () => {
    const missing = join(w.dir, 'not-there');
    const r = await w.run([
      'job', 'add', '--name', 'x', '--source', src, '--destination', missing,
      '--password-file', w.passwordFile, '--schedule', 'manual',
    ]); // prettier-ignore
    expect(r.code).toBe(10);
    expect(r.stderr).toContain(`the destination folder ${missing} does not exist`);
    expect(r.stderr).toContain('add --init');
    const empty = await w.folder('empty');
    const r2 = await w.run([
      'job', 'add', '--name', 'x', '--source', src, '--destination', empty,
      '--password-file', w.passwordFile, '--schedule', 'manual',
    ]); // prettier-ignore
    expect(r2.stderr).toContain(`there is no Strata repository in ${empty}: add --init`);
    expect((await w.json<{ jobs: unknown[] }>(['job', 'list'])).jobs).toEqual([]);
  });

  it('refuses a password file that does not open the repository (exit 12)', async () => {
    expect((await addJob('first')).code).toBe(0);
    const wrong = join(w.dir, 'wrong');
    await writeFile(wrong, 'not-the-password', { mode: 0o600 });
    const r = await w.run([
      'job', 'add', '--name', 'again', '--source', src, '--destination', join(w.dir, 'dest-first'),
      '--password-file', wrong, '--schedule', 'manual',
    ]); // prettier-ignore
    expect(r.code).toBe(12);
    expect(r.stderr).toMatch(/wrong password/);
  });
});

describe('strata job run', () => {
  it('backs up every destination and records the run', async () => {
    expect((await addJob('docs', ['--exclude', '*.log'])).code).toBe(0);
    const r = await w.run(['job', 'run', 'docs']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Job docs: ok/);
    expect(r.stdout).toMatch(/docs-1: ok, snapshot [0-9a-f]{8}, 1 new/);
    const repo = join(w.dir, 'dest-docs');
    expect(await snapshotCount(repo)).toBe(1);
    const ls = await w.run([
      'ls',
      'latest',
      src,
      '--repo',
      repo,
      '--password-file',
      w.passwordFile,
    ]);
    expect(ls.stdout).toContain('a.txt');
    expect(ls.stdout).not.toContain('b.log');

    const json = await w.run(['job', 'run', 'docs', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const lines = jsonLines(json.stdout);
    expect(lines.some((l) => l.type === 'progress' && l.phase === 'opening')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', jobId: 'docs', outcome: 'ok' });
    const shown = await w.json<{
      runs: { kind: string; outcome: string }[];
      status: { state: string };
    }>(['job', 'show', 'docs']);
    expect(shown.runs.map((x) => x.outcome)).toEqual(['ok', 'ok']);
    expect(shown.status.state).toBe('ok');
  });

  it('stops at a failing before-hook: exit 1, the hook named, nothing backed up', async () => {
    expect((await addJob('hooked', ['--before', 'exit 3'])).code).toBe(0);
    const r = await w.run(['job', 'run', 'hooked']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('hook "exit 3" failed with exit code 3; nothing was backed up');
    expect(await snapshotCount(join(w.dir, 'dest-hooked'))).toBe(0);
    const shown = await w.json<{ runs: { outcome: string; error: string }[] }>([
      'job',
      'show',
      'hooked',
    ]);
    expect(shown.runs[0]).toMatchObject({
      outcome: 'failed',
      error: expect.stringContaining('exit 3'),
    });
  });

  it('says which drive to connect when the destination folder is missing', async () => {
    expect((await addJob('usb', ['--label', 'USB disk'])).code).toBe(0);
    const dest = join(w.dir, 'dest-usb');
    await rename(dest, dest + '-unplugged');
    const r = await w.run(['job', 'run', 'usb']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `the destination USB disk (${dest}) is not reachable: connect the drive`,
    );
  });

  it('reports a wrong password from the password file', async () => {
    expect((await addJob('pw')).code).toBe(0);
    await writeFile(w.passwordFile, 'changed-behind-our-back', { mode: 0o600 });
    const r = await w.run(['job', 'run', 'pw']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/wrong password: no key of this repository opens with it/);
  });

  it('cancels on SIGINT: exit 130, the run recorded as cancelled, the repository clean', async () => {
    // 150 MiB of incompressible data, one worker: long enough to be caught in the middle.
    for (let i = 0; i < 15; i++) await writeFile(join(src, `big${i}`), randomBytes(10 << 20));
    expect((await addJob('big')).code).toBe(0);
    const child = spawn(
      process.execPath,
      [STRATA_BIN, 'job', 'run', 'big', '--json', '--workers', '1'],
      {
        env: { ...process.env, ...w.env, STRATA_PASSWORD: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Once: a second Ctrl-C after the run ended would find the default handler again.
      if (!sent && /"phase":"backing-up"/.test(stdout)) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    expect(jsonLines(stdout).at(-1)).toMatchObject({ type: 'summary', outcome: 'cancelled' });
    const shown = await w.json<{ runs: { outcome: string }[] }>(['job', 'show', 'big']);
    expect(shown.runs[0]).toMatchObject({ outcome: 'cancelled' });
    const repo = join(w.dir, 'dest-big');
    const check = await w.run(['check', '--repo', repo, '--password-file', w.passwordFile]);
    expect(check.code, check.stderr).toBe(0);
    expect(await snapshotCount(repo)).toBe(0);
  });

  it('runs forget-and-prune and a test restore on request', async () => {
    expect((await addJob('m')).code).toBe(0);
    expect((await w.run(['job', 'run', 'm'])).code).toBe(0);
    const prune = await w.run(['job', 'run', 'm', '--prune']);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toMatch(/prune m-1: ok: 0 snapshot\(s\) forgotten/);
    const verify = await w.run(['job', 'run', 'm', '--verify']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/verify m-1: ok: test restore proved 2 file\(s\)/);
  });
});

describe('strata job add: the password in the keychain', () => {
  it('says the keychain cannot be used without a D-Bus session, and what scheduled runs need', async () => {
    const r = await w.run(
      [
        'job', 'add', '--name', 'typed', '--source', src, '--destination', join(w.dir, 'dest-typed'),
        '--init', '--kdf-log-n', '10', '--schedule', 'manual',
      ], // prettier-ignore
      {
        env: {
          STRATA_PASSWORD: 'typed-pw-81c2',
          DBUS_SESSION_BUS_ADDRESS: undefined,
          DISPLAY: undefined,
        },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /The OS keychain cannot be used because .*, so the password of typed-1 was not saved: scheduled runs \(strata daemon\) need a password file/,
    );
    expect((await catalogBytes()).includes(Buffer.from('typed-pw-81c2'))).toBe(false);
    // Without a terminal, nothing to read the password from: the run fails and says what to do.
    const run = await w.run(['job', 'run', 'typed'], {
      env: { DBUS_SESSION_BUS_ADDRESS: undefined, DISPLAY: undefined },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is needed and none was entered.*Choose a password file/);
  });

  const missing = keyringToolsMissing();
  it.skipIf(missing !== undefined)(
    `saves a typed password in the keychain, where job run finds it${missing ? ` (skipped: ${missing})` : ''}`,
    async () => {
      const home = await w.folder('home');
      const node = (args: string) => `'${process.execPath}' '${STRATA_BIN}' ${args}`;
      const dest = join(w.dir, 'dest-kc');
      const script = [
        'printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 99',
        `STRATA_PASSWORD=kc-typed-pw-44 ${node(`job add --name kc --source '${src}' --destination '${dest}' --init --kdf-log-n 10 --schedule manual`)} || exit $?`,
        `${node('job run kc')} || exit $?`,
        // The daemon finds it in the keychain too; its log and an export must not show it.
        `${node(`job edit kc --schedule 'every 5m'`)} >/dev/null || exit $?`,
        `${node('daemon --once')} || exit $?`,
        node('job export kc'),
      ].join('\n');
      const r = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          LANG: 'C.UTF-8',
          HOME: home,
          XDG_DATA_HOME: join(home, '.local/share'),
          KEYRING_PASSWORD,
          STRATA_CATALOG: w.catalog,
          STRATA_CACHE_DIR: join(w.dir, 'cache'),
        },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain('kc-1: new repository at');
      expect(r.stdout).toContain('password saved in the OS keychain');
      expect(r.stdout).toMatch(/Job kc: ok/);
      expect(r.stdout).toMatch(/"format": "strata-jobs"/); // the export ran
      expect(r.stdout).toMatch(/job=kc prune kc-1: /); // the daemon opened it with the keychain's password
      // The password is in the keychain only: not in the catalog, the export, logs or output.
      expect((await catalogBytes()).includes(Buffer.from('kc-typed-pw-44'))).toBe(false);
      expect(r.stdout + r.stderr).not.toContain('kc-typed-pw-44');
    },
  );
});
