/**
 * `npm run bench`: times Strata against restic and borg on the same machine in one run.
 *
 * Constraints (issue "Speed"): a deterministic dataset generated once and reused; every figure
 * the median of --runs runs, the tools interleaved step by step within each run and their order
 * rotated from run to run (runTools), to spread machine noise; missing tools are named with
 * their install command and skipped, never installed. Results (raw runs, machine and tool
 * versions) go to --out as JSON and a table goes to the log. Benchmarks are not tests:
 * nothing here asserts a speed.
 *
 * `runBench(options)` is the whole harness (the smoke test calls it from TypeScript source); the
 * command-line entry at the bottom runs only when this file is executed directly.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import {
  ensureDataset,
  mutateDataset,
  mutatedFileCount,
  revertDataset,
  DATASET_SEED,
  DATASET_VERSION,
} from './dataset';
import { removeFolder, roomFor, settleDisks } from './files';
import { hashEverything } from './hash-limit';
import { HelpRequested, parseBenchArgs, type BenchOptions, type Phase } from './options';
import { formatBytes, formatSeconds, reportLines } from './report';
import {
  RESULTS_SCHEMA,
  summarize,
  TIMED_STEPS,
  type BenchResults,
  type HashLimitRecord,
  type MachineInfo,
  type RepoSizeRecord,
  type RunRecord,
} from './results';
import { ensureScaleDataset } from './scale-dataset';
import { ToolRun, type ToolRunContext } from './tool-run';
import { makeTool, type Tool, type ToolInfo, type ToolName } from './tools';

export function machineInfo(dropsPageCache: boolean): MachineInfo {
  return {
    cores: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    platform: process.platform,
    release: release(),
    node: process.version,
    dropsPageCache,
  };
}

/** Detects the selected tools; says which are missing and how to install them. */
async function detectTools(
  options: BenchOptions,
): Promise<{ tools: Tool[]; info: Partial<Record<ToolName, ToolInfo>> }> {
  const info: Partial<Record<ToolName, ToolInfo>> = {};
  const tools: Tool[] = [];
  for (const name of options.tools) {
    const tool = makeTool(name);
    const found = await tool.detect();
    info[name] = found;
    if (found.available) {
      tools.push(tool);
      options.log(`${name}: ${found.version}`);
    } else {
      options.log(found.note ?? `${name} not available`);
    }
  }
  return { tools, info };
}

export interface Collected {
  runs: RunRecord[];
  repoSizes: RepoSizeRecord[];
  hashLimit: HashLimitRecord[];
  errors: string[];
}

/** What every tool's run shares: all of ToolRunContext but the tool. */
type RunShared = Omit<ToolRunContext, 'tool'>;

/** The shared context of run `run` over `source`: the rest comes from the options. */
function sharedRun(
  options: BenchOptions,
  run: number,
  source: string,
  keepRestores: boolean,
  label?: string,
): RunShared {
  const { dir: workDir, restoreRoot, keep, log } = options;
  const dropCaches = options.pageCache === 'drop';
  return { run, source, workDir, restoreRoot, keep, keepRestores, dropCaches, label, log };
}

/**
 * One run of every tool, interleaved step by step (all first backups, then all no-change
 * backups, ...), the tools' order rotated from run to run: each step's figures for the tools
 * are taken within a minute or so of each other, so a slow spell of the machine (this VM's
 * speed swings by 2x within minutes) hits them alike, and no tool always goes first. The
 * dataset is mutated once for every tool's "1% changed" backup and reverted after them.
 */
export async function runTools(
  collected: Collected,
  tools: readonly Tool[],
  steps: readonly Exclude<Phase, 'limit'>[],
  shared: RunShared,
  mutation?: { mutate(): void; revert(): void },
): Promise<void> {
  const turn = (shared.run - 1) % Math.max(1, tools.length);
  const order = [...tools.slice(turn), ...tools.slice(0, turn)];
  const runs = order.map((tool) => new ToolRun({ ...shared, tool }));
  try {
    for (const r of runs) await r.prepare();
    // 'first' always runs: the others need its snapshot.
    for (const step of TIMED_STEPS.filter((s) => s === 'first' || steps.includes(s))) {
      const mutated = step === 'change' ? mutation : undefined;
      if (step === 'change' && !mutated) continue;
      try {
        mutated?.mutate();
        for (const r of runs) if (r.ok) await r.run(step);
      } finally {
        mutated?.revert();
      }
    }
  } finally {
    for (const r of runs) {
      const outcome = await r.finish();
      collected.runs.push(...outcome.records);
      if (outcome.repoSize) collected.repoSizes.push(outcome.repoSize);
      if (outcome.error) collected.errors.push(outcome.error);
    }
  }
}

