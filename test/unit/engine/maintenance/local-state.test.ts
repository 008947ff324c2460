import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  localStateDir,
  readStateFile,
  writeStateFile,
} from '../../../../electron/engine/maintenance/local-state';
import {
  coverage,
  loadPackRecord,
  savePackRecord,
} from '../../../../electron/engine/maintenance/pack-record';
import {
  loadLastVerify,
  saveLastVerify,
  summarise,
} from '../../../../electron/engine/maintenance/verify-record';
import { tempDir } from '../../../helpers/cli';

let work: string;
let cleanup: () => Promise<void>;
let n = 0;
const fresh = async () => {
  const dir = join(work, `state-${++n}`);
  await mkdir(dir);
  return dir;
};
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-state-'));
});
afterAll(() => cleanup());

describe('local state folder', () => {
  it('is <base>/<repository id>, and refuses an id that is not hex', () => {
    expect(localStateDir('/base', 'ab12'.repeat(16))).toBe(join('/base', 'ab12'.repeat(16)));
    for (const bad of ['../../etc', 'AB12'.repeat(16), '', 'ab/cd'.repeat(8)])
      expect(() => localStateDir('/base', bad)).toThrow();
  });

  it('writes atomically, leaving no temporary file, and reads back', async () => {
    const dir = join(work, 'made-on-first-write', 'x');
    await writeStateFile(dir, 'f.json', { a: 1 });
    await writeStateFile(dir, 'f.json', { a: 2 });
    expect(await readdir(dir)).toEqual(['f.json']);
    expect(await readStateFile(dir, 'f.json')).toEqual({ value: { a: 2 } });
  });

  it('a missing file is nothing, silently; a damaged one is nothing, with a warning', async () => {
    const dir = await fresh();
    expect(await readStateFile(dir, 'none.json')).toEqual({});
    await writeFile(join(dir, 'bad.json'), '{"half": ');
    const r = await readStateFile(dir, 'bad.json');
    expect(r.value).toBeUndefined();
    expect(r.warning).toMatch(/bad\.json is damaged.*starting over/);
  });
});

describe('pack record', () => {
  it('round-trips, forgetting packs no longer in the repository', async () => {
    const dir = await fresh();
    const record = {
      verified: new Map([
        [A, 5],
        [B, 7],
      ]),
      damaged: new Set([C]),
    };
    await savePackRecord(dir, record, new Set([A, C]));
    const { record: back, warning } = await loadPackRecord(dir);
    expect(warning).toBeUndefined();
    expect(back.verified).toEqual(new Map([[A, 5]]));
    expect(back.damaged).toEqual(new Set([C]));
    // Only ids and times are stored.
    expect(JSON.parse(await readFile(join(dir, 'packs.json'), 'utf8'))).toEqual({
      version: 1,
      verified: { [A]: 5 },
      damaged: [C],
    });
  });

  it.each([
    ['not JSON', 'garbage\u0000{'],
    ['truncated', '{"version":1,"verified":{"aa'],
    ['another shape', '[1,2,3]'],
    ['another version', '{"version":99,"verified":{},"damaged":[]}'],
  ])(
    'a corrupt record (%s) is tolerated: empty, with a warning, then rewritten',
    async (_, text) => {
      const dir = await fresh();
      await writeFile(join(dir, 'packs.json'), text);
      const { record, warning } = await loadPackRecord(dir);
      expect(record.verified.size).toBe(0);
      expect(record.damaged.size).toBe(0);
      expect(warning).toMatch(/starting over/);
      record.verified.set(A, 1);
      await savePackRecord(dir, record, new Set([A]));
      const again = await loadPackRecord(dir);
      expect(again.warning).toBeUndefined();
      expect(again.record.verified.get(A)).toBe(1);
    },
  );

  it('ignores entries of the wrong type inside a valid record', async () => {
    const dir = await fresh();
    await writeFile(
      join(dir, 'packs.json'),
      JSON.stringify({ version: 1, verified: { [A]: 'x', [B]: 3 }, damaged: [C, 4] }),
    );
    const { record } = await loadPackRecord(dir);
    expect(record.verified).toEqual(new Map([[B, 3]]));
    expect(record.damaged).toEqual(new Set([C]));
  });

  it('coverage: counts packs never verified and the oldest verification', () => {
    const record = {
      verified: new Map([
        [A, 50],
        [B, 20],
      ]),
      damaged: new Set<string>(),
    };
    expect(coverage(record, [A, B, C])).toEqual({ neverVerified: 1, oldestVerified: 20 });
    expect(coverage(record, [C])).toEqual({ neverVerified: 1, oldestVerified: undefined });
  });
});

describe('last test restore record', () => {
  it('keeps counts and reasons, never the names of files', async () => {
    const dir = await fresh();
    const last = summarise({
      ok: false,
      started: '2026-01-01T00:00:00.000Z',
      finished: '2026-01-01T00:00:01.000Z',
      snapshot: A,
      snapshotTime: '2025-12-31T00:00:00.000Z',
      files: [
        { path: '/home/ann/secret-plans.txt', ok: false, reason: 'damaged' },
        { path: '/home/ann/b', ok: true },
        { path: '/home/ann/c', ok: false, reason: 'differs' },
        { path: '/home/ann/d', ok: false, reason: 'damaged' },
      ] as never,
      filesProven: 1,
      bytesProven: 10,
    });
    await saveLastVerify(dir, last);
    const text = await readFile(join(dir, 'last-verify.json'), 'utf8');
    expect(text).not.toContain('ann');
    const { last: back } = await loadLastVerify(dir);
    expect(back).toEqual(last);
    expect(back).toMatchObject({ files: 4, filesProven: 1, problems: 3 });
    expect(back!.reasons).toEqual({ damaged: 2, differs: 1 });
  });

  it('a damaged record reads as none, with a warning', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'last-verify.json'), '{"version":1,"ok":"yes"}');
    const r = await loadLastVerify(dir);
    expect(r.last).toBeUndefined();
    expect(r.warning).toMatch(/not a test restore record/);
  });
});
