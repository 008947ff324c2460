/**
 * Smoke test of the benchmark harness (not a benchmark: it asserts no speed). Runs the harness
 * from TypeScript source on a tiny dataset with Strata only (the built CLI: `npm test` builds
 * first) and checks that the results have the expected shape, positive figures, that the
 * dataset is reused and left exactly as generated after the "1% changed" phase, and that the
 * restored folders, kept to the end of the bench, are gone after it.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli';
import { ensureDataset, FIXED_MTIME, planDataset } from './dataset';
import { canDropPageCache, dropPageCache, roomFor, warmFiles } from './files';
import { parseBenchArgs, parseSize } from './options';
import { reportLines } from './report';
import { summarize, type BenchResults, type RunRecord } from './results';
import { runBench, runTools, type Collected } from './run';
import type { Command } from './measure';
import type { Tool, ToolName } from './tools';

describe('benchmark harness (smoke)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const lines: string[] = [];
  const log = (line: string): void => void lines.push(line);

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-bench-smoke-'));
  });
  afterAll(() => cleanup());

  it('parses sizes and plans the same dataset every time', () => {
    expect(parseSize('1G')).toBe(1024 ** 3);
    expect(parseSize('256M')).toBe(256 * 1024 ** 2);
    expect(() => parseSize('lots')).toThrow(/bad size/);
    const plan = planDataset(parseSize('1G'));
    expect(plan.smallFiles).toBe(20_000);
    expect(plan.largeFiles).toBe(45);
    expect(plan.duplicateFiles).toBeGreaterThan(0);
    expect(plan.totalBytes / 1024 ** 3).toBeGreaterThan(0.9);
    expect(plan.totalBytes / 1024 ** 3).toBeLessThan(1.2);
    expect(planDataset(parseSize('1G'))).toEqual(plan);
  });

  it('runs all phases on a tiny dataset and writes well-formed results', async () => {
    const options = parseBenchArgs(
      ['--size', '2M', '--runs', '1', '--tools', 'strata', '--dir', dir, '--keep-page-cache'],
      log,
    );
    expect(options.pageCache).toBe('kept');
    const results = await runBench(options);
    expect(results.errors).toEqual([]);
    expect(results.machine.dropsPageCache).toBe(false);
    expect(
      lines.some((l) =>
        l.endsWith(
          'the page cache is kept (--keep-page-cache): each restore finds the earlier ones cached',
        ),
      ),
    ).toBe(true);

    const written = JSON.parse(
      readFileSync(join(dir, 'bench-results.json'), 'utf8'),
    ) as BenchResults;
    expect(written.schema).toBe('strata-bench/1');
    expect(written.kind).toBe('mixed');
    expect(written.machine.cores).toBeGreaterThan(0);
    expect(written.machine.node).toBe(process.version);
    expect(written.tools.strata?.available).toBe(true);
    expect(written.dataset.files).toBeGreaterThan(10);
    expect(written.dataset.bytes).toBeGreaterThan(1024 * 1024);

    expect(written.runs.map((r) => r.step)).toEqual([
      'init',
      'first',
      'nochange',
      'change',
      'restore',
    ]);
    for (const r of written.runs) {
      expect(r.exitCode).toBe(0);
      expect(r.wallSeconds).toBeGreaterThan(0);
      if (process.platform === 'linux') expect(r.peakRssBytes).toBeGreaterThan(0);
    }
    const restore = written.runs.find((r) => r.step === 'restore')!;
    expect(restore.restoredFiles).toBe(written.dataset.files);
    expect(restore.restoredBytes).toBeGreaterThanOrEqual(written.dataset.bytes);
    expect(written.repoSizes[0]?.bytes).toBeGreaterThan(0);
    expect(written.hashLimit[0]?.bytes).toBe(written.dataset.bytes);

    const { steps, hashLimit, strataVsLimit, repoSize } = written.summary;
    for (const step of ['first', 'nochange', 'change', 'restore'] as const) {
      expect(steps[step]?.strata?.wallSeconds.median).toBeGreaterThan(0);
    }
    expect(steps.first?.strata?.bytesPerSecond).toBeGreaterThan(0);
    expect(steps.restore?.strata?.bytesPerSecond).toBeGreaterThan(0);
    expect(repoSize.strata?.bytes.median).toBeGreaterThan(0);
    expect(hashLimit?.bytesPerSecond).toBeGreaterThan(0);
    expect(strataVsLimit?.ratio).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('first backup'))).toBe(true);
    // The restored folder was kept to the end of the bench (where the disk has room), then
    // removed with the others.
    const kept = lines.some((l) => l.startsWith('restored folders are kept until the end'));
    const deleted = lines.some((l) => l.startsWith('not enough room to keep every restored'));
    expect(kept !== deleted).toBe(true);
    expect(existsSync(join(dir, 'restore'))).toBe(false);
  });

  it('restores into --restore-dir when given, and removes only its own folder there', async () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere, { recursive: true });
    writeFileSync(join(elsewhere, 'keep-me'), 'not the bench');
    const options = parseBenchArgs(
      ['--size', '2M', '--runs', '1', '--tools', 'strata', '--phases', 'first,restore'],
      log,
    );
    expect(options.restoreRoot).toBe(join(options.dir, 'restore'));
    expect(options.pageCache).toBe(canDropPageCache() ? 'drop' : 'cannot');
    const moved = parseBenchArgs(
      [
        ...['--size', '2M', '--runs', '1', '--tools', 'strata', '--phases', 'first,restore'],
        ...['--dir', dir, '--restore-dir', elsewhere],
      ],
      log,
    );
    expect(moved.restoreRoot).toBe(join(elsewhere, 'strata-bench-restore'));
    const results = await runBench(moved);
    expect(results.errors).toEqual([]);
    expect(results.runs.map((r) => r.step)).toEqual(['init', 'first', 'restore']);
    expect(results.runs.find((r) => r.step === 'restore')?.restoredFiles).toBe(
      results.dataset.files,
    );
    // Dropped where this process may (root on Linux), else said so.
    const cacheNote = results.machine.dropsPageCache
      ? 'the page cache is dropped before each restore'
      : 'the page cache cannot be dropped here (root only): each restore finds the earlier ones cached';
    expect(results.machine.dropsPageCache).toBe(canDropPageCache());
    expect(
      lines.some((l) => l.endsWith(`; restores go to ${moved.restoreRoot}; ${cacheNote}`)),
    ).toBe(true);
    expect(existsSync(moved.restoreRoot)).toBe(false);
    expect(readFileSync(join(elsewhere, 'keep-me'), 'utf8')).toBe('not the bench');
  });

  it('keeps restored folders only where the disk has room for them', async () => {
    const fs = await statfs(dir);
    expect(await roomFor(dir, 1024)).toBe(fs.bavail * fs.bsize >= 1024 * 1.1 + 2 ** 30);
    expect(await roomFor(dir, 2 ** 60)).toBe(false);
    expect(await roomFor(join(dir, 'no', 'such', 'folder'), 1024)).toBe(false);
  });

  it('warms the dataset: reads every regular file once, never through a link', () => {
    const dataset = ensureDataset(dir, parseSize('2M'), log);
    expect(warmFiles(dataset.root)).toEqual({
      bytes: dataset.plan.totalBytes,
      files: dataset.plan.files.length,
    });
    const own = join(dir, 'warm');
    mkdirSync(join(own, 'a', 'b'), { recursive: true });
    writeFileSync(join(own, 'a', 'b', 'big'), Buffer.alloc(3 * 1024 * 1024 + 5, 1));
    writeFileSync(join(own, 'small'), 'seven b');
    symlinkSync(join(own, 'a', 'b', 'big'), join(own, 'link'));
    symlinkSync(dataset.root, join(own, 'a', 'folder-link'));
    expect(warmFiles(own)).toEqual({ bytes: 3 * 1024 * 1024 + 12, files: 2 });
  });

  it('drops the page cache through the kernel switch only where it may write it', () => {
    const fake = join(dir, 'drop_caches');
    writeFileSync(fake, '0');
    expect(canDropPageCache(fake)).toBe(true);
    expect(dropPageCache(fake)).toBe(true);
    expect(readFileSync(fake, 'utf8')).toBe('1');
    const missing = join(dir, 'no', 'such', 'drop_caches');
    expect(canDropPageCache(missing)).toBe(false);
    expect(dropPageCache(missing)).toBe(false);
    // The real switch is root's only (a root in a container may be refused it too).
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      expect(canDropPageCache()).toBe(false);
    }
  });

  it('left the dataset as generated, and reuses it', () => {
    const dataset = ensureDataset(dir, parseSize('2M'), log);
    expect(dataset.reused).toBe(true);
    const { editFiles, appendTo } = dataset.plan.mutation;
    for (const spec of [...editFiles, appendTo]) {
      const st = statSync(join(dataset.root, spec.path));
      expect(st.size).toBe(spec.size);
      expect(st.mtimeMs).toBe(FIXED_MTIME.getTime());
    }
  });

  it('interleaves the tools step by step, rotates their order, and stops only a failed one', async () => {
    const journal = join(dir, 'journal');
    writeFileSync(journal, '');
    // A command that notes "tool step" in the journal, and fails where told to.
    const note = (name: string, step: string, fail = false): Command => ({
      file: process.execPath,
      args: [
        '-e',
        `require('fs').appendFileSync(${JSON.stringify(journal)}, ${JSON.stringify(`${name} ${step}\n`)}); process.exit(${fail ? 1 : 0})`,
      ],
      env: process.env,
    });
    const fake = (name: ToolName, failAt?: number): Tool => ({
      name,
      detect: () => Promise.resolve({ available: true, version: 'fake', note: null }),
      init: () => note(name, 'init'),
      backup: (_p, _s, n) => note(name, ['first', 'nochange', 'change'][n - 1]!, n === failAt),
      // Restores go below the bench's restore folder.
      restore: (_p, target) =>
        note(name, target.startsWith(join(dir, 'fake', 'restore')) ? 'restore' : 'misplaced'),
    });
    const collected: Collected = { runs: [], repoSizes: [], hashLimit: [], errors: [] };
    const mutation = {
      mutate: () => appendFileSync(journal, 'mutate\n'),
      revert: () => appendFileSync(journal, 'revert\n'),
    };
    const shared = {
      source: dir,
      workDir: join(dir, 'fake'),
      restoreRoot: join(dir, 'fake', 'restore'),
      keep: false,
      log,
    };
    const steps = ['first', 'nochange', 'change', 'restore'] as const;
    const tools = [fake('restic'), fake('borg', 2)];
    await runTools(collected, tools, steps, { ...shared, run: 1 }, mutation);
    await runTools(collected, tools, steps, { ...shared, run: 2 }, mutation);
    expect(readFileSync(journal, 'utf8').trim().split('\n')).toEqual([
      ...['restic init', 'borg init', 'restic first', 'borg first', 'restic nochange'],
      // borg's no-change backup failed: its later steps are skipped, restic's are not.
      ...['borg nochange', 'mutate', 'restic change', 'revert', 'restic restore'],
      // Run 2 starts with the other tool.
      ...['borg init', 'restic init', 'borg first', 'restic first', 'borg nochange'],
      ...['restic nochange', 'mutate', 'restic change', 'revert', 'restic restore'],
    ]);
    expect(collected.errors).toHaveLength(2);
    expect(collected.errors[0]).toMatch(/^borg nochange \(run 1\) exited with 1/);
    expect(collected.runs.filter((r) => r.tool === 'restic' && r.step === 'restore')).toHaveLength(
      2,
    );
    expect(collected.runs.filter((r) => r.tool === 'borg').map((r) => r.step)).toEqual([
      ...['init', 'first', 'nochange'],
      ...['init', 'first', 'nochange'],
    ]);
  });

  it("gives each run's wall-time ratio to restic, from the runs where both succeeded", () => {
    const record = (run: number, tool: ToolName, wallSeconds: number, exitCode = 0): RunRecord => ({
      run,
      tool,
      step: 'first',
      wallSeconds,
      peakRssBytes: null,
      peakTreeRssBytes: null,
      mainHwmBytes: null,
      samples: 1,
      maxProcesses: 1,
      exitCode,
      signal: null,
    });
    const runs = [
      ...[record(1, 'strata', 7), record(1, 'restic', 10), record(2, 'restic', 8)],
      // Run 2's strata failed: no pair. Run 3's pair is taken in run order.
      ...[record(2, 'strata', 1, 1), record(3, 'strata', 12), record(3, 'restic', 15)],
    ];
    const summary = summarize(runs, [], [], { bytes: 1, files: 1 });
    expect(summary.steps.first?.strata?.runRatios).toEqual([0.7, 0.8]);
    expect(summary.steps.first?.restic?.runRatios).toEqual([]);
    expect(summary.steps.first?.strata?.ratioToRestic.wallSeconds).toBeCloseTo(9.5 / 10);
    const results = { summary, runs, hashLimit: [], errors: [], kind: 'mixed' } as const;
    const lines = reportLines({
      ...results,
      dataset: { root: '/d', files: 1, bytes: 1, reused: true, generateSeconds: 0 },
      machine: {
        ...{ cores: 2, cpuModel: '', memoryBytes: 1, platform: '', release: '', node: '' },
        dropsPageCache: false,
      },
    } as unknown as BenchResults);
    expect(lines).toContain('  first backup: strata ×0.70 ×0.80');
  });

  it('runs the scale benchmark on a few tiny files', async () => {
    const options = parseBenchArgs(['--scale', '300', '--tools', 'strata', '--dir', dir], log);
    const results = await runBench(options);
    expect(results.errors).toEqual([]);
    expect(results.kind).toBe('scale');
    expect(existsSync(join(dir, 'bench-results-scale.json'))).toBe(true);
    expect(results.dataset.files).toBe(300);
    expect(results.summary.steps.first?.strata?.wallSeconds.median).toBeGreaterThan(0);
    expect(results.summary.steps.nochange?.strata?.wallSeconds.median).toBeGreaterThan(0);
    expect(results.summary.steps.restore?.strata?.wallSeconds.median).toBeGreaterThan(0);
    const restored = results.runs.find((r) => r.step === 'restore' && r.tool === 'strata');
    expect(restored?.restoredFiles).toBe(300);
    // Kept until the bench ends, then removed.
    expect(existsSync(join(dir, 'restore'))).toBe(false);
  });
});
