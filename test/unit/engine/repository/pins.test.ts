import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBackend } from '../../../../electron/engine/backends/local';
import {
  listPins,
  pin,
  pinName,
  pinsForForget,
  unpin,
} from '../../../../electron/engine/repository/pins';
import { Repository } from '../../../../electron/engine/repository/repository';
import { StrataError } from '../../../../shared/errors';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('pins', () => {
  let dir: string;
  let repo: Repository;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-pins-'));
    repo = await Repository.init(new LocalBackend(join(dir, 'repo')), 'pw', { kdfLogN: 10 });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pinning twice leaves one file; unpinning removes it', async () => {
    expect(await pin(repo, A)).toBe(true);
    expect(await pin(repo, A)).toBe(false);
    expect(await pin(repo, B)).toBe(true);
    expect((await repo.backend.list('pins')).map((f) => f.name).sort()).toEqual(
      [pinName(repo, A), pinName(repo, B)].sort(),
    );
    expect((await listPins(repo)).pinned).toEqual(new Set([A, B]));
    expect(await unpin(repo, A)).toBe(true);
    expect(await unpin(repo, A)).toBe(false);
    expect(await pinsForForget(repo)).toEqual(new Set([B]));
  });

  it('pin files are sealed: the snapshot id is not in them in the clear', async () => {
    await pin(repo, A);
    const [file] = await readdir(join(dir, 'repo', 'pins'));
    const bytes = await repo.backend.read({ kind: 'pins', name: file as string });
    expect(bytes.toString('latin1')).not.toContain(A);
  });

  it('a damaged pin is a problem for listing and stops forget, naming the file', async () => {
    await pin(repo, A);
    const name = pinName(repo, B);
    await writeFile(join(dir, 'repo', 'pins', name), Buffer.alloc(64, 7));
    const { pinned, problems } = await listPins(repo);
    expect(pinned).toEqual(new Set([A]));
    expect(problems.map((p) => p.name)).toEqual([name]);
    const err = await pinsForForget(repo).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StrataError);
    expect((err as StrataError).code).toBe('REPO_CORRUPT');
    expect((err as StrataError).message).toContain(`pins/${name}`);
    expect((err as StrataError).message).toContain('Nothing was forgotten');
  });

  it('a pin moved to another name does not open (its name is bound to its content)', async () => {
    await pin(repo, A);
    const bytes = await repo.backend.read({ kind: 'pins', name: pinName(repo, A) });
    await repo.backend.write({ kind: 'pins', name: 'c'.repeat(64) }, bytes);
    expect((await listPins(repo)).problems.map((p) => p.name)).toEqual(['c'.repeat(64)]);
  });
});
