/**
 * Incremental backups through the CLI: the fast path that reuses a parent snapshot's content
 * without reading files, what makes a file count as changed, files that cannot be backed up,
 * special files, excludes and dry runs.
 */
import { execFile } from 'node:child_process';
import { chmod, chown, mkdir, readFile, rename, utimes, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';
import { countFiles, sleep, strataAs, summaryOf } from '../helpers/tree';

const run = promisify(execFile);

let base: string;
let cleanup: () => Promise<void>;
let repo: string;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('strata-incremental-'));
  repo = join(base, 'repo');
  await initRepo(repo);
});

afterAll(async () => {
  await cleanup?.();
});

async function backup(args: readonly string[]): Promise<Record<string, unknown>> {
  const r = await strata(['backup', '--repo', repo, '--json', ...args]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  return summaryOf(jsonLines(r.stdout));
}

/** Restores one file of a snapshot into a fresh folder and returns its content. */
async function restoredContent(snapshot: string, path: string): Promise<string> {
  const target = join(base, `restore-${Math.random().toString(16).slice(2)}`);
  const r = await strata([
    'restore',
    snapshot,
    '--repo',
    repo,
    '--target',
    target,
    '--include',
    path,
    '--verify',
  ]);
  expect(r.code, r.stderr).toBe(0);
  return readFile(join(target, path), 'utf8');
}

/** `strata ls SNAPSHOT ROOT --recursive --json` as paths relative to ROOT. */
async function listRelative(snapshot: string, root: string): Promise<Map<string, string>> {
  const r = await strata(['ls', '--repo', repo, snapshot, root, '--recursive', '--json']);
  expect(r.code, r.stderr).toBe(0);
  const [doc] = jsonLines(r.stdout) as { entries: { path: string; type: string }[] }[];
  return new Map(doc!.entries.map((e) => [e.path.slice(root.length + 1), e.type]));
}

async function countRepoFiles(): Promise<{ data: number; index: number; snapshots: number }> {
  return {
    data: await countFiles(join(repo, 'data')),
    index: await countFiles(join(repo, 'index')),
    snapshots: await countFiles(join(repo, 'snapshots')),
  };
}

describe('incremental backups', () => {
  // The steps build on each other: one source, a chain of snapshots.
  let src: string;
  const files = [
    'a.txt',
    'b.txt',
    'docs/one.md',
    'docs/two.md',
    'docs/deep/three.md',
    'media/photo.bin',
    'media/clip.bin',
    'z/last.txt',
  ];
  /** Whole seconds, so fs.utimes can set them back exactly (it only has microseconds). */
  const OLD_MTIME = 1_600_000_000;
  let first: string;
  let third: string;
  const size = new Map<string, number>();

  beforeAll(async () => {
    src = join(base, 'src');
    for (const [i, rel] of files.entries()) {
      await mkdir(join(src, rel, '..'), { recursive: true });
      const body = rel.endsWith('.bin')
        ? Buffer.alloc(300_000 + i, i)
        : `${rel}: ${'text '.repeat(20 + i)}\n`;
      await writeFile(join(src, rel), body);
      await utimes(join(src, rel), OLD_MTIME + i, OLD_MTIME + i);
      size.set(rel, Buffer.byteLength(body));
    }
    // The racy-timestamp guard never trusts a file whose mtime or ctime lies within 2 s of
    // the parent backup's start. mtimes are old, but the ctimes are now: let them age.
    await sleep(2200);
    const s = await backup([src]);
    expect(s.filesNew).toBe(files.length);
    expect(s.parent).toBeNull();
    first = s.snapshot_id as string;
  });

  it('(a) a second backup of an unchanged tree reads no file content', async () => {
    const s = await backup([src]);
    expect(s.bytesRead).toBe(0);
    expect(s.filesUnchanged).toBe(files.length);
    expect(s.filesNew).toBe(0);
    expect(s.filesChanged).toBe(0);
    expect(s.snapshot_id).toMatch(/^[0-9a-f]{64}$/);
    expect(s.snapshot_id).not.toBe(first);
    expect(s.parent).toBe(first);
    expect(s.totalBytes).toBe([...size.values()].reduce((a, b) => a + b, 0));

    const list = await strata(['snapshots', '--repo', repo, '--json']);
    const all = JSON.parse(list.stdout) as { id: string; parent?: string }[];
    expect(all.find((x) => x.id === s.snapshot_id)?.parent).toBe(first);
  });

  it('(b) an appended file is read again; both snapshots restore their own content', async () => {
    const rel = 'docs/two.md';
    const before = await readFile(join(src, rel), 'utf8');
    await writeFile(join(src, rel), 'appended line\n', { flag: 'a' });
    const after = await readFile(join(src, rel), 'utf8');
    // Let the new ctime age past the racy window, so that later backups with this snapshot as
    // parent do not re-read this file (step c counts exactly what is read).
    await sleep(2200);
    const s = await backup([src]);
    expect(s.filesChanged).toBe(1);
    expect(s.filesUnchanged).toBe(files.length - 1);
    expect(s.filesNew).toBe(0);
    // Only that file was read, all of it.
    expect(s.bytesRead).toBe(Buffer.byteLength(after));
    third = s.snapshot_id as string;

    expect(await restoredContent(third, join(src, rel))).toBe(after);
    expect(await restoredContent(first, join(src, rel))).toBe(before);
  });

  it('(c) an unchanged-looking file is not opened at all', async () => {
    // Overwrite a file with different bytes of the same size, under a new inode (write then
    // rename), and put its old mtime back. Size and mtime now match the parent snapshot; only
    // ctime and inode tell the change.
    const rel = 'docs/one.md';
    const path = join(src, rel);
    const old = await readFile(path, 'utf8');
    const replacement = old.toUpperCase();
    expect(replacement).not.toBe(old);
    expect(Buffer.byteLength(replacement)).toBe(Buffer.byteLength(old));
    const mtime = OLD_MTIME + files.indexOf(rel);
    await writeFile(`${path}.new`, replacement);
    await utimes(`${path}.new`, mtime, mtime);
    await rename(`${path}.new`, path);

    // With --ignore-ctime --ignore-inode the file looks unchanged, so its content is taken
    // from the parent snapshot. The snapshot then holds bytes that no longer exist on disk:
    // had the backup opened and read the file, it could only have stored the new bytes. So
    // the old bytes on restore prove that the file was not read (and bytesRead 0 agrees).
    const blind = await backup([src, '--parent', third, '--ignore-ctime', '--ignore-inode']);
    expect(blind.bytesRead).toBe(0);
    expect(blind.filesUnchanged).toBe(files.length);
    expect(await restoredContent(blind.snapshot_id as string, path)).toBe(old);

    // Each guard alone catches it. All three backups use the same parent on purpose: the
    // blind snapshot above recorded the file's new ctime and inode with its old content, so
    // it is not the parent to compare against.
    const inodeGuard = await backup([src, '--parent', third, '--ignore-ctime']);
    expect(inodeGuard.filesChanged).toBe(1);
    expect(inodeGuard.bytesRead).toBe(Buffer.byteLength(replacement));
    expect(await restoredContent(inodeGuard.snapshot_id as string, path)).toBe(replacement);

    const ctimeGuard = await backup([src, '--parent', third, '--ignore-inode']);
    expect(ctimeGuard.filesChanged).toBe(1);
    expect(await restoredContent(ctimeGuard.snapshot_id as string, path)).toBe(replacement);

    const plain = await backup([src, '--parent', third]);
    expect(plain.filesChanged).toBe(1);
    expect(plain.filesUnchanged).toBe(files.length - 1);
    expect(plain.bytesRead).toBe(Buffer.byteLength(replacement));
    expect(await restoredContent(plain.snapshot_id as string, path)).toBe(replacement);
  });

  it('(d) an unchanged tree keeps its ids; a change of mode alone still reaches the snapshot', async () => {
    const treeOf = async (id: string): Promise<string> => {
      const r = await strata(['snapshots', '--repo', repo, '--json']);
      return (JSON.parse(r.stdout) as { id: string; tree: string }[]).find((x) => x.id === id)!
        .tree;
    };
    const modes = async (id: string): Promise<Map<string, number>> => {
      const r = await strata(['ls', '--repo', repo, id, src, '--recursive', '--json']);
      const [doc] = jsonLines(r.stdout) as { entries: { path: string; mode: number }[] }[];
      return new Map(doc!.entries.map((e) => [e.path.slice(src.length + 1), e.mode]));
    };
    // Settle the tree after step (c), then two runs with nothing changed: the same root tree.
    await sleep(2200);
    await backup([src]);
    const a = await backup([src]);
    const b = await backup([src]);
    expect(b.bytesRead).toBe(0);
    expect(await treeOf(b.snapshot_id as string)).toBe(await treeOf(a.snapshot_id as string));

    // chmod changes only mode and ctime. With --ignore-ctime the file's content is reused
    // (nothing read), but its node, its folder's node and every tree above must be new.
    await chmod(join(src, 'docs/deep/three.md'), 0o600);
    await chmod(join(src, 'media'), 0o700);
    const c = await backup([src, '--ignore-ctime']);
    expect(c.bytesRead).toBe(0);
    expect(c.filesUnchanged).toBe(files.length);
    expect(await treeOf(c.snapshot_id as string)).not.toBe(await treeOf(b.snapshot_id as string));
    const after = await modes(c.snapshot_id as string);
    expect(after.get('docs/deep/three.md')).toBe(0o600);
    expect(after.get('media')).toBe(0o700);
    expect((await modes(b.snapshot_id as string)).get('docs/deep/three.md')).not.toBe(0o600);
  });
});

describe('entries that cannot or must not be read', () => {
  it('a source path that does not exist is fatal: exit 1, no snapshot', async () => {
    const before = await countRepoFiles();
    const missing = join(base, 'no-such-folder');
    const r = await strata(['backup', '--repo', repo, missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot back up ${missing}`);
    expect(r.stderr).toContain('ENOENT');
    expect(await countRepoFiles()).toEqual(before);
  });

  it('stores a FIFO and a socket as nodes without reading them', async () => {
    const src = join(base, 'special');
    await mkdir(src);
    await writeFile(join(src, 'plain.txt'), 'plain\n');
    // Opening a FIFO for reading blocks until a writer comes: a backup that tried would hang.
    await run('mkfifo', [join(src, 'pipe')]);
    const server: Server = createServer();
    await new Promise<void>((done) => server.listen(join(src, 'socket'), done));
    try {
      const s = await backup([src]);
      expect(s.warnings).toBe(0);
      expect(s.filesNew).toBe(1);
      const listed = await listRelative(s.snapshot_id as string, src);
      expect(Object.fromEntries(listed)).toEqual({
        pipe: 'fifo',
        'plain.txt': 'file',
        socket: 'socket',
      });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });

  it('skips unreadable files and folders with warnings and exit code 3', async () => {
    // As root every file is readable, so the CLI runs as "nobody" then; otherwise as us.
    const asRoot = process.getuid?.() === 0;
    const uid = asRoot ? 65534 : process.getuid!();
    const gid = asRoot ? 65534 : process.getgid!();
    const area = join(base, 'unreadable');
    const src = join(area, 'src');
    const userRepo = join(area, 'repo');
    await mkdir(join(src, 'locked'), { recursive: true });
    await writeFile(join(src, 'ok.txt'), 'readable\n');
    await writeFile(join(src, 'secret.txt'), 'unreadable\n');
    await writeFile(join(src, 'locked', 'inside.txt'), 'in an unlistable folder\n');
    if (asRoot) {
      await chmod(base, 0o755); // mkdtemp made it 0700
      for (const p of [area, src, join(src, 'ok.txt')]) await chown(p, uid, gid);
    }
    await chmod(join(src, 'secret.txt'), 0o000);
    await chmod(join(src, 'locked'), 0o000);
    try {
      const init = await strataAs(uid, gid, ['init', '--repo', userRepo, '--kdf-log-n', '10']);
      expect(init.stderr).toBe('');
      expect(init.code, init.stderr).toBe(0);

      const r = await strataAs(uid, gid, ['backup', '--repo', userRepo, '--json', src]);
      expect(r.code).toBe(3);
      const lines = jsonLines(r.stdout);
      const warnings = lines
        .filter((l) => l.message_type === 'warning')
        .map((w) => ({ path: w.path, kind: w.kind }));
      expect(warnings).toEqual([
        { path: join(src, 'locked'), kind: 'skipped' },
        { path: join(src, 'secret.txt'), kind: 'skipped' },
      ]);
      const s = summaryOf(lines);
      expect(s.warnings).toBe(2);
      expect(s.filesNew).toBe(1);
      expect(s.snapshot_id).toMatch(/^[0-9a-f]{64}$/);

      // The snapshot was written and holds what could be read.
      const ls = await strata(['ls', '--repo', userRepo, 'latest', src, '--recursive', '--json']);
      expect(ls.code, ls.stderr).toBe(0);
      const [doc] = jsonLines(ls.stdout) as { entries: { path: string }[] }[];
      const paths = doc!.entries.map((e) => e.path);
      expect(paths).toContain(join(src, 'ok.txt'));
      expect(paths).not.toContain(join(src, 'secret.txt'));
      expect(paths).not.toContain(join(src, 'locked', 'inside.txt'));

      // Without --json the warnings go to stderr, and the exit code is still 3.
      const text = await strataAs(uid, gid, ['backup', '--repo', userRepo, src]);
      expect(text.code).toBe(3);
      expect(text.stderr).toContain(`${join(src, 'secret.txt')}: cannot open`);
      expect(text.stderr).toContain(`${join(src, 'locked')}: cannot list folder`);
    } finally {
      await chmod(join(src, 'locked'), 0o755);
    }
  });
});

describe('excludes', () => {
  const patterns = ['*.tmp', '/top-only', 'cache/', '!keep.tmp'];
  const tree = [
    'a.txt',
    'a.tmp',
    'keep.tmp',
    'top-only',
    'top-only.txt',
    'sub/top-only',
    'sub/b.tmp',
    'sub/keep.tmp',
    'sub/cache/y.txt',
    'cache/x.txt',
    'cache/keep.tmp',
    'notdir/cache',
    'deep/er/z.tmp',
  ];
  // gitignore semantics: *.tmp at any depth, /top-only only at the top of the source, cache/
  // only folders (a file named cache stays), !keep.tmp re-includes, but not inside an
  // excluded folder (an excluded folder is not entered at all).
  const expected = {
    'a.txt': 'file',
    'keep.tmp': 'file',
    'top-only.txt': 'file',
    sub: 'dir',
    'sub/top-only': 'file',
    'sub/keep.tmp': 'file',
    notdir: 'dir',
    'notdir/cache': 'file',
    deep: 'dir',
    'deep/er': 'dir',
  };
  let src: string;

  beforeAll(async () => {
    src = join(base, 'excludes-src');
    for (const rel of tree) {
      await mkdir(join(src, rel, '..'), { recursive: true });
      await writeFile(join(src, rel), `${rel}\n`);
    }
  });

  it('--exclude patterns select exactly the expected paths', async () => {
    const s = await backup([src, ...patterns.flatMap((p) => ['--exclude', p])]);
    expect(Object.fromEntries(await listRelative(s.snapshot_id as string, src))).toEqual(expected);
    const list = await strata(['snapshots', '--repo', repo, '--json']);
    const snap = (JSON.parse(list.stdout) as { id: string; excludes: string[] }[]).find(
      (x) => x.id === s.snapshot_id,
    );
    expect(snap?.excludes).toEqual(patterns);
  });

  it('--exclude-file reads the same patterns, skipping comments and blank lines', async () => {
    const file = join(base, 'excludes.txt');
    await writeFile(
      file,
      `# build output\n\n${patterns.slice(0, 2).join('\n')}\r\n\n# caches\n${patterns.slice(2).join('\n')}\n`,
    );
    const s = await backup([src, '--exclude-file', file]);
    expect(Object.fromEntries(await listRelative(s.snapshot_id as string, src))).toEqual(expected);
  });

  it('an unreadable --exclude-file is an error (exit 1)', async () => {
    const r = await strata(['backup', '--repo', repo, src, '--exclude-file', join(base, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read exclude file');
  });
});

describe('--dry-run', () => {
  it('counts what it would add but writes no pack, index or snapshot', async () => {
    const src = join(base, 'dry');
    await mkdir(src);
    await writeFile(join(src, 'new-data.bin'), Buffer.alloc(2_000_000, 7));
    await writeFile(join(src, 'more.txt'), 'never stored before\n');
    const before = await countRepoFiles();
    const s = await backup([src, '--dry-run']);
    expect(s.dry_run).toBe(true);
    expect(s.snapshot_id).toBeNull();
    expect(s.filesNew).toBe(2);
    expect(s.bytesRead).toBe(2_000_000 + 20);
    expect(s.blobsAdded as number).toBeGreaterThan(0);
    expect(await countRepoFiles()).toEqual(before);

    // The same backup for real does write them: the counting above could have seen it.
    const real = await backup([src]);
    expect(real.parent).toBeNull(); // the dry run left no snapshot to be a parent
    const after = await countRepoFiles();
    expect(after.data).toBeGreaterThan(before.data);
    expect(after.snapshots).toBe(before.snapshots + 1);
  });
});
