/**
 * One run of one tool, step by step: a fresh repository (and fresh tool cache), `init`
 * (recorded, not reported), first backup, no-change backup, backup after the dataset's ~1%
 * mutation (the caller mutates and reverts around every tool's step), and a full restore into an
 * empty folder of its own, which the caller may keep until the bench ends (keepRestores: see
 * run.ts). The caller interleaves the tools step by step (run.ts), so each step of every tool
 * is timed within a minute or so of the others' and a slow spell of the machine hits them alike.
 * The repository's size is taken after the first backup. A failing command ends the tool's run
 * with an error that names the command and the end of its stderr: its later steps are skipped,
 * other tools carry on. Before each timed command the harness settles the disks, drops the page
 * cache before a restore where it can, and reads what the step will read (the dataset, the
 * tool's repository and cache) once, untimed (files.ts).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { dropPageCache, folderSize, removeFolder, settleDisks, warmFiles } from './files';
import { measure, type Command } from './measure';
import { formatBytes, formatSeconds } from './report';
import type { RepoSizeRecord, RunRecord, Step } from './results';
import type { Tool, ToolPaths } from './tools';

export interface ToolRunContext {
  readonly tool: Tool;
  readonly run: number;
  /** The folder backed up. */
  readonly source: string;
  /** The harness's work folder; repositories and caches go below it. */
  readonly workDir: string;
  /** The folder restores go below (options.restoreRoot). */
  readonly restoreRoot: string;
  readonly keep: boolean;
  /** Leave the restored folder for the caller to delete (else it goes after the restore). */
  readonly keepRestores?: boolean;
  /** Drop the page cache before each restore (where it can: files.ts dropPageCache). */
  readonly dropCaches?: boolean;
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

export class ToolRun {
  private readonly paths: ToolPaths;
  private readonly target: string;
  private readonly records: RunRecord[] = [];
  private repoSize: RepoSizeRecord | null = null;
  private error: string | null = null;
  private restored = false;
  /** Snapshots made so far (a tool may number its backups). */
  private backups = 0;

  constructor(private readonly ctx: ToolRunContext) {
    const name = `${ctx.label ?? ''}${ctx.tool.name}`;
    this.paths = {
      repo: join(ctx.workDir, 'repos', name),
      cache: join(ctx.workDir, 'cache', name),
    };
    this.target = restoreFolder(ctx.restoreRoot, name, ctx.run);
  }

  /** False once a step has failed: the run's later steps are skipped. */
  get ok(): boolean {
    return this.error === null;
  }

  /** A fresh repository: `init`. */
  prepare(): Promise<void> {
    return this.attempt(async () => {
      const { paths } = this;
      await Promise.all([
        removeFolder(paths.repo),
        removeFolder(paths.cache),
        removeFolder(this.target),
      ]);
      await mkdir(join(this.ctx.workDir, 'repos'), { recursive: true });
      await mkdir(paths.cache, { recursive: true });
      await this.step('init', this.ctx.tool.init(paths));
    });
  }

  /** One timed step: a backup (first, no-change, changed) or the full restore. */
  run(step: Exclude<Step, 'init'>): Promise<void> {
    return this.attempt(async () => {
      const { tool, source, run } = this.ctx;
      if (step !== 'restore') {
        await this.step(step, tool.backup(this.paths, source, ++this.backups), [source]);
        if (step === 'first') {
          const size = await folderSize(this.paths.repo);
          this.repoSize = { run, tool: tool.name, bytes: size.bytes, files: size.files };
        }
        return;
      }
      await mkdir(this.target, { recursive: true });
      const record = await this.step(
        'restore',
        tool.restore(this.paths, this.target, this.backups),
      );
      const size = await folderSize(this.target);
      this.records[this.records.indexOf(record)] = {
        ...record,
        restoredBytes: size.bytes,
        restoredFiles: size.files,
      };
      this.restored = true;
    });
  }

  /** Removes what the run made (as `keep` and `keepRestores` allow) and returns its figures. */
  async finish(): Promise<ToolRunOutcome> {
    if (!(this.restored && this.ctx.keepRestores)) await removeFolder(this.target);
    if (!this.ctx.keep) {
      await Promise.all([removeFolder(this.paths.repo), removeFolder(this.paths.cache)]);
    }
    return { records: this.records, repoSize: this.repoSize, error: this.error };
  }

  private async attempt(body: () => Promise<void>): Promise<void> {
    if (!this.ok) return;
    try {
      await body();
    } catch (err) {
      const { tool, run, log } = this.ctx;
      this.error =
        err instanceof StepFailed ? err.message : `${tool.name} (run ${run}): ${String(err)}`;
      log(`  ${this.error}`);
    }
  }

  private async step(stepName: Step, command: Command, inputs: string[] = []): Promise<RunRecord> {
    const { tool, run, log } = this.ctx;
    settleDisks();
    // A restore starts without the earlier restores' output in the page cache (files.ts).
    if (stepName === 'restore' && this.ctx.dropCaches) dropPageCache();
    // The tool starts with what it reads in the page cache, as every other tool does.
    for (const dir of [...inputs, this.paths.repo, this.paths.cache]) warmFiles(dir);
    const m = await measure(command);
    const { stdoutTail, stderrTail, ...figures } = m;
    const record: RunRecord = { run, tool: tool.name, step: stepName, ...figures };
    this.records.push(record);
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
  }
}

/** Where one run of one tool restores to: below the bench's restore folder. */
export function restoreFolder(restoreRoot: string, name: string, run: number): string {
  return join(restoreRoot, `${name}-${run}`);
}
