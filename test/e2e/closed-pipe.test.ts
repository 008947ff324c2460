/** `strata … | head`: a reader that stops early must not crash the command. */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, STRATA_BIN, strata, tempDir } from '../helpers/cli';

let base: string;
let cleanup: () => Promise<void>;
let repo: string;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('strata-pipe-'));
  repo = join(base, 'repo');
  await initRepo(repo);
  const src = join(base, 'src');
  await mkdir(src);
  for (let i = 0; i < 3000; i++) await writeFile(join(src, `file-${i}.txt`), `${i}\n`);
  const r = await strata(['backup', '--repo', repo, src]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => cleanup?.());

describe('a closed stdout', () => {
  it('ends the listing quietly with its exit code, not with an unhandled EPIPE', async () => {
    const child = spawn(
      process.execPath,
      [STRATA_BIN, 'ls', 'latest', '--recursive', '--repo', repo],
      {
        env: { ...process.env, STRATA_PASSWORD: 'test-password' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Like `head -1`: read the first chunk, then close the pipe.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
