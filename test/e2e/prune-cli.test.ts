import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';

/** The CLI side of prune: output, --json, forget --prune, unlock, exit codes. */
describe('strata prune (CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let repo: string;
  const cli = (args: string[]) => strata([...args, '--repo', repo]);
  const packs = async () => {
    let n = 0;
    for (const sub of await readdir(join(repo, 'data')))
      if (/^[0-9a-f]{2}$/.test(sub)) n += (await readdir(join(repo, 'data', sub))).length;
    return n;
  };

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    repo = join(dir, 'repo');
    await initRepo(repo);
    for (const name of ['a', 'b']) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'data'), randomBytes(3_000_000));
      const r = await cli(['backup', join(dir, name), '--tag', name]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  afterAll(() => cleanup());

  it('forget --prune forgets, then marks; a later prune deletes; --json reports each step', async () => {
    const before = await packs();
    const dry = await cli([
      'forget',
      '--tag',
      'a',
      '--keep-last',
      '0',
      '--keep-tag',
      'b',
      '--prune',
      '--dry-run',
      '--delay',
      '0',
      '--json',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(await packs()).toBe(before);

    const ids = jsonLines((await cli(['snapshots', '--json'])).stdout)[0] as unknown as {
      id: string;
      tags: string[];
    }[];
    const a = ids.find((s) => s.tags.includes('a'))!.id;
    const r = await cli(['forget', a, '--prune', '--delay', '0', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [forgot, pruned] = jsonLines(r.stdout);
    expect(forgot!.removed).toEqual([a]);
    expect(pruned).toMatchObject({ message_type: 'prune', dryRun: false, snapshots: 1 });
    expect((pruned!.marked as { packs: number }).packs).toBeGreaterThan(0);
    expect(await packs()).toBe(before);

    const second = await cli(['prune', '--delay', '0']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/deleted: \d+ pack\(s\)/);
    expect(await packs()).toBeLessThan(before);
    expect((await cli(['check', '--read-data'])).code).toBe(0);
  });

  it('says when the marked space will be freed, and that there is nothing to do', async () => {
    const b = (
      jsonLines((await cli(['snapshots', '--json'])).stdout)[0] as unknown as { id: string }[]
    )[0]!.id;
    expect((await cli(['forget', b])).code).toBe(0);
    const r = await cli(['prune']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/marked for deletion by a later prune/);
    const again = await cli(['prune']);
    expect(again.stdout).toMatch(/marked, kept for now/);
    expect(again.stdout).toMatch(/run prune again after/);
    const done = await cli(['prune', '--delay', '0']);
    expect(done.stdout).toMatch(/deleted/);
    expect((await cli(['prune', '--delay', '0'])).stdout).toMatch(/nothing to do/);
  });

  it('refuses bad options with exit 1; unlock on a quiet repository removes nothing', async () => {
    for (const [args, message] of [
      [['prune', '--max-unused', '150%'], /--max-unused must be a share/],
      [['prune', '--delay', 'soon'], /--delay must be a duration/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const r = await cli(['unlock']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 stale lock\(s\) removed, 0 live/);
  });
});
