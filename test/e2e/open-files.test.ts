/**
 * A restore of thousands of small files under a low open-file limit (`ulimit -n`, which also
 * caps the hard limit Node would otherwise raise its own to). A pack range of tiny blobs holds
 * thousands of files; the worker that kept every file of a range open until the range was
 * done restored 77 of 4,500 files under a limit of 100 (the rest: EMFILE), and ~230k of a
 * million under this machine's 20,000. macOS starts programs with a limit of 256.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, STRATA_BIN, strata, tempDir } from '../helpers/cli';

const FOLDERS = 3;
const PER_FOLDER = 1500;
const LIMIT = 64;

let base: string;
let cleanup: () => Promise<void>;
let src: string;
let repo: string;

const small = (d: number, i: number) => `small file ${d}/${i}\n`.repeat(1 + (i % 5));

/** `strata ARGS...` under `ulimit -n LIMIT`. */
function strataLimited(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      'bash',
      ['-c', `ulimit -n ${LIMIT} && exec "$@"`, 'bash', process.execPath, STRATA_BIN, ...args],
      {
        env: { ...process.env, STRATA_PASSWORD: 'test-password' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

describe.skipIf(process.platform === 'win32')(
  'restore under a low open-file limit (needs bash and ulimit)',
  () => {
    const large = randomBytes(6 * 1024 * 1024); // several blobs, written into a file made before

    beforeAll(async () => {
      ({ dir: base, cleanup } = await tempDir('strata-open-files-'));
      src = join(base, 'src');
      repo = join(base, 'repo');
      for (let d = 0; d < FOLDERS; d++) {
        await mkdir(join(src, `d${d}`), { recursive: true });
        for (let i = 0; i < PER_FOLDER; i++)
          await writeFile(join(src, `d${d}`, `f${i}`), small(d, i));
      }
      await writeFile(join(src, 'large.bin'), large);
      await initRepo(repo);
      const b = await strata(['backup', src, '--repo', repo]);
      expect(b.code, b.stderr).toBe(0);
    }, 120_000);
    afterAll(() => cleanup?.());

    it('restores every file, each intact', async () => {
      const target = join(base, 'out');
      const r = await strataLimited(['restore', 'latest', '--repo', repo, '--target', target]);
      expect(r.out).not.toMatch(/EMFILE|not restored|damaged/);
      expect(r.code, r.out).toBe(0);
      const at = join(target, src);
      let intact = 0;
      for (let d = 0; d < FOLDERS; d++)
        for (let i = 0; i < PER_FOLDER; i++)
          if ((await readFile(join(at, `d${d}`, `f${i}`), 'utf8')) === small(d, i)) intact++;
      expect(intact).toBe(FOLDERS * PER_FOLDER);
      expect((await readFile(join(at, 'large.bin'))).equals(large)).toBe(true);
    }, 120_000);
  },
);
