/**
 * Backups and prunes at the same time, in separate processes (ENGINE.md, prune.ts's header):
 * a backup never locks the repository, it announces itself with a session marker, and a prune
 * defers deleting whatever a live session may still use. Only prunes exclude each other.
 *
 * Every backup's snapshot must restore bit for bit (compared with the record of its source made
 * before the backup; the source never changes) and `check --read-data` must find no error,
 * whatever the prunes did meanwhile.
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { existsSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, jsonLines, tempDir } from '../helpers/cli';
import {
  MiB,
  backupOk,
  checkReadData,
  describeTree,
  expectRestores,
  forgetSnapshot,
  namesIn,
  packPaths,
  pruneOk,
  pruneReport,
  run,
  seededBytes,
  seededText,
  start,
  waitFor,
  type Cli,
  type PruneJson,
  type Running,
  type TreeRecord,
} from '../helpers/prune-e2e';

const SEED = 20240918;
let cli: Cli;
let dir: string;
let cleanup: () => Promise<void>;
/** D: the data every scenario backs up, never changed. */
let data: string;
let dataTree: TreeRecord;
const running: Running[] = [];

/**
 * About 32 MiB (so a backup stores a full 16 MiB pack midway, not only at its end): six big
 * random files, 400 small files (text and random), a link.
 */
async function makeData(root: string): Promise<void> {
  await mkdir(join(root, 'big'), { recursive: true });
  for (let i = 0; i < 6; i++)
    await writeFile(join(root, 'big', `big-${i}.bin`), seededBytes(`${SEED}:big:${i}`, 5 * MiB));
  for (let d = 0; d < 8; d++) {
    const folder = join(root, 'small', `d${d}`);
    await mkdir(folder, { recursive: true });
    for (let f = 0; f < 50; f++) {
      const label = `${SEED}:small:${d}:${f}`;
      const size = 200 + (((d * 50 + f) * 997) % 6000);
      await writeFile(
        join(folder, `f${f}.dat`),
        f % 2 === 0 ? seededText(label, size) : seededBytes(label, size),
      );
    }
  }
  await symlink('big/big-0.bin', join(root, 'link'));
}

/** Starts a strata process, remembered so that a failing test leaves none stopped or running. */
function launch(args: readonly string[], env: Record<string, string | undefined> = {}): Running {
  const r = start(cli, args, env);
  running.push(r);
  return r;
}

function backupArgs(repo: string, extra: readonly string[] = []): string[] {
  return ['backup', '--repo', repo, data, '--json', ...extra];
}

function pruneArgs(repo: string): string[] {
  return ['prune', '--repo', repo, '--delay', '0', '--json'];
}

/** The summary line of a finished `backup --json`. */
function backupSummary(stdout: string): { snapshot_id: string } & Record<string, number> {
  const summary = jsonLines(stdout).find((l) => l.message_type === 'summary');
  expect(summary, stdout).toBeDefined();
  return summary as { snapshot_id: string } & Record<string, number>;
}

/** A fresh repository with snapshot A of D; returns A's id and the packs it stored. */
async function repoWithA(name: string): Promise<{ repo: string; a: string; packsA: string[] }> {
  const repo = join(dir, name);
  await initRepo(repo, cli.password);
  const { id } = await backupOk(cli, repo, [data]);
  return { repo, a: id, packsA: packPaths(repo) };
}

/**
 * SIGSTOPs `backup` while it writes its second session marker: once its first marker is in
 * place, as soon as a temp file or a second marker appears in locks/. Returns which one it saw.
 */
function stopDuringRefresh(backup: Running, repo: string): Promise<string> {
  const locks = join(repo, 'locks');
  return new Promise((done, fail) => {
    let first: string | undefined;
    const look = () => {
      if (!backup.alive()) return finish(new Error('the backup ended before it could be stopped'));
      const names = readdirSync(locks);
      const temps = names.filter((n) => n.startsWith('.tmp-'));
      const markers = names.filter((n) => !n.startsWith('.'));
      if (first === undefined) {
        if (markers.length > 0 && temps.length === 0) first = markers[0];
        return;
      }
      if (temps.length > 0) finish(undefined, 'a temp file');
      else if (markers.some((m) => m !== first)) finish(undefined, 'the second marker');
    };
    const watcher = watch(locks, look);
    const timer = setInterval(look, 1);
    let over = false;
    function finish(err: Error | undefined, what = '') {
      if (over) return;
      over = true;
      if (!err) backup.child.kill('SIGSTOP');
      watcher.close();
      clearInterval(timer);
      if (err) fail(err);
      else done(what);
    }
  });
}