async function runMixed(
  options: BenchOptions,
  tools: Tool[],
  collected: Collected,
): Promise<BenchResults['dataset']> {
  const dataset = ensureDataset(options.dir, options.sizeBytes, options.log);
  const { plan } = dataset;
  const files = plan.files.map((f) => ({ path: join(dataset.root, f.path), size: f.size }));
  // A bench killed before its end left its restored folders: not restored into again.
  await removeFolder(options.restoreRoot);
  const restores = options.phases.includes('restore') ? options.runs * tools.length : 0;
  const keepRestores = await keepRestoredFolders(options, tools.length, restores, plan.totalBytes);
  try {
    for (let run = 1; run <= options.runs; run++) {
      options.log(`run ${run}/${options.runs}`);
      if (options.phases.includes('limit')) {
        settleDisks();
        // Once untimed: the limit is the CPU's, on cached data, as the tools that follow it
        // read it; on this VM the dataset was partly out of the page cache after a run
        // (limit 0.9 s warm, 2.4-3.0 s cold), which flattered every ratio to it.
        await hashEverything(files);
        const h = await hashEverything(files);
        collected.hashLimit.push({ run, ...h });
        options.log(`  run ${run} hash-everything limit ${formatSeconds(h.seconds)}`);
      }
      await runTools(
        collected,
        tools,
        options.phases.filter((p): p is Exclude<Phase, 'limit'> => p !== 'limit'),
        sharedRun(options, run, dataset.root, keepRestores),
        { mutate: () => mutateDataset(dataset), revert: () => revertDataset(dataset) },
      );
    }
  } finally {
    if (keepRestores) await removeFolder(options.restoreRoot);
  }
  return {
    root: dataset.root,
    files: plan.files.length,
    bytes: plan.totalBytes,
    reused: dataset.reused,
    generateSeconds: dataset.generateSeconds,
    version: DATASET_VERSION,
    seed: DATASET_SEED,
    sizeTargetBytes: plan.sizeBytes,
    smallFiles: plan.smallFiles,
    largeFiles: plan.largeFiles,
    duplicateFiles: plan.duplicateFiles,
    mutatedFiles: mutatedFileCount(plan),
    appendBytes: plan.mutation.appendBytes,
  };
}

/**
 * Whether every restored folder stays until the bench ends (when the disk has room for all
 * of them). Deleting one just before the next tool restores made that restore pay for the
 * deletion: ext4 without a journal (this VM's root) skips inodes freed in the last ~30 s when
 * it allocates new ones, and each skip looks the inode up (the kernel's recently_deleted).
 * Creating 20k files right after deleting 20k took 6-7 s of system time instead of ~1 s;
 * restores were 2-5 s slower for every tool, most for the one that ran soonest after.
 */
async function keepRestoredFolders(
  options: BenchOptions,
  /** Tools in a run: their repositories exist at once (runTools). */
  tools: number,
  /** Restores the bench will make (0 when it makes none). */
  restores: number,
  bytesEach: number,
): Promise<boolean> {
  if (restores === 0) return false;
  const bytes = restores * bytesEach;
  // The repositories share the disk: a run's, one per tool, or all of them with --keep.
  const repos = (options.keep ? restores : tools) * bytesEach;
  await mkdir(options.restoreRoot, { recursive: true });
  const [restoreDev, workDev] = await Promise.all(
    [options.restoreRoot, options.dir].map(async (d) => (await stat(d)).dev),
  );
  const keep =
    restoreDev === workDev
      ? await roomFor(options.dir, bytes + repos)
      : (await roomFor(options.restoreRoot, bytes)) && (await roomFor(options.dir, repos));
  options.log(
    (keep
      ? `restored folders are kept until the end (${formatBytes(bytes)}): deleting one right before the next restore slows it`
      : `not enough room to keep every restored folder (${formatBytes(bytes)}): each is deleted after its restore, and the restore after it may pay for the deletion`) +
      `; restores go to ${options.restoreRoot}` +
      PAGE_CACHE_NOTES[options.pageCache],
  );
  return keep;
}

