/**
 * Crash safety of prune: a prune killed (SIGKILL) at random moments, many trials, never costs a
 * kept snapshot any data, and the next prune completes.
 *
 * One repository lives through every trial, so what a killed prune leaves behind (a stale prune
 * lock, packs written by a repack that no index names yet, index files rewritten but not yet
 * removed, marks naming packs already deleted, ...) is what the next trials start from. Each
 * trial first adds work: a new snapshot of a source that overlaps the previous ones, and the
 * oldest recent snapshot forgotten (the first snapshot and the two newest are kept), so every
 * prune has packs to mark, packs to repack (--max-unused 0% or 5%; 100% in some trials: no
 * repack) and packs an earlier prune marked to delete. Then one `prune --delay 0` is killed.
 *
 * Kill times are seeded (STRATA_PRUNE_CRASH_SEED overrides) and spread over 0-110% of the
 * measured duration of an uninterrupted prune, so kills while the CLI starts, mid-work and after
 * the end all occur. Two trials do not leave it to timing: one kills as soon as the first pack
 * disappears (deletion under way), one as soon as the index folder changes (index files being
 * rewritten before their packs are deleted).
 *
 * After each kill every kept snapshot restores bit for bit (compared with the record of its
 * source made at backup time; sources never change) and `check --read-data` finds no error.
 * At the end two prunes complete, leave no lock of their own, and the repository shrinks to
 * about what a fresh repository holding only the kept snapshots needs.
 */
import { cp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initRepo, tempDir } from '../helpers/cli';
import {
  MiB,
  backupOk,
  bytesBelow,
  checkReadData,
  describeTree,
  expectRestores,
  forgetSnapshot,
  namesIn,
  packPaths,
  prng,
  pruneOk,
  pruneReport,
  run,
  seededBytes,
  seededText,
  snapshotIds,
  start,
  type Cli,
  type Ended,
  type TreeRecord,
} from '../helpers/prune-e2e';

const SEED = Number(process.env.STRATA_PRUNE_CRASH_SEED ?? 20240917);
/** Trials killed after a random delay. */
const TIMED_TRIALS = 12;
/** Trials killed when a phase is seen to start (deletion, index rewrite), at these positions. */
const PHASE_TRIALS: Record<number, 'delete' | 'index'> = { 4: 'delete', 9: 'index' };
const TRIALS = TIMED_TRIALS + Object.keys(PHASE_TRIALS).length;
/** Snapshots made before the first trial. */
const INITIAL = 5;
/** Recent snapshots kept besides the first one. */
const KEEP_RECENT = 2;
const BIG_SIZE = 4 * MiB;
const BIGS_PER_SOURCE = 3;
const SMALL_PER_GROUP = 50;

const PASSWORD = 'prune-crash-password';
let cli: Cli;
const rand = prng(SEED);

/**
 * Source k: big files k..k+2 (each shared with the next two sources), small-file groups k and
 * k+1 (each shared with one neighbour), a symlink and an empty folder. About 13 MiB, of which
 * a backup after source k-1 adds about 4.5 MiB.
 */
async function makeSource(root: string, k: number): Promise<string> {
  const src = join(root, `s${k}`);
  await mkdir(join(src, 'big'), { recursive: true });
  for (let i = k; i < k + BIGS_PER_SOURCE; i++) {
    await writeFile(join(src, 'big', `big-${i}.bin`), seededBytes(`${SEED}:big:${i}`, BIG_SIZE));
  }
  for (const g of [k, k + 1]) {
    const dir = join(src, 'small', `g${g}`, g % 3 === 0 ? 'nested/deeper' : '');
    await mkdir(dir, { recursive: true });
    const r = prng(SEED ^ (g * 7919));
    for (let j = 0; j < SMALL_PER_GROUP; j++) {
      const size = Math.floor(r() ** 3 * 40 * 1024);
      const label = `${SEED}:small:${g}:${j}`;
      await writeFile(
        join(dir, `f${j}.dat`),
        r() < 0.5 ? seededText(label, size) : seededBytes(label, size),
      );
    }
  }
  await mkdir(join(src, 'empty-dir'));
  await symlink(`big/big-${k}.bin`, join(src, 'link-to-big'));
  return src;
}