const restoresD = (repo: string, snapshot: string, context: string) =>
  expectRestores(cli, repo, snapshot, data, dataTree, dir, context);

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('strata-prune-concurrent-'));
  cli = { password: 'prune-concurrent-password', cacheDir: join(dir, 'cache') };
  data = join(dir, 'D');
  await makeData(data);
  dataTree = await describeTree(data);
});

afterAll(async () => {
  for (const r of running) {
    if (r.alive()) {
      r.child.kill('SIGCONT');
      r.kill();
    }
  }
  await cleanup?.();
});

describe('a backup and prunes running at the same time', () => {
  it('a: prunes in a loop while a backup of the data of marked packs runs: its snapshot restores', async () => {
    const { repo, a, packsA } = await repoWithA('repo-a');
    await forgetSnapshot(repo, a);
    const marking = await pruneOk(cli, repo);
    expect(marking.marked.packs).toBe(packsA.length);
    expect(marking.deleted.packs).toBe(0);

    // Prunes run one after another for as long as the backup runs. Once the backup has stored
    // its first pack, it is throttled (stopped 250 ms, running 30 ms, in turns) so that several
    // prunes find its packs before its snapshot names them, at varied points of its work.
    const backup = launch(backupArgs(repo));
    const known = new Set(packsA);
    let throttling = true;
    const throttle = (async () => {
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      while (throttling && backup.alive() && packPaths(repo).every((p) => known.has(p)))
        await sleep(5);
      while (throttling && backup.alive()) {
        backup.child.kill('SIGSTOP');
        await sleep(250);
        backup.child.kill('SIGCONT');
        await sleep(30);
      }
    })();
    const reports: PruneJson[] = [];
    try {
      while (backup.alive()) {
        const r = await run(cli, pruneArgs(repo));
        expect(r.code, `prune during the backup:\n${r.stdout}\n${r.stderr}`).toBe(0);
        const report = pruneReport(r.stdout);
        expect(report.problems).toEqual([]);
        reports.push(report);
      }
    } finally {
      throttling = false;
      await throttle;
      if (backup.alive()) backup.child.kill('SIGCONT');
    }
    const ended = await backup.ended;
    expect(ended.code, ended.stderr).toBe(0);
    const summary = backupSummary(ended.stdout);
    const log = reports.map(
      (r) =>
        `marked ${r.marked.packs}, deleted ${r.deleted.packs}, resurrected ${r.resurrected.packs}, waiting ${r.waiting.packs}`,
    );
    console.log(
      `scenario a: ${reports.length} prune(s) during a ${ended.ms} ms backup: ${log.join('; ')}`,
    );
    expect(reports.length).toBeGreaterThanOrEqual(2);
    // A's packs went while it ran; the packs it had stored but not yet used in a snapshot were
    // marked, then kept for it.
    expect(reports.some((r) => r.deleted.packs > 0)).toBe(true);
    expect(reports.some((r) => /running backup/.test(r.waiting.reasons.join('\n')))).toBe(true);
    // It saw the marks, so it stored its own copy of everything rather than use marked packs.
    expect(summary.bytesAdded).toBeGreaterThan(0.9 * summary.totalBytes!);

    await restoresD(repo, summary.snapshot_id, 'a, after the backup');
    await checkReadData(cli, repo, 'a, after the backup');
    await pruneOk(cli, repo);
    const last = await pruneOk(cli, repo);
    expect(last.waiting.packs).toBe(0);
    // A's packs went, the backup's stayed.
    expect(packsA.filter((p) => existsSync(p))).toEqual([]);
    await restoresD(repo, summary.snapshot_id, 'a, after two more prunes');
    await checkReadData(cli, repo, 'a, after two more prunes');
  });

  it('b: a backup that deduplicated against a forgotten snapshot is stopped while two prunes run: nothing it relies on is deleted', async () => {
    const { repo, a, packsA } = await repoWithA('repo-b');

    // Another host name: no parent snapshot, so the backup reads every file and finds each
    // blob already stored in A's packs. Stopped once its marker was refreshed: by then it has
    // recorded the marks generation its view was built from (none: it includes A's packs).
    const backup = launch(backupArgs(repo, ['--host', 'other-host']));
    let first: string | undefined;
    await waitFor(() => {
      if (!backup.alive()) throw new Error('the backup ended before it could be stopped');
      const locks = namesIn(repo, 'locks');
      if (first === undefined) first = locks[0];
      return first !== undefined && locks.some((l) => l !== first);
    });
    backup.child.kill('SIGSTOP');
    try {
      expect(backup.alive()).toBe(true);
      await forgetSnapshot(repo, a);
      const p1 = await pruneOk(cli, repo);
      expect(p1.snapshots).toBe(0);
      expect(p1.marked.packs).toBe(packsA.length);
      const p2 = await pruneOk(cli, repo);
      expect(p2.deleted.packs, JSON.stringify(p2)).toBe(0);
      expect(p2.waiting.packs).toBe(packsA.length);
      expect(p2.waiting.reasons.join('\n')).toMatch(
        new RegExp(`running backup by .*\\(pid ${backup.pid}\\)`),
      );
      expect(packsA.filter((p) => !existsSync(p))).toEqual([]);
      // The text report says the same.
      const text = await run(cli, ['prune', '--repo', repo, '--delay', '0']);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/may still be used by a running backup/);
      expect(packsA.filter((p) => !existsSync(p))).toEqual([]);
    } finally {
      backup.child.kill('SIGCONT');
    }
    const ended = await backup.ended;
    expect(ended.code, ended.stderr).toBe(0);
    const summary = backupSummary(ended.stdout);
    // It relied on A's packs: (almost) nothing was added.
    expect(summary.bytesAdded).toBeLessThan(summary.totalBytes! / 100);

    const p3 = await pruneOk(cli, repo);
    expect(p3.snapshots).toBe(1);
    expect(p3.resurrected.packs).toBeGreaterThan(0);
    expect(p3.deleted.packs).toBe(0);
    const p4 = await pruneOk(cli, repo);
    expect(p4.deleted.packs).toBe(0);
    expect(p4.waiting.packs).toBe(0);
    await restoresD(repo, summary.snapshot_id, 'b');
    await checkReadData(cli, repo, 'b');
  });

  it('e: a backup stopped for longer than the lock timeout while prunes delete what it relies on writes no snapshot', async () => {
    // Every process agrees on a 2 s timeout: a marker not refreshed for 2 s is stale.
    const env = { STRATA_LOCK_STALE_SECONDS: '2' };
    const { repo, a, packsA } = await repoWithA('repo-e');
    const backup = launch(backupArgs(repo, ['--host', 'other-host']), env);
    // Paused while it refreshes its marker (the moment a laptop may go to sleep as well as any
    // other): as soon as, after its first marker, the temp file of the next one or the next
    // one itself appears. Its view of the index (with A's packs) is loaded by then.
    const how = await stopDuringRefresh(backup, repo);
    try {
      await forgetSnapshot(repo, a);
      const p1 = await pruneOk(cli, repo, [], env);
      expect(p1.marked.packs).toBe(packsA.length);
      // Stopped, its marker goes stale: the next prune deletes A's packs.
      await new Promise((r) => setTimeout(r, 3000));
      const p2 = await pruneOk(cli, repo, [], env);
      expect(p2.deleted.packs, JSON.stringify(p2)).toBe(packsA.length);
      expect(packsA.filter((p) => existsSync(p))).toEqual([]);
    } finally {
      backup.child.kill('SIGCONT');
    }
    const ended = await backup.ended;
    expect(
      ended.code,
      `stopped when ${how} appeared; it wrote a snapshot whose packs are gone`,
    ).toBe(1);
    expect(ended.stderr).toMatch(
      /paused for longer than the lock timeout.*no snapshot was written/,
    );
    expect(namesIn(repo, 'snapshots')).toEqual([]);
    expect(namesIn(repo, 'locks')).toEqual([]);
    await checkReadData(cli, repo, 'e');

    // Run again, the backup stores what it needs and restores.
    const { id } = await backupOk(cli, repo, [data], ['--host', 'other-host']);
    await restoresD(repo, id, 'e');
    await checkReadData(cli, repo, 'e, after the next backup');
  });

  it('c: the marker of a killed backup is stale (same host, dead pid): prune proceeds, unlock removes it', async () => {
    const { repo, a, packsA } = await repoWithA('repo-c');
    await forgetSnapshot(repo, a);
    // Killed as soon as its marker exists: it has seen no marks (or none yet).
    const backup = launch(backupArgs(repo));
    await waitFor(() => namesIn(repo, 'locks').length > 0 || !backup.alive());
    backup.kill();
    const ended = await backup.ended;
    expect(ended.signal).toBe('SIGKILL');
    const markers = namesIn(repo, 'locks');
    expect(markers.length).toBeGreaterThan(0);

    // The marks are newer than anything the dead backup saw: had it been live, the second
    // prune would have kept A's packs. Its pid is dead, so it deletes them.
    const p1 = await pruneOk(cli, repo);
    expect(p1.marked.packs).toBeGreaterThanOrEqual(packsA.length);
    const p2 = await pruneOk(cli, repo);
    expect(p2.deleted.packs, JSON.stringify(p2)).toBeGreaterThanOrEqual(packsA.length);
    expect(p2.waiting.reasons.join('\n')).not.toMatch(/running backup/);
    expect(packsA.filter((p) => existsSync(p))).toEqual([]);
    // Prune leaves markers alone; unlock removes the stale one.
    expect(namesIn(repo, 'locks')).toEqual(markers);
    const u = await run(cli, ['unlock', '--repo', repo, '--json']);
    expect(u.code, u.stderr).toBe(0);
    const { removed, live } = JSON.parse(u.stdout) as {
      removed: { kind: string; pid: number }[];
      live: unknown[];
    };
    expect(live).toEqual([]);
    expect(removed.length).toBe(markers.length);
    for (const l of removed) expect(l).toMatchObject({ kind: 'backup', pid: backup.pid });
    expect(namesIn(repo, 'locks')).toEqual([]);
    await checkReadData(cli, repo, 'c');

    // The repository takes the next backup, which restores.
    const { id } = await backupOk(cli, repo, [data]);
    await restoresD(repo, id, 'c');
  });

  it('d: two prunes at once: the second fails with exit code 11 naming the first, which then completes', async () => {
    const { repo, a } = await repoWithA('repo-d');
    await forgetSnapshot(repo, a);
    const first = launch(pruneArgs(repo));
    await waitFor(() => {
      if (!first.alive()) throw new Error('the first prune ended before it could be stopped');
      return namesIn(repo, 'locks').length > 0;
    });
    first.child.kill('SIGSTOP');
    try {
      const held = namesIn(repo, 'locks');
      expect(held.length).toBe(1);
      const second = await run(cli, pruneArgs(repo));
      expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(11);
      expect(second.stderr).toMatch(/another prune is running/);
      expect(second.stderr).toContain(`(pid ${first.pid})`);
      // It left no lock of its own; the first one's is still there.
      expect(namesIn(repo, 'locks')).toEqual(held);
    } finally {
      first.child.kill('SIGCONT');
    }
    const ended = await first.ended;
    expect(ended.code, ended.stderr).toBe(0);
    expect(pruneReport(ended.stdout).marked.packs).toBeGreaterThan(0);
    expect(namesIn(repo, 'locks')).toEqual([]);
    // And now a prune runs again.
    await pruneOk(cli, repo);
    expect(namesIn(repo, 'locks')).toEqual([]);
    await checkReadData(cli, repo, 'd');
  });
});
