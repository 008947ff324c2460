import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, strata, tempDir, type CliOptions } from '../helpers/cli';

/**
 * A job run end to end as a user's machine would do it: a temporary HOME (the catalog in its
 * default place under it), hooks in order, a snapshot on each of two destinations, the run's
 * rows in the catalog and its events on the way.
 */
describe('a job run end to end, in a temporary HOME', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let home: string;
  const password = 'e2e-job-pw-7731';
  const cli = (args: string[], o: CliOptions = {}) =>
    strata(args, {
      ...o,
      env: {
        HOME: home,
        XDG_DATA_HOME: undefined,
        XDG_CACHE_HOME: undefined,
        STRATA_CATALOG: undefined,
        STRATA_CACHE_DIR: undefined,
        STRATA_PASSWORD: undefined,
        DBUS_SESSION_BUS_ADDRESS: undefined,
        ...o.env,
      },
    });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-jobrun-'));
    home = join(dir, 'home');
    await writeFile(join(dir, 'pw'), password, { mode: 0o600 });
    await chmod(join(dir, 'pw'), 0o600);
  });

  afterAll(() => cleanup());

  it('runs hooks in order, backs up to both destinations, records rows and events', async () => {
    const src = join(dir, 'src');
    await import('node:fs/promises').then((fs) => fs.mkdir(src));
    await writeFile(join(src, 'notes.txt'), 'hello');
    const order = join(dir, 'order.txt');
    const hook = (text: string) => `echo "${text} $STRATA_OUTCOME" >> '${order}'`;
    const add = await cli([
      'job', 'add', '--name', 'Notes', '--source', src,
      '--destination', join(dir, 'disk-a'), '--destination', join(dir, 'disk-b'),
      '--password-file', join(dir, 'pw'), '--init', '--kdf-log-n', '10', '--schedule', 'daily 02:30',
      '--before', hook('before-1'), '--before', hook('before-2'),
      '--after', hook('after-1'), '--after', hook('after-2'),
    ]); // prettier-ignore
    expect(add.code, add.stderr).toBe(0);
    // The catalog is where a user's would be.
    expect((await stat(join(home, '.local/share/strata/catalog.db'))).isFile()).toBe(true);

    const run = await cli(['job', 'run', 'notes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(
      (await readFile(order, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['before-1', 'before-2', 'after-1 ok', 'after-2 ok']);
    const lines = jsonLines(run.stdout);
    const phases = lines.filter((l) => l.type === 'progress').map((l) => l.phase);
    expect(phases).toEqual(
      expect.arrayContaining(['before-hooks', 'opening', 'after-hooks', 'done']),
    );
    const summary = lines.at(-1) as {
      outcome: string;
      destinations: { destinationId: string; snapshotId: string }[];
    };
    expect(summary.outcome).toBe('ok');
    expect(summary.destinations.map((d) => d.destinationId)).toEqual(['notes-1', 'notes-2']);

    for (const [i, disk] of ['disk-a', 'disk-b'].entries()) {
      const snaps = await cli([
        'snapshots',
        '--repo',
        join(dir, disk),
        '--password-file',
        join(dir, 'pw'),
        '--json',
      ]);
      const ids = (JSON.parse(snaps.stdout) as { id: string }[]).map((s) => s.id);
      expect(ids).toEqual([summary.destinations[i]!.snapshotId]);
    }
    const show = await cli(['job', 'show', 'notes', '--json']);
    const shown = jsonLines(show.stdout).at(-1) as {
      runs: { destinationId: string; kind: string; outcome: string; snapshotId: string }[];
    };
    expect(shown.runs.map((r) => [r.destinationId, r.kind, r.outcome]).sort()).toEqual([
      ['notes-1', 'backup', 'ok'],
      ['notes-2', 'backup', 'ok'],
    ]);

    // A failing before-hook stops the run before anything is backed up; after-hooks learn it.
    const edit = await cli([
      'job',
      'edit',
      'notes',
      '--before',
      hook('before-1'),
      '--before',
      'exit 4',
    ]);
    expect(edit.code, edit.stderr).toBe(0);
    await writeFile(order, '');
    const failed = await cli(['job', 'run', 'notes']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/hook "exit 4" failed with exit code 4; nothing was backed up/);
    expect(
      (await readFile(order, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['before-1', 'after-1 failed', 'after-2 failed']);
    const after = jsonLines((await cli(['job', 'show', 'notes', '--json'])).stdout).at(-1) as {
      runs: { outcome: string; destinationId: string | null }[];
    };
    expect(after.runs[0]).toMatchObject({ outcome: 'failed', destinationId: null });
    expect(after.runs.filter((r) => r.outcome === 'ok')).toHaveLength(2);
  });
});
