/**
 * A hostile repository cannot make restore write outside its target. Snapshots are crafted with
 * the engine API (trees an honest backup never makes: `..`, separators, NUL, duplicates, symlinks
 * that point out followed by entries that try to go through them), restored with the CLI into
 * a target deep inside a fresh "arena" folder, and the arena (minus the target) is fingerprinted
 * before and after, metadata included. Hostile entries are reported (exit 3), safe ones restored.
 * `ls` and `find` show hostile names with control characters escaped.
 */
import { mkdir, mkdtemp, readFile, readlink, lstat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../electron/engine/repository/repository';
import type { TreeNode } from '../../electron/engine/repository/tree';
import { strata, tempDir, type CliResult } from '../helpers/cli';
import { createRepository, fingerprint, symlinkNode, TreeWriter } from '../helpers/hostile-repo';

let work: string;
let cleanup: () => Promise<void>;
let repoDir: string;
let repo: Repository;
let w: TreeWriter;

interface Arena {
  /** Everything the test may look at; only `target` may change. */
  readonly parent: string;
  /** parent/a/b/target: three levels down, so '../../..' from inside it is the parent. */
  readonly target: string;
  /** A folder outside the target that symlinks in hostile snapshots point to. */
  readonly outside: string;
  readonly sentinel: string;
}

async function arena(): Promise<Arena> {
  const parent = await mkdtemp(join(work, 'arena-'));
  const outside = join(parent, 'outside');
  await mkdir(join(outside, 'sub'), { recursive: true });
  const sentinel = join(outside, 'sentinel.txt');
  await writeFile(sentinel, 'SENTINEL\n');
  await writeFile(join(outside, 'sub', 'keep.txt'), 'KEEP\n');
  const target = join(parent, 'a', 'b', 'target');
  // Made beforehand, so creating it does not change its parent folder's metadata.
  await mkdir(target, { recursive: true });
  return { parent, target, outside, sentinel };
}

/** Restores `snapshot` into the arena's target and proves nothing outside the target changed. */
async function restoreInArena(
  a: Arena,
  snapshot: string,
  extra: string[] = [],
): Promise<CliResult> {
  const fp = () => fingerprint(a.parent, { metadata: true, skip: [a.target] });
  const before = await fp();
  const r = await strata(['restore', snapshot, '--repo', repoDir, '--target', a.target, ...extra]);
  expect(await fp()).toEqual(before);
  expect(await readFile(a.sentinel, 'utf8')).toBe('SENTINEL\n');
  expect(Object.keys(await fingerprint(a.outside))).toEqual([
    'sentinel.txt',
    'sub',
    'sub/keep.txt',
  ]);
  return r;
}

/** The `error:` lines restore printed. */
function errorLines(r: CliResult): string[] {
  return r.stderr.split('\n').filter((l) => l.startsWith('error: '));
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-hostile-'));
  repoDir = join(work, 'repo');
  repo = await createRepository(repoDir);
  w = new TreeWriter(repo);
});

afterAll(async () => {
  await cleanup();
});

