/**
 * forget, pin and unpin through the CLI on real repositories: dry runs that list every
 * snapshot with its reasons, real removal, pins that outlast policies and refuse explicit
 * removal, damaged pins that stop forget, the JSON shape, and restoring what remains.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RETENTION_PRESETS } from '../../shared/retention';
import { initRepo, jsonLines, strata, tempDir, type CliResult } from '../helpers/cli';

let base: string;
let cleanup: () => Promise<void>;
let counter = 0;

beforeAll(async () => {
  ({ dir: base, cleanup } = await tempDir('strata-forget-'));
});

afterAll(async () => {
  await cleanup?.();
});

/** Host h1 at these times (s0..s4 in the tests below), then host h2 once. */
const H1_TIMES = [
  '2026-01-01T10:00:00.000Z',
  '2026-01-01T20:00:00.000Z',
  '2026-01-02T10:00:00.000Z',
  '2026-01-03T09:00:00.000Z',
  '2026-01-03T18:00:00.000Z',
];
const H2_TIME = '2026-01-02T00:00:00.000Z';

interface Fixture {
  readonly repo: string;
  readonly src: string;
  /** h1's snapshots, oldest first, then h2's. */
  readonly ids: string[];
  /** The content of src/file.txt in each snapshot. */
  readonly content: Map<string, string>;
  cli(args: readonly string[]): Promise<CliResult>;
}

