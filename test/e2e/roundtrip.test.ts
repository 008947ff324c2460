/**
 * Round trip of a hostile tree: `strata backup`, then `strata restore --verify` into a fresh
 * target, then a comparison of everything lstat can see (bytes, modes, owners, times, link
 * counts, shared inodes, symlink targets) between the source and the restored copy.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, lchown, link, mkdir, open, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';
import { describeTree, setTimeNs, summaryOf, treeBytes, type EntryInfo } from '../helpers/tree';

const MiB = 1024 * 1024;
const asRoot = process.getuid?.() === 0;

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';
const LONG_ASCII = 'x'.repeat(255);
const LONG_UTF8 = '\u00e9'.repeat(127) + 'z'; // 254 + 1 = 255 bytes
const DEEP_LEVELS = 60;
const deepRel = Array.from(
  { length: DEEP_LEVELS },
  (_, i) => `level-${String(i).padStart(2, '0')}-xxxxxxxxxx`,
).join('/');

const RANDOM_SIZE = 40 * MiB;
const DUP_SIZE = 3 * MiB;
const DUP_NAMES = [
  'dups/copy-1',
  'dups/copy 2',
  'dups/copy-3.bin',
  'dups/nested/copy-4',
  'dups/nested/deeper/copy-5',
  'dups/\u91cd\u590d',
];
const SPARSE_SIZE = 50 * MiB;
const HARDLINKS = ['hard/a/one', 'hard/b/two', 'hard/c/d/three'];

let base: string;
let cleanup: () => Promise<void>;
let src: string;
let repo: string;
let target: string;
let original: Map<string, EntryInfo>;
let restored: Map<string, EntryInfo>;
let backupSummary: Record<string, unknown>;
let restoreSummary: Record<string, unknown>;

async function put(rel: string, content: string | Buffer = `content of ${rel}\n`): Promise<void> {
  const path = join(src, rel);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, content);
}

async function buildHostileTree(): Promise<void> {
  await mkdir(src);

  // Names: unicode in both normal forms side by side, emoji, CJK, right-to-left scripts.
  await put(`names/${NFC}`, 'composed\n');
  await put(`names/${NFD}`, 'decomposed, a different file\n');
  await put('names/\u{1F600}\u{1F389} party \u{1F468}\u200D\u{1F469}\u200D\u{1F467}');
  await put('names/\u4e2d\u6587\u6587\u4ef6\u540d.txt');
  await put('names/\u65e5\u672c\u8a9e/\ud55c\uad6d\uc5b4');
  await put('names/\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd');
  await put('names/\u0645\u0631\u062d\u0628\u0627.txt');
  // Spaces, newlines, backslashes, quotes, other awkward bytes.
  await put('names/ leading space');
  await put('names/trailing space ');
  await put('names/  both  ');
  await put('names/ ');
  await put('names/new\nline');
  await put('names/\nstarts with newline');
  await put('names/back\\slash\\');
  await put('names/"double" quotes');
  await put("names/'single' quotes");
  await put('names/tab\there');
  await put('names/-dash-first');
  await put('names/star*question?');
  await put('names/.hidden');
  await put('names/..dots..');
  await put(`names/${LONG_ASCII}`);
  await put(`names/${LONG_UTF8}`);
  await put(`names/dir with spaces/${NFD} inside`);

  // Deep paths: 60 levels, more than 1000 bytes below the source.
  await put(`${deepRel}/bottom.txt`, 'at the bottom\n');

  // Empty files and folders.
  await put('empty/empty-file', '');
  await mkdir(join(src, 'empty/empty-dir'), { recursive: true });
  await mkdir(join(src, 'empty/nested/empty/deeper'), { recursive: true });

  // Symlinks: relative, absolute, dangling, to a folder, with a hostile target.
  await mkdir(join(src, 'links'));
  await symlink(`../names/${NFC}`, join(src, 'links/relative'));
  await symlink(join(src, 'dups/copy-1'), join(src, 'links/absolute'));
  await symlink('nowhere/at/all', join(src, 'links/dangling'));
  await symlink('../deep-target', join(src, 'links/to-folder'));
  await mkdir(join(src, 'deep-target'));
  await put('deep-target/in-linked-folder.txt');
  await symlink('odd target\nwith newline and \\ and "', join(src, 'links/odd-target'));

  // Hardlinks: a group of three across different folders.
  await put(HARDLINKS[0]!, 'shared by three names\n');
  for (const other of HARDLINKS.slice(1)) {
    await mkdir(join(src, other, '..'), { recursive: true });
    await link(join(src, HARDLINKS[0]!), join(src, other));
  }

  // Odd modes.
  await put('modes/zero', 'nobody may read me\n');
  await put('modes/all', 'everybody may do anything\n');
  await put('modes/setuid', '#!/bin/sh\n');
  await put('modes/setgid-dir/file');
  await put('modes/sticky-dir/file');
  await put('modes/readonly-dir/inside.txt');
  await put('modes/readonly-dir/sub/deeper.txt');
  await chmod(join(src, 'modes/zero'), 0o000);
  await chmod(join(src, 'modes/all'), 0o777);
  await chmod(join(src, 'modes/setuid'), 0o4755);
  await chmod(join(src, 'modes/setgid-dir'), 0o2775);
  await chmod(join(src, 'modes/sticky-dir'), 0o1777);
  await chmod(join(src, 'modes/readonly-dir/sub'), 0o555);
  await chmod(join(src, 'modes/readonly-dir'), 0o555);

  // Owners other than root (only root can give files away).
  if (asRoot) {
    await put('owners/file');
    await mkdir(join(src, 'owners/dir'));
    await symlink('file', join(src, 'owners/link'));
    await chown(join(src, 'owners/file'), 1234, 5678);
    await chown(join(src, 'owners/dir'), 2222, 3333);
    await lchown(join(src, 'owners/link'), 4321, 8765);
  }

  // Large, sparse and duplicated content.
  await put('big/random', randomBytes(RANDOM_SIZE));
  const fh = await open(join(src, 'big/sparse'), 'w');
  await fh.truncate(SPARSE_SIZE);
  await fh.write(
    Buffer.from('a little data in the middle of nothing\n'.repeat(100)),
    0,
    undefined,
    25 * MiB,
  );
  await fh.close();
  const dup = randomBytes(DUP_SIZE);
  for (const name of DUP_NAMES) await put(name, dup);

  // Old and precise times, set last (creating entries moves their folder's mtime).
  await put('times/1970-01-02');
  await put('times/1999');
  await put('times/nanoseconds');
  await put('times/1969');
  await put('times/old-dir/file');
  await put('times/1960-dir/file');
  await symlink('1999', join(src, 'times/old-link'));
  await setTimeNs(join(src, 'times/1970-01-02'), 86_400n);
  await setTimeNs(join(src, 'times/1999'), 929_450_096n, 789_000_000n);
  await setTimeNs(join(src, 'times/nanoseconds'), 1_234_567_890n, 123_456_789n);
  await setTimeNs(join(src, 'times/old-link'), 946_684_799n, 999_999_999n);
  await setTimeNs(join(src, 'times/old-dir'), 1_000_000_000n, 500_000_001n);
  // Before 1970: Node's utimes turns negative numbers into "now" (restore/metadata.ts).
  await setTimeNs(join(src, 'times/1969'), -86_401n, 250_000_000n);
  await setTimeNs(join(src, 'times/1960-dir'), -315_619_200n);
}

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('strata-roundtrip-'));
  src = join(base, 'src');
  repo = join(base, 'repo');
  target = join(base, 'target');
  await buildHostileTree();
  original = await describeTree(src);

  await initRepo(repo);
  const b = await strata(['backup', '--repo', repo, '--json', src]);
  expect(b.stderr).toBe('');
  expect(b.code, b.stderr).toBe(0);
  backupSummary = summaryOf(jsonLines(b.stdout));

  const r = await strata([
    'restore',
    'latest',
    '--repo',
    repo,
    '--target',
    target,
    '--verify',
    '--json',
  ]);
  expect(r.stderr).toBe('');
  expect(r.code, r.stderr).toBe(0);
  restoreSummary = summaryOf(jsonLines(r.stdout));
  // Restored paths keep their place: TARGET + the absolute source path.
  restored = await describeTree(join(target, src));
}, 120_000);

afterAll(async () => {
  await cleanup?.();
});

describe('backup then restore --verify of a hostile tree', () => {
  it('backs up every entry without warnings', () => {
    const files = [...original.values()].filter((e) => e.type === 'file');
    expect(backupSummary.warnings).toBe(0);
    expect(backupSummary.filesNew).toBe(files.length);
    expect(backupSummary.filesChangedDuringBackup).toBe(0);
    const bytes = files.reduce((n, e) => n + e.size, 0);
    expect(backupSummary.totalBytes).toBe(bytes);
  });

  it('restores and verifies every file, with no problems', () => {
    const files = [...original.values()].filter((e) => e.type === 'file');
    // Hardlinks are created as links, so two of the three names are not "files" of the restore.
    const written = files.length - (HARDLINKS.length - 1);
    expect(restoreSummary.problems).toEqual([]);
    expect(restoreSummary.files).toBe(written);
    expect(restoreSummary.verified).toBe(written);
  });

  it('restores exactly the same set of paths', () => {
    expect([...restored.keys()].sort()).toEqual([...original.keys()].sort());
    // A few of the hostile names, spelled out so a mangled name cannot hide in the comparison.
    for (const rel of [
      `names/${NFC}`,
      `names/${NFD}`,
      'names/new\nline',
      'names/back\\slash\\',
      'names/trailing space ',
      'names/ ',
      `names/${LONG_ASCII}`,
      `names/${LONG_UTF8}`,
      `${deepRel}/bottom.txt`,
      'empty/empty-dir',
      'empty/nested/empty/deeper',
    ]) {
      expect(restored.has(rel), rel).toBe(true);
    }
    expect(Buffer.byteLength(LONG_UTF8)).toBe(255);
    expect(Buffer.byteLength(join(src, deepRel))).toBeGreaterThan(1000);
    expect(restored.get(`names/${NFC}`)!.sha256).not.toBe(restored.get(`names/${NFD}`)!.sha256);
  });

  it('restores every entry with the same type, bytes, mode, owner, link count and target', () => {
    for (const [rel, o] of original) {
      const r = restored.get(rel)!;
      expect(r, rel).toBeDefined();
      const pick = (e: EntryInfo) => ({
        type: e.type,
        size: e.type === 'dir' ? undefined : e.size,
        sha256: e.sha256,
        mode: e.type === 'symlink' ? undefined : e.mode,
        uid: e.uid,
        gid: e.gid,
        nlink: e.nlink,
        target: e.target,
      });
      expect(pick(r), JSON.stringify(rel)).toEqual(pick(o));
    }
    // The odd modes, spelled out.
    expect(restored.get('modes/zero')!.mode).toBe(0o000);
    expect(restored.get('modes/all')!.mode).toBe(0o777);
    expect(restored.get('modes/setuid')!.mode).toBe(0o4755);
    expect(restored.get('modes/setgid-dir')!.mode).toBe(0o2775);
    expect(restored.get('modes/sticky-dir')!.mode).toBe(0o1777);
    expect(restored.get('modes/readonly-dir')!.mode).toBe(0o555);
    expect(restored.get('modes/readonly-dir/inside.txt')!.type).toBe('file');
    expect(restored.get('links/dangling')!.target).toBe('nowhere/at/all');
    expect(restored.get('links/absolute')!.target).toBe(join(src, 'dups/copy-1'));
    expect(restored.get('links/to-folder')!.type).toBe('symlink');
    if (asRoot) {
      expect(restored.get('owners/file')).toMatchObject({ uid: 1234, gid: 5678 });
      expect(restored.get('owners/dir')).toMatchObject({ uid: 2222, gid: 3333 });
      expect(restored.get('owners/link')).toMatchObject({ uid: 4321, gid: 8765 });
    }
  });

  it('restores mtimes to within 2 µs (Node sets times as doubles, see restore/metadata.ts)', () => {
    const off: string[] = [];
    for (const [rel, o] of original) {
      const r = restored.get(rel)!;
      const delta = r.mtimeNs - o.mtimeNs;
      if (delta > 2000n || delta < -2000n)
        off.push(`${JSON.stringify(rel)}: ${o.mtimeNs} -> ${r.mtimeNs}`);
    }
    expect(off).toEqual([]);
    const sec = (rel: string) => restored.get(rel)!.mtimeNs / 1_000_000_000n;
    expect(sec('times/1970-01-02')).toBe(86_400n);
    expect(sec('times/1999')).toBe(929_450_096n);
    expect(sec('times/old-dir')).toBe(1_000_000_000n);
    expect(restored.get('times/1969')!.mtimeNs).toBe(-86_401_250_000_000n);
    expect(sec('times/1960-dir')).toBe(-315_619_200n);
    // times/old-link (…799.999999999) may round up to the next second: the loop above checks it.
    const nanos = restored.get('times/nanoseconds')!.mtimeNs;
    expect(nanos - 1_234_567_890_123_456_789n).toBeLessThanOrEqual(0n);
    expect(nanos - 1_234_567_890_123_456_789n).toBeGreaterThanOrEqual(-2000n);
  });

  it('restores the hardlink group as one inode, and duplicates as separate files', () => {
    const inodes = HARDLINKS.map((rel) => restored.get(rel)!.ino);
    expect(new Set(inodes).size).toBe(1);
    for (const rel of HARDLINKS) expect(restored.get(rel)!.nlink).toBe(3);
    // No other restored entry shares that inode.
    const sharing = [...restored].filter(([, e]) => e.ino === inodes[0]).map(([rel]) => rel);
    expect(sharing.sort()).toEqual([...HARDLINKS].sort());
    // Same content is not the same file: duplicates are restored as independent files.
    const dupInodes = DUP_NAMES.map((rel) => restored.get(rel)!.ino);
    expect(new Set(dupInodes).size).toBe(DUP_NAMES.length);
    for (const rel of DUP_NAMES) expect(restored.get(rel)!.nlink).toBe(1);
  });

  it('restores the large and sparse files byte for byte, the sparse one with holes', () => {
    expect(restored.get('big/random')!.size).toBe(RANDOM_SIZE);
    expect(restored.get('big/random')!.sha256).toBe(original.get('big/random')!.sha256);
    const sparse = restored.get('big/sparse')!;
    expect(sparse.size).toBe(SPARSE_SIZE);
    expect(sparse.sha256).toBe(original.get('big/sparse')!.sha256);
    // All-zero chunks are left as holes (restore/content.ts): far less than 50 MiB allocated.
    expect(original.get('big/sparse')!.allocated).toBeLessThan(MiB);
    expect(sparse.allocated).toBeLessThan(SPARSE_SIZE / 2);
  });

  it('stores duplicated content once (deduplication)', async () => {
    const dupData = DUP_SIZE * DUP_NAMES.length;
    const stored = await treeBytes(join(repo, 'data'));
    // Everything that is not a duplicate: the 40 MiB of random data (incompressible), and
    // small stuff. The duplicates must add about one copy, far less than their 18 MiB.
    expect(stored).toBeGreaterThan(RANDOM_SIZE + DUP_SIZE);
    expect(stored).toBeLessThan(RANDOM_SIZE + DUP_SIZE + 2 * MiB);
    expect(stored).toBeLessThan(RANDOM_SIZE + dupData / 2);
  });
});