describe('restore of a hostile snapshot', () => {
  it('names that are not names: "..", ".", "", separators, absolute, NUL, too long', async () => {
    const a = await arena();
    const snap = await w.snapshot([
      await w.dir('..', [await w.file('pwned-dotdot', 'PWNED')]),
      await w.file('.', 'PWNED'),
      await w.file('', 'PWNED'),
      await w.file('a/b', 'PWNED'),
      await w.file('../pwned-sep', 'PWNED'),
      await w.file(join(a.outside, 'pwned-abs'), 'PWNED'),
      await w.file(a.sentinel, 'PWNED'),
      await w.file('nul\0pwned', 'PWNED'),
      await w.file('x'.repeat(300), 'PWNED'),
      await w.dir('safe-dir', [
        await w.file('inner.txt', 'INNER'),
        await w.dir('..', [await w.dir('..', [await w.file('pwned-nested', 'PWNED')])]),
      ]),
      await w.file('safe.txt', 'SAFE'),
    ]);
    const r = await restoreInArena(a, snap);
    expect(r.code, r.stderr).toBe(3);
    const errors = errorLines(r);
    expect(errors).toHaveLength(10);
    expect(errors).toContain('error: /..: not restored: ".." is not a name');
    expect(errors).toContain('error: /safe-dir/..: not restored: ".." is not a name');
    expect(errors).toContain('error: /.: not restored: "." is not a name');
    expect(errors).toContain('error: /: not restored: empty name');
    expect(errors).toContain('error: /nul\\x00pwned: not restored: name contains a NUL byte');
    expect(errors.filter((e) => e.endsWith('name contains a path separator'))).toHaveLength(4);
    expect(errors.filter((e) => e.endsWith('name longer than 255 bytes'))).toHaveLength(1);
    // Exactly the safe entries, and nothing else, are in the target.
    expect(await fingerprint(a.target)).toEqual({
      'safe-dir': expect.stringMatching(/^dir/),
      'safe-dir/inner.txt': expect.stringMatching(/^file/),
      'safe.txt': expect.stringMatching(/^file/),
    });
    expect(await readFile(join(a.target, 'safe.txt'), 'utf8')).toBe('SAFE');
    expect(await readFile(join(a.target, 'safe-dir', 'inner.txt'), 'utf8')).toBe('INNER');
  });

  it('duplicate names: a symlink out and a folder of the same name', async () => {
    const a = await arena();
    const snap = await w.snapshot([
      // Symlink first, then a folder that would be written through it.
      symlinkNode('x', a.outside),
      await w.dir('x', [await w.file('pwned', 'PWNED')]),
      // Folder first, then a symlink that would replace it.
      await w.dir('y', [await w.file('pwned', 'PWNED-Y')]),
      symlinkNode('y', a.outside),
      // Two files of one name.
      await w.file('z', 'FIRST'),
      await w.file('z', 'SECOND'),
      await w.file('safe.txt', 'SAFE'),
    ]);
    const r = await restoreInArena(a, snap);
    expect(r.code, r.stderr).toBe(3);
    const errors = errorLines(r);
    expect(errors).toEqual(
      expect.arrayContaining([
        'error: /x: not restored: duplicate name',
        'error: /y: not restored: duplicate name',
        'error: /z: not restored: duplicate name',
      ]),
    );
    expect(errors).toHaveLength(3);
    expect(await readFile(join(a.target, 'safe.txt'), 'utf8')).toBe('SAFE');
    expect(['FIRST', 'SECOND']).toContain(await readFile(join(a.target, 'z'), 'utf8'));
    // Whatever won each name, it is inside the target and nothing went through a link.
    for (const name of ['x', 'y']) {
      const st = await lstat(join(a.target, name));
      if (st.isSymbolicLink()) expect(await readlink(join(a.target, name))).toBe(a.outside);
      else expect(st.isDirectory()).toBe(true);
    }
  });

  it("a symlink 'escape' -> ../../.. and entries that try to go through it", async () => {
    const a = await arena();
    const snap = await w.snapshot([
      symlinkNode('escape', '../../..'),
      await w.dir('escape', [await w.file('pwned', 'PWNED')]),
      await w.file('escape/pwned2', 'PWNED'),
      await w.dir('deeper', [
        symlinkNode('up', '../../../..'),
        await w.dir('up', [await w.dir('outside', [await w.file('pwned3', 'PWNED')])]),
        await w.file('up/outside/pwned4', 'PWNED'),
        await w.file('ok.txt', 'OK'),
      ]),
      await w.file('safe.txt', 'SAFE'),
    ]);
    const r = await restoreInArena(a, snap);
    expect(r.code, r.stderr).toBe(3);
    const errors = errorLines(r);
    expect(errors).toEqual(
      expect.arrayContaining([
        'error: /escape: not restored: duplicate name',
        'error: /escape/pwned2: not restored: name contains a path separator',
        'error: /deeper/up: not restored: duplicate name',
        'error: /deeper/up/outside/pwned4: not restored: name contains a path separator',
      ]),
    );
    expect(errors).toHaveLength(4);
    expect(await readFile(join(a.target, 'safe.txt'), 'utf8')).toBe('SAFE');
    expect(await readFile(join(a.target, 'deeper', 'ok.txt'), 'utf8')).toBe('OK');
    // The link itself is restored as stored (links are data, never followed).
    expect(await readlink(join(a.target, 'escape'))).toBe('../../..');
    expect(await readlink(join(a.target, 'deeper', 'up'))).toBe('../../../..');
  });

  it('a symlink to an absolute folder or file outside, then a file of the same name', async () => {
    const a = await arena();
    const snap = await w.snapshot([
      symlinkNode('link', a.outside),
      await w.file('link', 'PWNED'),
      symlinkNode('filelink', a.sentinel),
      await w.file('filelink', 'PWNED'),
      await w.dir('sub', [
        symlinkNode('deep', join(a.outside, 'sub')),
        await w.dir('deep', [await w.file('keep.txt', 'PWNED')]),
        await w.file('deep', 'PWNED'),
      ]),
      await w.file('safe.txt', 'SAFE'),
    ]);
    const r = await restoreInArena(a, snap);
    expect(r.code, r.stderr).toBe(3);
    const errors = errorLines(r);
    expect(errors).toEqual([
      'error: /filelink: not restored: duplicate name',
      'error: /link: not restored: duplicate name',
      'error: /sub/deep: not restored: duplicate name',
      'error: /sub/deep: not restored: duplicate name',
    ]);
    expect(await readFile(join(a.target, 'safe.txt'), 'utf8')).toBe('SAFE');
    expect(await readlink(join(a.target, 'link'))).toBe(a.outside);
    expect(await readlink(join(a.target, 'filelink'))).toBe(a.sentinel);
  });
});

