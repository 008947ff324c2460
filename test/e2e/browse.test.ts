/**
 * Browsing and selective restore through the CLI: snapshots, ls, snapshot references (latest,
 * id prefixes), diff, find, restore --include, the overwrite policies, and the CLI's own
 * surface (--version, --help, unknown commands and options).
 */
import { readFileSync } from 'node:fs';
import {
  chmod,
  link,
  mkdir,
  readFile,
  rm,
  stat,
  symlink,
  unlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';
import { describeTree, summaryOf } from '../helpers/tree';

let base: string;
let cleanup: () => Promise<void>;
let repo: string;
let src: string;
/** Snapshot ids: first (host h1, 2020) and second (host h2, 2021). */
let s1: string;
let s2: string;
const T1 = '2020-01-01T00:00:00.000Z';
const T2 = '2021-06-01T12:30:00.000Z';
/** Whole seconds: folder mtimes are put back to this after each change, for an exact diff. */
const DIR_TIME = 1_500_000_000;
const content = {
  readme: '# readme\n',
  guide: '# guide\nsteps\n',
  newMd: '# new\n',
  notes1: 'notes, first version\n',
  notes2: 'notes, second version, a little longer\n',
  gone: 'this file is removed\n',
  child: 'in a folder that is removed\n',
  inner: 'in a folder that is added\n',
  typechg: 'a file that becomes a symlink\n',
  meta: 'only my mode changes\n',
};
const keepBin = Buffer.alloc(10_000, 0xab);

const cli = (args: readonly string[]) => strata([...args, '--repo', repo]);

async function put(rel: string, body: string | Buffer): Promise<void> {
  await mkdir(join(src, rel, '..'), { recursive: true });
  await writeFile(join(src, rel), body);
}

async function pinDirTimes(...rels: string[]): Promise<void> {
  for (const rel of rels) await utimes(join(src, rel), DIR_TIME, DIR_TIME);
}

async function backup(args: readonly string[]): Promise<string> {
  const r = await cli(['backup', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return summaryOf(jsonLines(r.stdout)).snapshot_id as string;
}

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('strata-browse-'));
  repo = join(base, 'repo');
  src = join(base, 'src');
  await initRepo(repo);

  await put('docs/readme.md', content.readme);
  await put('docs/guide.md', content.guide);
  await put('notes.txt', content.notes1);
  await put('keep.bin', keepBin);
  await put('gone.txt', content.gone);
  await put('meta.txt', content.meta);
  await put('typechg', content.typechg);
  await put('olddir/child.txt', content.child);
  await pinDirTimes('', 'docs', 'olddir');
  s1 = await backup([src, '--tag', 'daily,alpha', '--host', 'h1', '--time', T1]);

  await put('docs/new.md', content.newMd);
  await put('newdir/inner.txt', content.inner);
  await unlink(join(src, 'gone.txt'));
  await rm(join(src, 'olddir'), { recursive: true });
  await put('notes.txt', content.notes2);
  await chmod(join(src, 'meta.txt'), 0o600);
  await unlink(join(src, 'typechg'));
  await symlink('notes.txt', join(src, 'typechg'));
  await pinDirTimes('', 'docs', 'newdir');
  s2 = await backup([src, '--tag', 'weekly', '--host', 'h2', '--time', T2]);
});

afterAll(async () => {
  await cleanup?.();
});

interface SnapshotJson {
  id: string;
  short_id: string;
  time: string;
  host: string;
  tags: string[];
  paths: string[];
  parent?: string;
}