/** A fresh repository with six snapshots, each holding different content. */
async function fixture(): Promise<Fixture> {
  const dir = join(base, `f${counter++}`);
  const repo = join(dir, 'repo');
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  await initRepo(repo);
  const cli = (args: readonly string[]) => strata([...args, '--repo', repo]);
  const ids: string[] = [];
  const content = new Map<string, string>();
  const plan = [...H1_TIMES.map((t) => ['h1', t]), ['h2', H2_TIME]] as const;
  for (const [host, time] of plan) {
    const text = `content at ${time} on ${host}\n`;
    await writeFile(join(src, 'file.txt'), text);
    const r = await cli(['backup', src, '--host', host, '--time', time, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = jsonLines(r.stdout).find((l) => l.message_type === 'summary');
    const id = summary?.snapshot_id as string;
    ids.push(id);
    content.set(id, text);
  }
  return { repo, src, ids, content, cli };
}

async function snapshotList(f: Fixture): Promise<{ id: string; pinned: boolean }[]> {
  const r = await f.cli(['snapshots', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { id: string; pinned: boolean }[];
}

async function remaining(f: Fixture): Promise<string[]> {
  return (await snapshotList(f)).map((s) => s.id).sort();
}

/** The listing line of one snapshot in forget's text output. */
function lineOf(stdout: string, id: string): string {
  const line = stdout.split('\n').find((l) => l.includes(id.slice(0, 8)));
  expect(line, `no line for ${id.slice(0, 8)} in:\n${stdout}`).toBeDefined();
  return (line as string).trim();
}

interface ForgetJson {
  dry_run: boolean;
  time_zone: string;
  policy: Record<string, unknown> | null;
  description: string | null;
  groups: {
    host: string | null;
    paths: string[] | null;
    tags: string[] | null;
    keep: { id: string; short_id: string; time: string; pinned: boolean; reasons: string[] }[];
    remove: { id: string; reasons: string[] }[];
  }[];
  remove: string[];
  removed: string[];
}

describe('forget by policy', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it('--dry-run lists every snapshot of every group with keep/remove and reasons', async () => {
    const [s0, s1, s2, s3, s4, h2] = f.ids as [string, string, string, string, string, string];
    const r = await f.cli(['forget', '--keep-daily', '2', '--time-zone', 'UTC', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Policy: Keeps the newest snapshot of each of the last 2 days');
    expect(r.stdout).toContain(`host h1, paths ${f.src}`);
    expect(r.stdout).toContain(`host h2, paths ${f.src}`);
    expect(lineOf(r.stdout, s4)).toMatch(/^keep\s+\w{8}\s+2026-01-03 18:00:00\s+daily snapshot$/);
    expect(lineOf(r.stdout, s2)).toMatch(/^keep\s.*daily snapshot$/);
    for (const id of [s3, s1, s0])
      expect(lineOf(r.stdout, id)).toMatch(/^remove\s+\w{8}\s+[\d-]+ [\d:]+$/);
    expect(lineOf(r.stdout, h2)).toMatch(/^keep\s.*daily snapshot$/);
    expect(r.stdout).toContain('Dry run: would remove 3 snapshot(s); nothing was changed.');
    expect(await remaining(f)).toEqual([...f.ids].sort());
  });

  it('shows times in the chosen zone', async () => {
    const r = await f.cli([
      'forget',
      '--keep-last',
      '1',
      '--time-zone',
      'America/New_York',
      '--dry-run',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(lineOf(r.stdout, f.ids[4]!)).toContain('2026-01-03 13:00:00');
    expect(r.stdout).toContain('Time zone: America/New_York');
  });

  it('--json gives groups with keep and remove lists and the reasons', async () => {
    const [s0, s1, s2, s3, s4, h2] = f.ids as [string, string, string, string, string, string];
    const r = await f.cli([
      'forget',
      '--keep-daily',
      '2',
      '--keep-tag',
      'never-used',
      '--time-zone',
      'UTC',
      '--dry-run',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ForgetJson;
    expect(doc.dry_run).toBe(true);
    expect(doc.time_zone).toBe('UTC');
    expect(doc.policy).toEqual({ keepDaily: 2, keepTags: ['never-used'] });
    expect(doc.groups.map((g) => [g.host, g.paths, g.tags])).toEqual([
      ['h1', [f.src], null],
      ['h2', [f.src], null],
    ]);
    const [g1, g2] = doc.groups as [ForgetJson['groups'][0], ForgetJson['groups'][0]];
    expect(g1.keep.map((s) => s.id)).toEqual([s4, s2]);
    expect(g1.keep[0]).toMatchObject({
      short_id: s4.slice(0, 8),
      time: H1_TIMES[4],
      pinned: false,
      reasons: ['daily snapshot'],
    });
    expect(g1.remove.map((s) => s.id)).toEqual([s3, s1, s0]);
    expect(g1.remove.every((s) => s.reasons.length === 0)).toBe(true);
    expect(g2.keep.map((s) => s.id)).toEqual([h2]);
    expect(doc.remove.sort()).toEqual([s3, s1, s0].sort());
    expect(doc.removed).toEqual([]);
  });

  it("--group-by '' applies the policy to all snapshots together", async () => {
    const r = await f.cli(['forget', '--keep-last', '1', '--group-by', '', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ForgetJson;
    expect(doc.groups).toHaveLength(1);
    expect(doc.groups[0]!.keep.map((s) => s.id)).toEqual([f.ids[4]]);
    expect(doc.groups[0]!.remove).toHaveLength(5);
  });

  it('--host narrows what is considered; "unlimited" and presets are accepted', async () => {
    const host = await f.cli(['forget', '--keep-last', '1', '--host', 'h2', '--dry-run', '--json']);
    expect(host.code, host.stderr).toBe(0);
    expect((JSON.parse(host.stdout) as ForgetJson).groups.map((g) => g.host)).toEqual(['h2']);

    const all = await f.cli(['forget', '--keep-last', 'unlimited', '--dry-run', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect((JSON.parse(all.stdout) as ForgetJson).remove).toEqual([]);

    const preset = RETENTION_PRESETS.find((p) => p.id === 'keep-some')!;
    const r = await f.cli(['forget', '--preset', 'keep-some', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ForgetJson).policy).toEqual(preset.policy);
  });

  it('refuses unclear requests and removes nothing', async () => {
    const cases: [string[], RegExp][] = [
      [[], /no policy and no snapshot ids/],
      [[f.ids[0]!, '--keep-last', '1'], /snapshot ids or a policy/],
      [['--keep-daily', 'lots'], /--keep-daily takes a whole number/],
      [['--keep-daily=-2'], /--keep-daily takes a whole number/],
      [['--keep-within', '3w'], /--keep-within: .*unknown unit "w"/],
      [['--keep-last', '1', '--group-by', 'colour'], /cannot group by "colour"/],
      [['--keep-last', '1', '--time-zone', 'Mars/Olympus'], /unknown time zone/],
      [['--preset', 'forever'], /no retention preset "forever"/],
      [['--keep-last', '1', '--prune', '--max-unused', 'lots'], /--max-unused must be a share/],
      [['--keep-last', '1', '--prune', '--delay', '3'], /--delay must be a duration/],
    ];
    for (const [args, message] of cases) {
      const r = await f.cli(['forget', ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await remaining(f)).toEqual([...f.ids].sort());
  });

  it('without --dry-run removes the snapshots; what remains still restores', async () => {
    const [s0, s1, s2, s3, s4, h2] = f.ids as [string, string, string, string, string, string];
    const r = await f.cli(['forget', '--keep-daily', '2', '--time-zone', 'UTC']);
    expect(r.code, r.stderr).toBe(0);
    for (const id of [s0, s1, s3]) expect(r.stdout).toContain(`removed snapshot ${id.slice(0, 8)}`);
    expect(r.stdout).toContain('Removed 3 snapshot(s). Their data stays in the repository');
    expect(await remaining(f)).toEqual([s2, s4, h2].sort());
    expect((await readdir(join(f.repo, 'snapshots'))).sort()).toEqual([s2, s4, h2].sort());

    for (const id of [s2, s4, h2]) {
      const target = join(f.repo, '..', `restore-${id.slice(0, 8)}`);
      const rr = await f.cli(['restore', id, '--target', target, '--verify']);
      expect(rr.code, rr.stderr).toBe(0);
      expect(await readFile(join(target, f.src, 'file.txt'), 'utf8')).toBe(f.content.get(id));
    }

    // The same policy again finds nothing more to remove.
    const again = await f.cli(['forget', '--keep-daily', '2', '--time-zone', 'UTC']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to remove.');
  });
});

describe('forget by id', () => {
  it('removes just the given snapshots (prefixes and latest)', async () => {
    const f = await fixture();
    const r = await f.cli(['forget', f.ids[0]!.slice(0, 10), 'latest', '--host', 'h1']);
    expect(r.code, r.stderr).toBe(0);
    expect(await remaining(f)).toEqual(
      f.ids.filter((id) => id !== f.ids[0] && id !== f.ids[4]).sort(),
    );
  });
});

describe('pins', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
  });

  it('pin marks a snapshot; snapshots shows it', async () => {
    const p = await f.cli(['pin', f.ids[0]!.slice(0, 8)]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain(`snapshot ${f.ids[0]!.slice(0, 8)} is now pinned`);
    const again = await f.cli(['pin', f.ids[0]!]);
    expect(again.stdout).toContain('was already pinned');
    expect((await readdir(join(f.repo, 'pins'))).length).toBe(1);

    const list = await snapshotList(f);
    expect(list.filter((s) => s.pinned).map((s) => s.id)).toEqual([f.ids[0]]);
    const table = await f.cli(['snapshots']);
    expect(lineOf(table.stdout, f.ids[0]!)).toContain('pinned');
    expect(lineOf(table.stdout, f.ids[1]!)).not.toContain('pinned');
  });

  it('a pinned snapshot survives a policy that would remove it', async () => {
    const [s0, s1, s2, s3, s4] = f.ids as [string, string, string, string, string];
    const dry = await f.cli(['forget', '--keep-last', '1', '--host', 'h1', '--dry-run', '--json']);
    const doc = JSON.parse(dry.stdout) as ForgetJson;
    expect(doc.groups[0]!.keep.map((s) => [s.id, s.pinned, s.reasons])).toEqual([
      [s4, false, ['last snapshot']],
      [s0, true, ['pinned']],
    ]);

    const r = await f.cli(['forget', '--keep-last', '1', '--host', 'h1']);
    expect(r.code, r.stderr).toBe(0);
    expect(lineOf(r.stdout, s0)).toMatch(/^keep\s.*pinned$/);
    const left = await remaining(f);
    expect(left).toContain(s0);
    expect(left).toContain(s4);
    for (const id of [s1, s2, s3]) expect(left).not.toContain(id);
  });

  it('forgetting a pinned snapshot by id is refused, naming it; unpin allows it', async () => {
    const s0 = f.ids[0]!;
    const s4 = f.ids[4]!;
    const r = await f.cli(['forget', s0.slice(0, 8), s4.slice(0, 8)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`snapshot ${s0.slice(0, 8)} is pinned`);
    expect(r.stderr).toContain('Nothing was forgotten');
    expect(await remaining(f)).toContain(s4);

    const u = await f.cli(['unpin', s0.slice(0, 8)]);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain('is no longer pinned');
    expect((await f.cli(['unpin', s0])).stdout).toContain('was not pinned');
    expect((await snapshotList(f)).some((s) => s.pinned)).toBe(false);

    const again = await f.cli(['forget', s0.slice(0, 8), '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as ForgetJson).removed).toEqual([s0]);
    expect(await remaining(f)).not.toContain(s0);
  });

  it('pin latest follows the filters; pin needs exactly one snapshot', async () => {
    const p = await f.cli(['pin', 'latest', '--host', 'h2', '--json']);
    expect(p.code, p.stderr).toBe(0);
    expect(JSON.parse(p.stdout)).toEqual({ id: f.ids[5], pinned: true, changed: true });
    expect((await f.cli(['pin'])).stderr).toMatch(/takes one snapshot/);
    expect((await f.cli(['pin', 'ffffffff'])).code).toBe(1);
  });

  it('a damaged pin file stops forget; snapshots still lists, with an error', async () => {
    expect((await f.cli(['pin', f.ids[5]!])).code).toBe(0);
    const before = await remaining(f);
    const [name] = await readdir(join(f.repo, 'pins'));
    await writeFile(join(f.repo, 'pins', name!), Buffer.alloc(80, 1));

    const r = await f.cli(['forget', '--keep-last', '1', '--group-by', '']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`pins/${name}`);
    expect(r.stderr).toContain('Nothing was forgotten');
    expect(r.stderr).toContain('[REPO_CORRUPT]');
    expect((await readdir(join(f.repo, 'snapshots'))).sort()).toEqual(before);

    const s = await f.cli(['snapshots']);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain(`error: pin ${name}`);
    expect(s.stdout).toContain(`${before.length} snapshot(s)`);
  });
});