describe('a symlink already in the target', () => {
  async function homeSnapshot(): Promise<string> {
    return w.snapshot([
      await w.dir('home', [
        await w.dir('user', [await w.file('file.txt', 'USER FILE')]),
        await w.file('top.txt', 'TOP'),
      ]),
      await w.file('note.txt', 'NOTE'),
    ]);
  }

  /** target/home -> outside (a folder), target/note.txt -> the sentinel (a file). */
  async function plantLinks(a: Arena): Promise<void> {
    await symlink(a.outside, join(a.target, 'home'));
    await symlink(a.sentinel, join(a.target, 'note.txt'));
  }

  it.each(['always', 'if-changed', 'if-newer'])(
    '--overwrite %s: is replaced by a real folder / file, never followed',
    async (policy) => {
      const a = await arena();
      await plantLinks(a);
      const r = await restoreInArena(a, await homeSnapshot(), ['--overwrite', policy]);
      expect([0, 3]).toContain(r.code);
      expect((await lstat(join(a.target, 'home'))).isDirectory()).toBe(true);
      expect(await readFile(join(a.target, 'home', 'user', 'file.txt'), 'utf8')).toBe('USER FILE');
      expect(await readFile(join(a.target, 'home', 'top.txt'), 'utf8')).toBe('TOP');
      if (policy !== 'if-newer') {
        expect(r.code, r.stderr).toBe(0);
        expect(await readFile(join(a.target, 'note.txt'), 'utf8')).toBe('NOTE');
        expect((await lstat(join(a.target, 'note.txt'))).isFile()).toBe(true);
      }
    },
  );

  it('--overwrite never: the link is kept, the folder skipped and reported, nothing followed', async () => {
    const a = await arena();
    await plantLinks(a);
    const r = await restoreInArena(a, await homeSnapshot(), ['--overwrite', 'never']);
    expect(r.code, r.stderr).toBe(3);
    expect(errorLines(r)).toEqual([
      'error: /home: not restored: something else is in its place (overwrite: never)',
    ]);
    expect(await readlink(join(a.target, 'home'))).toBe(a.outside);
    expect(await readlink(join(a.target, 'note.txt'))).toBe(a.sentinel);
  });

  it('--include below the link: the link on the way is replaced, not followed', async () => {
    const a = await arena();
    await plantLinks(a);
    const r = await restoreInArena(a, await homeSnapshot(), ['--include', '/home/user/file.txt']);
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(join(a.target, 'home'))).isDirectory()).toBe(true);
    expect(await readFile(join(a.target, 'home', 'user', 'file.txt'), 'utf8')).toBe('USER FILE');
  });

  it('a link deeper down (target/home/user -> outside) is not followed either', async () => {
    const a = await arena();
    await mkdir(join(a.target, 'home'));
    await symlink(a.outside, join(a.target, 'home', 'user'));
    const r = await restoreInArena(a, await homeSnapshot());
    expect(r.code, r.stderr).toBe(0);
    expect((await lstat(join(a.target, 'home', 'user'))).isDirectory()).toBe(true);
    expect(await readFile(join(a.target, 'home', 'user', 'file.txt'), 'utf8')).toBe('USER FILE');
  });
});