/** What the restore log line says of the page cache (options.pageCache). */
const PAGE_CACHE_NOTES: Record<BenchOptions['pageCache'], string> = {
  drop: '; the page cache is dropped before each restore',
  cannot:
    '; the page cache cannot be dropped here (root only): each restore finds the earlier ones cached',
  kept: '; the page cache is kept (--keep-page-cache): each restore finds the earlier ones cached',
};

/** The steps of the scale run: first and no-change backup, and a restore (as --phases allow). */
const SCALE_STEPS: readonly Exclude<Phase, 'limit'>[] = ['first', 'nochange', 'restore'];

async function runScale(
  options: BenchOptions,
  tools: Tool[],
  collected: Collected,
): Promise<BenchResults['dataset']> {
  const dataset = ensureScaleDataset(options.dir, options.scale!, options.log);
  const scaleTools = tools.filter((t) => t.name === 'strata' || t.name === 'restic');
  if (tools.some((t) => t.name === 'borg')) options.log('borg: not part of the scale run');
  const steps = SCALE_STEPS.filter((s) => options.phases.includes(s));
  await removeFolder(options.restoreRoot);
  // Each tiny file takes a block of its own on disk: a million restored are ~4 GiB.
  const onDisk = Math.max(dataset.bytes, dataset.files * 4096);
  const restores = steps.includes('restore') ? options.scaleRuns * scaleTools.length : 0;
  const keepRestores = await keepRestoredFolders(options, scaleTools.length, restores, onDisk);
  try {
    for (let run = 1; run <= options.scaleRuns; run++) {
      options.log(`scale run ${run}/${options.scaleRuns}`);
      await runTools(
        collected,
        scaleTools,
        steps,
        sharedRun(options, run, dataset.root, keepRestores, 'scale-'),
      );
    }
  } finally {
    if (keepRestores) await removeFolder(options.restoreRoot);
  }
  return { ...dataset };
}

/** Runs the benchmark the options describe, prints the report, writes and returns the results. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  await mkdir(options.dir, { recursive: true });
  const { tools, info } = await detectTools(options);
  const collected: Collected = { runs: [], repoSizes: [], hashLimit: [], errors: [] };
  if (tools.length === 0) collected.errors.push('none of the selected tools is available');

  const scale = options.scale !== null;
  const dataset = scale
    ? await runScale(options, tools, collected)
    : await runMixed(options, tools, collected);
  const phases: readonly string[] = scale ? SCALE_STEPS : options.phases;
  const summary = summarize(
    collected.runs.filter((r) => phases.includes(r.step)),
    collected.repoSizes,
    collected.hashLimit,
    { bytes: dataset.bytes, files: dataset.files },
  );
  const { log: _log, ...printable } = options;
  const results: BenchResults = {
    schema: RESULTS_SCHEMA,
    kind: scale ? 'scale' : 'mixed',
    startedAt,
    finishedAt: new Date().toISOString(),
    options: printable,
    machine: machineInfo(options.pageCache === 'drop'),
    tools: info,
    dataset,
    runs: collected.runs,
    repoSizes: collected.repoSizes,
    hashLimit: collected.hashLimit,
    summary,
    errors: collected.errors,
  };
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, JSON.stringify(results, null, 2) + '\n');
  for (const line of reportLines(results)) options.log(line);
  options.log(`results: ${options.out}`);
  return results;
}

/** The command line: exit 0 when every command succeeded, 1 when some failed, 2 on bad flags. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchArgs(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(err.message);
      return 0;
    }
    console.error((err as Error).message);
    return 2;
  }
  const results = await runBench(options);
  return results.errors.length > 0 ? 1 : 0;
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