async function snapshots(...filters: string[]): Promise<SnapshotJson[]> {
  const r = await cli(['snapshots', '--json', ...filters]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as SnapshotJson[];
}

interface LsJson {
  snapshot: string;
  path: string;
  entries: {
    path: string;
    name: string;
    type: string;
    size: number;
    mode: number;
    target?: string;
  }[];
}

async function lsJson(...args: string[]): Promise<LsJson> {
  const r = await cli(['ls', '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as LsJson;
}

const rel = (p: string) => (p === src ? '' : p.slice(src.length + 1));

describe('snapshots', () => {
  it('lists both snapshots, oldest first, with the given time, host and tags', async () => {
    const all = await snapshots();
    expect(all.map((s) => s.id)).toEqual([s1, s2]);
    expect(all[0]).toMatchObject({
      short_id: s1.slice(0, 8),
      time: T1,
      host: 'h1',
      tags: ['daily', 'alpha'],
      paths: [src],
    });
    expect(all[1]).toMatchObject({
      short_id: s2.slice(0, 8),
      time: T2,
      host: 'h2',
      tags: ['weekly'],
    });
    // Different hosts: the second backup did not take the first as its parent.
    expect(all[1]!.parent).toBeUndefined();
  });

  it('filters by tag (all given tags must match) and by host', async () => {
    const ids = async (...f: string[]) => (await snapshots(...f)).map((s) => s.id);
    expect(await ids('--tag', 'daily')).toEqual([s1]);
    expect(await ids('--tag', 'alpha', '--tag', 'daily')).toEqual([s1]);
    expect(await ids('--tag', 'daily', '--tag', 'weekly')).toEqual([]);
    expect(await ids('--tag', 'weekly')).toEqual([s2]);
    expect(await ids('--host', 'h2')).toEqual([s2]);
    expect(await ids('--host', 'h3')).toEqual([]);
    expect(await ids('--path', src)).toEqual([s1, s2]);
  });

  it('prints a table without --json', async () => {
    const r = await cli(['snapshots']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(s1.slice(0, 8));
    expect(r.stdout).toContain('daily,alpha');
    expect(r.stdout).toContain('2 snapshot(s)');
  });
});

describe('ls', () => {
  it('lists one folder of a snapshot', async () => {
    const one = await lsJson(s1, join(src, 'docs'));
    expect(one.snapshot).toBe(s1);
    expect(one.path).toBe(join(src, 'docs'));
    expect(one.entries.map((e) => [e.path, e.type, e.size])).toEqual([
      [join(src, 'docs/guide.md'), 'file', content.guide.length],
      [join(src, 'docs/readme.md'), 'file', content.readme.length],
    ]);
    const two = await lsJson(s2, join(src, 'docs'));
    expect(two.entries.map((e) => e.name)).toEqual(['guide.md', 'new.md', 'readme.md']);
  });

  it('lists a single file, and the root', async () => {
    const f = await lsJson(s1, join(src, 'notes.txt'));
    expect(f.entries).toHaveLength(1);
    expect(f.entries[0]).toMatchObject({ name: 'notes.txt', size: content.notes1.length });
    const root = await lsJson(s1);
    expect(root.entries.map((e) => e.path)).toEqual([`/${src.split('/')[1]}`]);
  });

  it('lists a subtree with --recursive', async () => {
    const all = await lsJson(s2, src, '--recursive');
    const got = Object.fromEntries(all.entries.map((e) => [rel(e.path), e.type]));
    expect(got).toEqual({
      docs: 'dir',
      'docs/guide.md': 'file',
      'docs/new.md': 'file',
      'docs/readme.md': 'file',
      'keep.bin': 'file',
      'meta.txt': 'file',
      newdir: 'dir',
      'newdir/inner.txt': 'file',
      'notes.txt': 'file',
      typechg: 'symlink',
    });
    const byRel = new Map(all.entries.map((e) => [rel(e.path), e]));
    expect(byRel.get('meta.txt')!.mode).toBe(0o600);
    expect(byRel.get('typechg')!.target).toBe('notes.txt');
    expect(byRel.get('keep.bin')!.size).toBe(keepBin.length);
  });

  it('prints a long listing without --json', async () => {
    const r = await cli(['ls', s2, src]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-rw------- .* \S*\/meta\.txt$/m);
    expect(r.stdout).toMatch(/^l.* \S*\/typechg -> notes\.txt$/m);
    expect(r.stdout).toMatch(/^d.* \S*\/docs$/m);
  });

  it('fails with exit 1 for a path that is not in the snapshot', async () => {
    const r = await cli(['ls', s1, join(src, 'docs/new.md')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not in this snapshot');
  });
});

describe('snapshot references', () => {
  it('"latest" is the newest snapshot, and any unique id prefix works', async () => {
    expect((await lsJson('latest', src)).snapshot).toBe(s2);
    for (const n of [64, 12, 8, 4]) {
      expect((await lsJson(s1.slice(0, n), src)).snapshot).toBe(s1);
    }
  });

  it('ambiguous, unknown and malformed references fail clearly with exit 1', async () => {
    // A repository of its own, with snapshots until two ids share their first digit (by the
    // pigeonhole principle, at most 17).
    const other = join(base, 'refs-repo');
    await initRepo(other);
    const empty = await strata(['ls', 'latest', '--repo', other]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('there is no snapshot yet');

    const small = join(base, 'small');
    await mkdir(small);
    await writeFile(join(small, 'f'), 'x');
    const ids: string[] = [];
    let shared: string | undefined;
    for (let i = 0; i < 17 && !shared; i++) {
      const time = new Date(Date.UTC(2022, 0, 1 + i)).toISOString();
      const r = await strata(['backup', '--repo', other, '--json', '--time', time, small]);
      expect(r.code, r.stderr).toBe(0);
      const id = summaryOf(jsonLines(r.stdout)).snapshot_id as string;
      shared = ids.find((x) => x[0] === id[0])?.[0];
      ids.push(id);
    }
    expect(shared).toBeDefined();

    for (const command of [['ls'], ['restore', '--target', join(base, 'never')]]) {
      const r = await strata([command[0]!, shared!, ...command.slice(1), '--repo', other]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/snapshots have ids starting with [0-9a-f]: give more digits/);
      expect(r.stderr).toContain('[AMBIGUOUS_ID]');
    }

    const unused = [...'0123456789abcdef'].find((c) => !ids.some((id) => id.startsWith(c)));
    const unknown =
      unused ??
      `${shared}${[...'0123456789abcdef'].find((c) => !ids.some((id) => id.startsWith(`${shared}${c}`)))}`;
    const u = await strata(['ls', unknown, '--repo', other]);
    expect(u.code).toBe(1);
    expect(u.stderr).toContain(`no snapshot has an id starting with ${unknown}`);

    const bad = await strata(['ls', 'not-an-id', '--repo', other]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('"not-an-id" is not a snapshot id');
  });
});

describe('diff', () => {
  it('reports added, removed, modified, metadata and type changes', async () => {
    const r = await cli(['diff', s1, s2, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    const changes = lines.filter((l) => l.message_type === 'change');
    const inSource = changes
      .filter((c) => (c.path as string).startsWith(src + '/'))
      .map((c) => `${c.kind} ${rel(c.path as string)}`)
      .sort();
    expect(inSource).toEqual(
      [
        'added docs/new.md',
        'added newdir',
        'added newdir/inner.txt',
        'removed gone.txt',
        'removed olddir',
        'removed olddir/child.txt',
        'modified notes.txt',
        'metadata meta.txt',
        'type typechg',
      ].sort(),
    );
    // Outside the source only the folders above it may differ, and only in metadata.
    for (const c of changes.filter((c) => !(c.path as string).startsWith(src + '/'))) {
      expect(c.kind).toBe('metadata');
      expect(src.startsWith(`${c.path as string}/`) || c.path === src).toBe(true);
    }
    const notes = changes.find((c) => c.path === join(src, 'notes.txt'))!;
    expect(notes).toMatchObject({
      size_before: content.notes1.length,
      size_after: content.notes2.length,
    });

    const stats = lines.find((l) => l.message_type === 'statistics')!;
    const count = (kind: string) => changes.filter((c) => c.kind === kind).length;
    expect(stats).toMatchObject({
      source: s1,
      target: s2,
      added: 3,
      removed: 3,
      modified: 1,
      type: 1,
      metadata: count('metadata'),
    });
    expect(stats.bytes_delta).toBe(
      content.newMd.length +
        content.inner.length -
        content.gone.length -
        content.child.length +
        content.notes2.length -
        content.notes1.length -
        content.typechg.length,
    );
  });

  it('reports nothing between a snapshot and itself, and works the other way round', async () => {
    const same = await cli(['diff', s1, s1.slice(0, 10), '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(jsonLines(same.stdout)).toEqual([
      expect.objectContaining({ message_type: 'statistics', added: 0, removed: 0, modified: 0 }),
    ]);
    const back = await cli(['diff', s2, s1, '--json']);
    const kinds = jsonLines(back.stdout)
      .filter((c) => c.message_type === 'change' && (c.path as string).startsWith(src + '/'))
      .map((c) => `${c.kind} ${rel(c.path as string)}`);
    expect(kinds).toContain('removed docs/new.md');
    expect(kinds).toContain('added olddir/child.txt');
  });

  it('prints marks without --json', async () => {
    const r = await cli(['diff', s1, s2]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`+  ${join(src, 'docs/new.md')}`);
    expect(r.stdout).toContain(`-  ${join(src, 'gone.txt')}`);
    expect(r.stdout).toContain(`M  ${join(src, 'notes.txt')}`);
    expect(r.stdout).toContain(`U  ${join(src, 'meta.txt')}`);
    expect(r.stdout).toContain(`T  ${join(src, 'typechg')}`);
  });
});

describe('find', () => {
  async function found(...args: string[]): Promise<Record<string, string[]>> {
    const r = await cli(['find', '--json', ...args]);
    expect(r.code, r.stderr).toBe(0);
    return Object.fromEntries(
      jsonLines(r.stdout).map((l) => [
        l.snapshot as string,
        (l.matches as { path: string }[]).map((m) => rel(m.path)),
      ]),
    );
  }

  it('matches names with a glob, across snapshots', async () => {
    expect(await found('*.md')).toEqual({
      [s1]: ['docs/guide.md', 'docs/readme.md'],
      [s2]: ['docs/guide.md', 'docs/new.md', 'docs/readme.md'],
    });
    expect(await found('gone.txt')).toEqual({ [s1]: ['gone.txt'] });
    expect(await found('n?tes.*')).toEqual({ [s1]: ['notes.txt'], [s2]: ['notes.txt'] });
    expect(await found('README.MD')).toEqual({});
    expect(await found('README.MD', '--ignore-case')).toEqual({
      [s1]: ['docs/readme.md'],
      [s2]: ['docs/readme.md'],
    });
  });

  it('matches whole paths when the pattern has a slash', async () => {
    expect(await found('**/docs/n*.md')).toEqual({ [s2]: ['docs/new.md'] });
    // "*" does not cross folders; "**" does.
    expect(await found(`${src}/*.md`)).toEqual({});
    expect(await found(`${src}/**.md`)).toEqual({
      [s1]: ['docs/guide.md', 'docs/readme.md'],
      [s2]: ['docs/guide.md', 'docs/new.md', 'docs/readme.md'],
    });
    expect(await found('**/olddir/*')).toEqual({ [s1]: ['olddir/child.txt'] });
  });

  it('prints nothing for no match, and a count without --json', async () => {
    expect(await found('nothing-like-this*')).toEqual({});
    const r = await cli(['find', 'inner.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(src, 'newdir/inner.txt'));
    expect(r.stdout).toContain('1 match(es)');
  });
});

/** A restore into a fresh folder; returns the folder the source lands in. */
async function restoreFresh(snapshot: string, ...args: string[]): Promise<string> {
  const target = join(base, `t-${Math.random().toString(16).slice(2)}`);
  const r = await cli(['restore', snapshot, '--target', target, '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return join(target, src);
}

async function restoreInto(dest: string, policy: string): Promise<Record<string, unknown>> {
  const target = dest.slice(0, dest.length - src.length);
  const r = await cli(['restore', s2, '--target', target, '--json', '--overwrite', policy]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return summaryOf(jsonLines(r.stdout));
}

describe('restore --include', () => {
  it('restores only the selected subtree', async () => {
    const dest = await restoreFresh(s2, '--include', join(src, 'docs'));
    expect([...(await describeTree(dest)).keys()].sort()).toEqual(
      ['', 'docs', 'docs/guide.md', 'docs/new.md', 'docs/readme.md'].sort(),
    );
    expect(await readFile(join(dest, 'docs/new.md'), 'utf8')).toBe(content.newMd);
  });

  it('restores several includes, files and folders, from an older snapshot', async () => {
    const dest = await restoreFresh(
      s1,
      '--include',
      join(src, 'notes.txt'),
      '--include',
      `${join(src, 'olddir')}/`,
    );
    expect([...(await describeTree(dest)).keys()].sort()).toEqual(
      ['', 'notes.txt', 'olddir', 'olddir/child.txt'].sort(),
    );
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe(content.notes1);
  });

  it('fails with exit 1 when the include matches nothing', async () => {
    const r = await cli([
      'restore',
      s2,
      '--target',
      join(base, 'nothing'),
      '--include',
      join(src, 'gone.txt'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('matches');
  });
});

describe('restore --overwrite', () => {
  /**
   * Keeps a second name for the file at `path`, so its inode cannot be freed and reused: the
   * returned check is true while `path` is still that same file (not rewritten by the restore).
   */
  async function hold(path: string): Promise<() => Promise<boolean>> {
    const keeper = join(base, `hold-${Math.random().toString(16).slice(2)}`);
    await link(path, keeper);
    return async () => (await stat(path)).ino === (await stat(keeper)).ino;
  }

  it('always (the default) rewrites every file', async () => {
    const dest = await restoreFresh(s2);
    await writeFile(join(dest, 'notes.txt'), 'local edit\n');
    const untouched = await hold(join(dest, 'docs/readme.md'));
    const s = await restoreInto(dest, 'always');
    expect(s.skipped).toBe(0);
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe(content.notes2);
    expect(await untouched()).toBe(false);
    expect(await readFile(join(dest, 'docs/readme.md'), 'utf8')).toBe(content.readme);

    await writeFile(join(dest, 'notes.txt'), 'another local edit\n');
    const r = await cli(['restore', s2, '--target', dest.slice(0, dest.length - src.length)]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe(content.notes2);
  });

  it('never keeps whatever exists, and still restores what is missing', async () => {
    const dest = await restoreFresh(s2);
    await writeFile(join(dest, 'notes.txt'), 'local edit\n');
    await unlink(join(dest, 'keep.bin'));
    const untouched = await hold(join(dest, 'docs/readme.md'));
    const s = await restoreInto(dest, 'never');
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe('local edit\n');
    expect(await readFile(join(dest, 'keep.bin'))).toEqual(keepBin);
    expect(await untouched()).toBe(true);
    expect(s.files).toBe(1);
    // 6 files and the symlink were already there.
    expect(s.skipped).toBe(7);
  });

  it('if-changed replaces only files whose content differs, and fixes metadata of the rest', async () => {
    const dest = await restoreFresh(s2);
    const sameSize = content.notes2.toUpperCase();
    await writeFile(join(dest, 'notes.txt'), sameSize);
    await writeFile(join(dest, 'docs/guide.md'), 'a different size\n');
    const keepMode = (await stat(join(dest, 'keep.bin'))).mode & 0o7777;
    await chmod(join(dest, 'keep.bin'), 0o600);
    await chmod(join(dest, 'docs/readme.md'), 0o640);
    const untouched = await hold(join(dest, 'docs/readme.md'));
    const s = await restoreInto(dest, 'if-changed');
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe(content.notes2);
    expect(await readFile(join(dest, 'docs/guide.md'), 'utf8')).toBe(content.guide);
    expect(await untouched()).toBe(true);
    // Same content: kept, and its metadata is put back...
    expect((await stat(join(dest, 'keep.bin'))).mode & 0o7777).toBe(keepMode);
    // ...unless it has other names (hardlinks), which may lie outside the target.
    expect((await stat(join(dest, 'docs/readme.md'))).mode & 0o7777).toBe(0o640);
    expect(s.files).toBe(2);
  });

  it('if-newer replaces only files older than the snapshot’s', async () => {
    const dest = await restoreFresh(s2);
    const future = Date.UTC(2100, 0, 1) / 1000;
    const past = Date.UTC(2000, 0, 1) / 1000;
    await writeFile(join(dest, 'notes.txt'), 'local edit, newer\n');
    await utimes(join(dest, 'notes.txt'), future, future);
    await writeFile(join(dest, 'keep.bin'), 'local edit, older\n');
    await utimes(join(dest, 'keep.bin'), past, past);
    // readme.md keeps the time this restore gave it: the snapshot's copy is not newer.
    const untouched = await hold(join(dest, 'docs/readme.md'));
    const s = await restoreInto(dest, 'if-newer');
    expect(await readFile(join(dest, 'notes.txt'), 'utf8')).toBe('local edit, newer\n');
    expect(await readFile(join(dest, 'keep.bin'))).toEqual(keepBin);
    expect(await untouched()).toBe(true);
    expect(s.files).toBe(1);
  });
});

describe('the command line itself', () => {
  const version = (
    JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

  it('--version, -V and "version" print the version', async () => {
    for (const args of [['--version'], ['-V'], ['version']]) {
      const r = await strata(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`strata ${version}\n`);
      expect(r.stderr).toBe('');
    }
  });

  it('--help and COMMAND --help exit 0 with usage', async () => {
    const top = await strata(['--help']);
    expect(top.code, top.stderr).toBe(0);
    const commands = [
      'init',
      'backup',
      'snapshots',
      'ls',
      'diff',
      'find',
      'restore',
      'check',
      'key',
    ];
    for (const c of commands) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    const each = await Promise.all(commands.map((c) => strata([c, '--help'])));
    each.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.startsWith(`Usage: strata ${commands[i]}`)).toBe(true);
    });
    expect((await strata([])).code).toBe(0);
  });

  it('unknown commands and bad options exit 1 with a message', async () => {
    const unknown = await strata(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');

    const bogus = await cli(['ls', 'latest', '--bogus']);
    expect(bogus.code).toBe(1);
    expect(bogus.stderr).toContain("Unknown option '--bogus'");

    const missingValue = await strata(['ls', 'latest', '--repo']);
    expect(missingValue.code).toBe(1);
    expect(missingValue.stderr).toContain('argument missing');

    const policy = await cli([
      'restore',
      s2,
      '--target',
      join(base, 'x'),
      '--overwrite',
      'sometimes',
    ]);
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain(
      '--overwrite must be one of always, if-changed, if-newer, never',
    );

    const time = await cli(['backup', src, '--time', 'yesterday-ish']);
    expect(time.code).toBe(1);
    expect(time.stderr).toContain('cannot read "yesterday-ish" as a time');

    const noRepo = await strata(['snapshots']);
    expect(noRepo.code).toBe(1);
    expect(noRepo.stderr).toContain('no repository given');

    const usage = await cli(['diff', s1]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('usage: strata diff SNAPSHOT1 SNAPSHOT2');
  });

  it('a missing repository exits 10 and a wrong password 12', async () => {
    const missing = await strata(['snapshots', '--repo', join(base, 'no-repo-here')]);
    expect(missing.code).toBe(10);
    expect(missing.stderr).toContain('there is no repository');
    const wrong = await strata(['snapshots', '--repo', repo], { password: 'not the password' });
    expect(wrong.code).toBe(12);
    expect(wrong.stderr).toContain('wrong password');
  });
});
