/**
 * One run of one tool: a fresh repository (and fresh tool cache), `init` (recorded, not
 * reported), first backup, no-change backup, backup after the dataset's ~1% mutation (undone
 * right after, even on failure), and a full restore into an empty folder of its own, which the
 * caller may have kept until the bench ends (keepRestores: see run.ts). The repository's size
 * is taken after the first backup. A failing command ends the tool's run
 * with an error that names the command and the end of its stderr; other tools carry on.
 * Before each timed command the harness settles the disks (files.ts settleDisks).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { folderSize, removeFolder, settleDisks } from './files';
import { measure, type Command } from './measure';
import { formatBytes, formatSeconds } from './report';
import type { RepoSizeRecord, RunRecord, Step } from './results';
import type { Tool, ToolPaths } from './tools';

export interface ToolRunContext {
  readonly tool: Tool;
  readonly run: number;
  /** The folder backed up. */
  readonly source: string;
  /** The harness's work folder; repositories, caches and restores go below it. */
  readonly workDir: string;
  /** Which optional steps to run ('first' always runs: the others need it). */
  readonly steps: readonly Step[];
  readonly keep: boolean;
  /** Leave the restored folder for the caller to delete (else it goes after the restore). */
  readonly keepRestores?: boolean;
  readonly mutate?: () => void;
  readonly revert?: () => void;
  /** Prefix for repository and restore folder names (the scale run uses its own). */
  readonly label?: string;
  readonly log: (line: string) => void;
}

export interface ToolRunOutcome {
  readonly records: RunRecord[];
  readonly repoSize: RepoSizeRecord | null;
  readonly error: string | null;
}

class StepFailed extends Error {}

export async function runToolOnce(ctx: ToolRunContext): Promise<ToolRunOutcome> {
  const { tool, run, log } = ctx;
  const name = `${ctx.label ?? ''}${tool.name}`;
  const paths: ToolPaths = {
    repo: join(ctx.workDir, 'repos', name),
    cache: join(ctx.workDir, 'cache', name),
  };
  const target = restoreFolder(ctx.workDir, name, run);
  const records: RunRecord[] = [];
  let repoSize: RepoSizeRecord | null = null;
  let restored = false;

  const step = async (stepName: Step, command: Command, extra = {}): Promise<RunRecord> => {
    settleDisks();
    const m = await measure(command);
    const { stdoutTail, stderrTail, ...figures } = m;
    const record: RunRecord = { run, tool: tool.name, step: stepName, ...figures, ...extra };
    records.push(record);
    if (m.exitCode !== 0) {
      const output = (stderrTail.trim() || stdoutTail.trim()).split('\n').slice(-5).join('\n  ');
      throw new StepFailed(
        `${tool.name} ${stepName} (run ${run}) exited with ${m.exitCode ?? m.signal}: ` +
          `${command.file} ${command.args.join(' ')}\n  ${output}`,
      );
    }
    if (stepName !== 'init') {
      const rss = m.peakRssBytes === null ? 'n/a' : formatBytes(m.peakRssBytes);
      log(
        `  run ${run} ${tool.name.padEnd(6)} ${stepName.padEnd(8)} ${formatSeconds(m.wallSeconds)}, peak RSS ${rss}`,
      );
    }
    return record;
  };

  try {
    await Promise.all([removeFolder(paths.repo), removeFolder(paths.cache), removeFolder(target)]);
    await mkdir(join(ctx.workDir, 'repos'), { recursive: true });
    await mkdir(paths.cache, { recursive: true });
    await step('init', tool.init(paths));
    let n = 1;
    await step('first', tool.backup(paths, ctx.source, n));
    const size = await folderSize(paths.repo);
    repoSize = { run, tool: tool.name, bytes: size.bytes, files: size.files };
    if (ctx.steps.includes('nochange')) await step('nochange', tool.backup(paths, ctx.source, ++n));
    if (ctx.steps.includes('change') && ctx.mutate && ctx.revert) {
      ctx.mutate();
      try {
        await step('change', tool.backup(paths, ctx.source, ++n));
      } finally {
        ctx.revert();
      }
    }
    if (ctx.steps.includes('restore')) {
      await mkdir(target, { recursive: true });
      const record = await step('restore', tool.restore(paths, target, n));
      const size = await folderSize(target);
      records[records.indexOf(record)] = {
        ...record,
        restoredBytes: size.bytes,
        restoredFiles: size.files,
      };
      restored = true;
    }
    return { records, repoSize, error: null };
  } catch (err) {
    const message =
      err instanceof StepFailed ? err.message : `${tool.name} (run ${run}): ${String(err)}`;
    log(`  ${message}`);
    return { records, repoSize, error: message };
  } finally {
    if (!(restored && ctx.keepRestores)) await removeFolder(target);
    if (!ctx.keep) await Promise.all([removeFolder(paths.repo), removeFolder(paths.cache)]);
  }
}

/** Where one run of one tool restores to: below `restore/` in the work folder. */
export function restoreFolder(workDir: string, name: string, run: number): string {
  return join(workDir, 'restore', `${name}-${run}`);
}