describe('hostile names on the terminal', () => {
  // Raw control characters (C0, DEL, C1) other than the newline ending each line.
  // eslint-disable-next-line no-control-regex -- control characters are what we look for
  const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f]/;
  const names = [
    'new\nline',
    'esc\x1b[31mred',
    'bell\x07',
    'car\rriage',
    'del\x7f',
    'csi\u009b2J',
    'tab\tname',
  ];
  let snap: string;
  let entries: number;
  let namesRepo: string;

  beforeAll(async () => {
    // A repository of its own, so `find` sees this snapshot only.
    namesRepo = join(work, 'names-repo');
    const nw = new TreeWriter(await createRepository(namesRepo));
    const nodes: TreeNode[] = [];
    for (const n of names) nodes.push(await nw.file(n, 'x'));
    nodes.push(symlinkNode('lnk', 'to\n\x1b]0;title\x07'));
    nodes.push(await nw.dir('dir\nx', [await nw.file('f\x1b[2J', 'y')]));
    snap = await nw.snapshot(nodes);
    entries = names.length + 3;
  });

  function expectEscaped(out: string, lines: number): void {
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out.split('\n').filter((l) => l !== '')).toHaveLength(lines);
  }

  it('ls prints them escaped, one line per entry', async () => {
    const r = await strata(['ls', snap, '--repo', namesRepo, '--recursive']);
    expect(r.code, r.stderr).toBe(0);
    expectEscaped(r.stdout, entries);
    expect(r.stdout).toContain('/new\\x0aline');
    expect(r.stdout).toContain('/esc\\x1b[31mred');
    expect(r.stdout).toContain('/dir\\x0ax/f\\x1b[2J');
    expect(r.stdout).toContain('-> to\\x0a\\x1b]0;title\\x07');
  });

  it('find prints them escaped, one line per match', async () => {
    const r = await strata(['find', '*', '--repo', namesRepo]);
    expect(r.code, r.stderr).toBe(0);
    // A header line, one line per match, and the count.
    expectEscaped(r.stdout, entries + 2);
    expect(r.stdout).toContain(`${entries} match(es)`);
    expect(r.stdout).toContain('/bell\\x07');
    expect(r.stdout).toContain('/car\\x0driage');
    expect(r.stdout).toContain('/csi\\x9b2J');
  });

  it('snapshots prints a hostile host, tags and paths escaped', async () => {
    const dir = join(work, 'names-repo-2');
    const nw = new TreeWriter(await createRepository(dir));
    await nw.snapshot([await nw.file('f', 'x')], {
      host: 'host\x1b]0;pwned\x07',
      tags: ['t\nag', 'csi\u009b2J'],
      paths: ['/p\x1b[2J', '/q\rr'],
    });
    const r = await strata(['snapshots', '--repo', dir]);
    expect(r.code, r.stderr).toBe(0);
    // A header, one row, the count.
    expectEscaped(r.stdout, 3);
    expect(r.stdout).toContain('host\\x1b]0;pwned\\x07');
  });

  it('check prints a hostile file name escaped when it reports it', async () => {
    const dir = join(work, 'names-repo-3');
    const nw = new TreeWriter(await createRepository(dir));
    const evil = { ...(await nw.file('evil\x1b[2J\nname', 'x')), content: ['00'.repeat(32)] };
    await nw.snapshot([evil]);
    const r = await strata(['check', '--repo', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('evil\\x1b[2J\\x0aname');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
});
