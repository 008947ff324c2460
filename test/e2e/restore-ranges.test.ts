/**
 * A restore whose pack ranges are cut by count, not bytes (restore/content.ts MAX_RANGE_REFS:
 * 1,024 references a range): thousands of tiny files, and one blob shared by more files than a
 * range holds, so its references are split over several ranges. Every file comes back with its
 * bytes, mode and time, and `--verify` proves them all.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, strata, tempDir } from '../helpers/cli';
import { describeTree, setTimeNs, summaryOf } from '../helpers/tree';

const SAME = 2600; // one blob, ~2.5 ranges of references
const TINY = 1500;

let base: string;
let cleanup: () => Promise<void>;
let src: string;
let repo: string;

describe('restore of many tiny files and a blob shared by thousands', () => {
  beforeAll(async () => {
    ({ dir: base, cleanup } = await tempDir('strata-ranges-'));
    src = join(base, 'src');
    repo = join(base, 'repo');
    await mkdir(join(src, 'same'), { recursive: true });
    await mkdir(join(src, 'tiny'), { recursive: true });
    for (let i = 0; i < SAME; i++) await writeFile(join(src, 'same', `s${i}`), 'the same\n');
    for (let i = 0; i < TINY; i++) {
      const f = join(src, 'tiny', `t${i}`);
      await writeFile(f, `tiny ${i}\n`);
      await chmod(f, [0o644, 0o600, 0o755, 0o444][i % 4]!);
    }
    for (let i = 0; i < TINY; i += 97)
      await setTimeNs(join(src, 'tiny', `t${i}`), 1_000_000_000n + BigInt(i), 123_456_789n);
    await initRepo(repo);
    const b = await strata(['backup', src, '--repo', repo]);
    expect(b.code, b.stderr).toBe(0);
  }, 120_000);
  afterAll(() => cleanup?.());

  it('restores and proves every file', async () => {
    const target = join(base, 'out');
    const args = ['restore', 'latest', '--repo', repo, '--target', target, '--verify', '--json'];
    const r = await strata(args);
    expect(r.code, r.stderr).toBe(0);
    const summary = summaryOf(jsonLines(r.stdout));
    expect(summary).toMatchObject({ files: SAME + TINY, verified: SAME + TINY, problems: [] });
    const before = await describeTree(src);
    const after = await describeTree(join(target, src));
    const differ: string[] = [];
    for (const [rel, o] of before) {
      if (rel === '' || o.type !== 'file') continue;
      const n = after.get(rel);
      const off = n ? n.mtimeNs - o.mtimeNs : 0n;
      if (!n || n.sha256 !== o.sha256 || n.mode !== o.mode || off > 2000n || off < -2000n)
        differ.push(rel);
    }
    expect(differ).toEqual([]);
    expect([...after.values()].filter((e) => e.type === 'file').length).toBe(SAME + TINY);
  }, 120_000);
});