interface Kept {
  readonly id: string;
  readonly source: string;
  readonly tree: TreeRecord;
}

/** Runs `prune --delay 0` and SIGKILLs it after `killAfter` ms or once `killWhen()` holds. */
async function prunedKilled(
  repo: string,
  maxUnused: string,
  kill: number | (() => boolean),
): Promise<Ended> {
  const p = start(cli, [
    'prune',
    '--repo',
    repo,
    '--delay',
    '0',
    '--max-unused',
    maxUnused,
    '--json',
  ]);
  const timer =
    typeof kill === 'number'
      ? setTimeout(() => p.kill(), kill)
      : setInterval(() => {
          if (kill()) p.kill();
        }, 1);
  try {
    return await p.ended;
  } finally {
    clearInterval(timer);
  }
}

describe('crash safety of prune', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sources: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-prune-crash-'));
    sources = join(dir, 'src');
    cli = { password: PASSWORD, cacheDir: join(dir, 'cache') };
  });

  afterAll(async () => {
    await cleanup?.();
  });

  it('survives SIGKILL at random moments: kept snapshots restore bit for bit, the next prune completes', async () => {
    const t0 = Date.now();
    const repo = join(dir, 'repo');
    const scratch = join(dir, 'scratch');
    await mkdir(scratch);
    await initRepo(repo, cli.password);

    const kept: Kept[] = [];
    let next = 0;
    /** One more snapshot; the oldest recent one is forgotten once more than KEEP_RECENT are. */
    const advance = async () => {
      const source = await makeSource(sources, next++);
      const tree = await describeTree(source);
      const { id } = await backupOk(cli, repo, [source]);
      kept.push({ id, source, tree });
      if (kept.length > 1 + KEEP_RECENT) {
        const [gone] = kept.splice(1, 1);
        await forgetSnapshot(repo, gone!.id);
        await rm(gone!.source, { recursive: true });
      }
    };
    for (let i = 0; i < INITIAL; i++) await advance();

    // How long an uninterrupted prune takes here: one that marks and repacks, then one that
    // deletes what the first marked. Measured on a copy, then thrown away.
    const measureRepo = join(dir, 'measure-repo');
    await cp(repo, measureRepo, { recursive: true });
    const m1 = Date.now();
    const first = await pruneOk(cli, measureRepo, ['--max-unused', '0%']);
    const m2 = Date.now();
    const second = await pruneOk(cli, measureRepo, ['--max-unused', '0%']);
    const m3 = Date.now();
    expect(first.marked.packs + first.repacked.packs).toBeGreaterThan(0);
    expect(second.deleted.packs).toBeGreaterThan(0);
    await rm(measureRepo, { recursive: true });
    const duration = Math.max(m2 - m1, m3 - m2);

    // Stratified over 0-110%: one kill in each 1/TIMED_TRIALS slice, in a shuffled order.
    const fractions = Array.from(
      { length: TIMED_TRIALS },
      (_, i) => ((i + rand()) / TIMED_TRIALS) * 1.1,
    );
    for (let i = fractions.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [fractions[i], fractions[j]] = [fractions[j]!, fractions[i]!];
    }

    const log: string[] = [];
    let killedMidRun = 0;
    let killedHoldingLock = 0;
    for (let trial = 0, timed = 0; trial < TRIALS; trial++) {
      await advance();
      const phase = PHASE_TRIALS[trial];
      const maxUnused = phase === 'index' ? '100%' : ['0%', '5%', '100%'][trial % 3]!;
      const locksBefore = new Set(namesIn(repo, 'locks'));
      let how: string;
      let killed: Ended;
      if (phase === undefined) {
        const delay = Math.round(fractions[timed++]! * duration);
        how = `after ${delay} ms of ~${duration} ms`;
        killed = await prunedKilled(repo, maxUnused, delay);
      } else {
        // An uninterrupted prune first, so that this one has marked packs to delete.
        const ready = await pruneOk(cli, repo, ['--max-unused', '0%']);
        expect(ready.marked.packs + ready.repacked.packs, `trial ${trial}`).toBeGreaterThan(0);
        if (phase === 'delete') {
          how = 'when the first pack was deleted';
          const packs = packPaths(repo);
          killed = await prunedKilled(repo, maxUnused, () => packs.some((p) => !existsSync(p)));
        } else {
          how = 'when the index folder changed';
          const index = namesIn(repo, 'index').join();
          killed = await prunedKilled(
            repo,
            maxUnused,
            () => namesIn(repo, 'index').join() !== index,
          );
        }
      }
      const context = `seed ${SEED}, trial ${trial} (--max-unused ${maxUnused}), kill ${how}`;
      if (killed.signal === 'SIGKILL') {
        killedMidRun++;
        // A lock file that was not there before: the killed prune's own.
        if (namesIn(repo, 'locks').some((l) => !locksBefore.has(l))) killedHoldingLock++;
      } else {
        // A prune the kill missed finished: it must have succeeded.
        expect(killed.code, `${context}:\n${killed.stderr}`).toBe(0);
        pruneReport(killed.stdout);
      }
      if (phase !== undefined)
        expect(killed.signal, `${context}: the prune ended before the kill`).toBe('SIGKILL');

      // Every kept snapshot restores bit for bit and every byte checks (side by side: restores
      // and checks are readers, they may run together).
      const [checked] = await Promise.all([
        checkReadData(cli, repo, context),
        ...kept.map((k) => expectRestores(cli, repo, k.id, k.source, k.tree, scratch, context)),
      ]);
      // Prune never removes a snapshot.
      expect(checked.snapshots, context).toBe(kept.length);
      log.push(`${trial}:${maxUnused}:${how}:${killed.signal ?? `exit ${killed.code}`}`);
    }
    console.log(
      `prune crash trials (seed ${SEED}, prune ~${duration} ms, ${Date.now() - t0} ms in all): ${log.join(' | ')}`,
    );
    expect(killedMidRun).toBeGreaterThanOrEqual(TRIALS / 2);
    expect(killedHoldingLock).toBeGreaterThanOrEqual(3);

    // The next prunes complete, though the last killed prune left its lock: its pid is dead,
    // and a prune removes the stale locks of dead prunes it finds.
    const end1 = await pruneOk(cli, repo, ['--max-unused', '0%']);
    const end2 = await pruneOk(cli, repo, ['--max-unused', '0%']);
    const left = namesIn(repo, 'locks');
    expect(left).toEqual([]);
    // Nothing stale is left for unlock.
    const unlocked = await run(cli, ['unlock', '--repo', repo, '--json']);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const { removed, live } = JSON.parse(unlocked.stdout) as {
      removed: unknown[];
      live: unknown[];
    };
    expect(live).toEqual([]);
    expect(removed).toEqual([]);
    expect(end2.marked.packs, JSON.stringify(end2)).toBe(0);
    expect(end2.repacked.packs, JSON.stringify(end2)).toBe(0);
    expect(end2.waiting.packs, JSON.stringify(end2)).toBe(0);
    expect(end2.deleted.packs + end1.deleted.packs).toBeGreaterThan(0);

    // The space went back: about what a repository holding only the kept snapshots needs.
    const fresh = join(dir, 'fresh-repo');
    await initRepo(fresh, cli.password);
    for (const k of kept) await backupOk(cli, fresh, [k.source]);
    const needed = await bytesBelow(join(fresh, 'data'));
    const pruned = await bytesBelow(join(repo, 'data'));
    console.log(
      `after the last prunes: ${(pruned / MiB).toFixed(1)} MiB of packs, a fresh repository of the kept snapshots ${(needed / MiB).toFixed(1)} MiB`,
    );
    expect(pruned).toBeLessThanOrEqual(needed * 1.1);
    expect(pruned).toBeGreaterThanOrEqual(needed * 0.9);

    expect(await snapshotIds(cli, repo)).toEqual(kept.map((k) => k.id).sort());
    const [final] = await Promise.all([
      checkReadData(cli, repo, 'after the last prunes'),
      ...kept.map((k) => expectRestores(cli, repo, k.id, k.source, k.tree, scratch, 'end')),
    ]);
    expect(final.unreferencedPacks).toBe(0);
  }, 300_000);
});
