import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXCLUDES_IGNORE_CASE,
  makeExcluder,
  readExcludeFiles,
} from '../../../../electron/engine/backup/excludes';
import { StrataError } from '../../../../shared/errors';

type Probe = [rel: string, isDir: boolean, excluded: boolean];

/** Checks every probe against the excluder made from `patterns`. */
function expectProbes(patterns: string[], probes: Probe[]): void {
  const exclude = makeExcluder(patterns);
  for (const [rel, isDir, excluded] of probes) {
    expect(exclude(rel, isDir), `${patterns.join(' ')} on ${rel}${isDir ? '/' : ''}`).toBe(
      excluded,
    );
  }
}

describe('makeExcluder (gitignore semantics)', () => {
  it('excludes nothing without patterns', () => {
    expectProbes(
      [],
      [
        ['a.tmp', false, false],
        ['build', true, false],
      ],
    );
  });

  it('never excludes the source itself (empty relative path)', () => {
    expect(makeExcluder(['*'])('', true)).toBe(false);
    expect(makeExcluder(['*'])('x', false)).toBe(true);
  });

  it('*.tmp matches files and folders at any depth, and nothing else', () => {
    expectProbes(
      ['*.tmp'],
      [
        ['a.tmp', false, true],
        ['x/a.tmp', false, true],
        ['x/y/z/a.tmp', false, true],
        ['dir.tmp', true, true],
        ['a.tmpx', false, false],
        ['a.tmp.txt', false, false],
        ['atmp', false, false],
      ],
    );
  });

  it('folds case only where file systems do (git core.ignorecase), never on Linux', () => {
    const exclude = makeExcluder(['*.tmp', '/Build']);
    expect(EXCLUDES_IGNORE_CASE).toBe(
      process.platform === 'win32' || process.platform === 'darwin',
    );
    expect(exclude('x/a.TMP', false)).toBe(EXCLUDES_IGNORE_CASE);
    expect(exclude('A.Tmp', false)).toBe(EXCLUDES_IGNORE_CASE);
    expect(exclude('build', true)).toBe(EXCLUDES_IGNORE_CASE);
    expect(exclude('Build', true)).toBe(true);
    expect(exclude('a.tmp', false)).toBe(true);
  });

  it('/build is anchored at the top of the source', () => {
    expectProbes(
      ['/build'],
      [
        ['build', true, true],
        ['build', false, true],
        ['src/build', true, false],
        ['src/build', false, false],
        ['builder', true, false],
      ],
    );
  });

  it('a pattern with a slash in the middle is anchored too', () => {
    expectProbes(
      ['docs/out'],
      [
        ['docs/out', true, true],
        ['x/docs/out', true, false],
      ],
    );
  });

  it('cache/ matches folders only, at any depth', () => {
    expectProbes(
      ['cache/'],
      [
        ['cache', true, true],
        ['x/cache', true, true],
        ['x/y/cache', true, true],
        ['cache', false, false],
        ['x/cache', false, false],
        ['cached', true, false],
      ],
    );
  });

  it('!keep.tmp re-includes what an earlier pattern excluded', () => {
    expectProbes(
      ['*.tmp', '!keep.tmp'],
      [
        ['other.tmp', false, true],
        ['keep.tmp', false, false],
        ['x/keep.tmp', false, false],
        ['x/other.tmp', false, true],
      ],
    );
  });

  it('order matters: a later pattern wins over an earlier negation', () => {
    expectProbes(
      ['!keep.tmp', '*.tmp'],
      [
        ['keep.tmp', false, true],
        ['other.tmp', false, true],
      ],
    );
  });

  it('a folder excluded stays excluded even if a file in it is re-included', () => {
    // gitignore: "it is not possible to re-include a file if a parent directory is excluded";
    // the archiver never enters an excluded folder, so the folder itself must answer true.
    expectProbes(
      ['build/', '!build/keep.txt'],
      [
        ['build', true, true],
        ['x/build', true, true],
      ],
    );
  });

  it('**/x/y matches x/y at any depth', () => {
    expectProbes(
      ['**/x/y'],
      [
        ['x/y', true, true],
        ['x/y', false, true],
        ['a/x/y', false, true],
        ['a/b/c/x/y', true, true],
        ['x/z', false, false],
        ['a/x', true, false],
        ['xx/y', false, false],
      ],
    );
  });

  it('a/**/b matches zero or more folders in between', () => {
    expectProbes(
      ['a/**/b'],
      [
        ['a/b', false, true],
        ['a/x/b', false, true],
        ['a/x/y/b', false, true],
        ['c/a/b', false, false],
      ],
    );
  });

  it('a name without wildcards matches that name at any depth', () => {
    expectProbes(
      ['node_modules'],
      [
        ['node_modules', true, true],
        ['a/b/node_modules', true, true],
        ['node_modules2', true, false],
      ],
    );
  });

  it('? and [] match one character', () => {
    expectProbes(
      ['file?.log', 'img[0-9].png'],
      [
        ['file1.log', false, true],
        ['file12.log', false, false],
        ['img7.png', false, true],
        ['imgx.png', false, false],
      ],
    );
  });
});

describe('readExcludeFiles', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-excludes-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one pattern per line, skipping comments and blank lines', async () => {
    const file = join(dir, 'one');
    await writeFile(file, '# build output\n*.tmp\n\n   \n/build\n#cache/\ncache/\n!keep.tmp\n');
    expect(await readExcludeFiles([file])).toEqual(['*.tmp', '/build', 'cache/', '!keep.tmp']);
  });

  it('handles CRLF line ends and a missing final newline', async () => {
    const file = join(dir, 'crlf');
    await writeFile(file, '# windows\r\n*.bak\r\n\r\nThumbs.db');
    expect(await readExcludeFiles([file])).toEqual(['*.bak', 'Thumbs.db']);
  });

  it('keeps an escaped hash, which excludes a name starting with #', async () => {
    const file = join(dir, 'hash');
    await writeFile(file, '\\#notes\n');
    const patterns = await readExcludeFiles([file]);
    expect(patterns).toEqual(['\\#notes']);
    expect(makeExcluder(patterns)('#notes', false)).toBe(true);
    expect(makeExcluder(patterns)('notes', false)).toBe(false);
  });

  it('concatenates several files in order', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await writeFile(a, '*.tmp\n');
    await writeFile(b, '!keep.tmp\n');
    const patterns = await readExcludeFiles([a, b]);
    expect(patterns).toEqual(['*.tmp', '!keep.tmp']);
    expect(makeExcluder(patterns)('keep.tmp', false)).toBe(false);
  });

  it('reads nothing from no files and an empty file', async () => {
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    expect(await readExcludeFiles([])).toEqual([]);
    expect(await readExcludeFiles([empty])).toEqual([]);
  });

  it('a missing file is INVALID_ARGUMENT naming the file', async () => {
    const missing = join(dir, 'does-not-exist');
    const err = await readExcludeFiles([missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('INVALID_ARGUMENT');
    expect((err as StrataError).message).toContain(missing);
  });

  it('a folder given as an exclude file is INVALID_ARGUMENT too', async () => {
    const err = await readExcludeFiles([dir]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('INVALID_ARGUMENT');
  });
});
