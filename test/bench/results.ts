/**
 * The shape of the benchmark's results (written as JSON) and how raw runs become figures:
 * every figure is the median of the runs, with their min and max, and its ratio to restic's
 * (tool / restic; below 1 is faster or smaller than restic for time, memory and size).
 */
import type { HashLimitResult } from './hash-limit';
import type { Measurement } from './measure';
import type { Phase } from './options';
import type { ToolInfo, ToolName } from './tools';

export const RESULTS_SCHEMA = 'strata-bench/1';

/** A step of a tool's run: `init` is recorded but not reported. */
export type Step = 'init' | Exclude<Phase, 'limit'>;
export const TIMED_STEPS: readonly Exclude<Step, 'init'>[] = [
  'first',
  'nochange',
  'change',
  'restore',
];
export const STEP_LABELS: Record<Exclude<Step, 'init'>, string> = {
  first: 'first backup',
  nochange: 'no-change backup',
  change: '1% changed backup',
  restore: 'full restore',
};
/** Phases whose throughput (dataset bytes / s) is meaningful: all data is processed. */
export const THROUGHPUT_STEPS: readonly Step[] = ['first', 'restore'];

export interface RunRecord extends Omit<Measurement, 'stdoutTail' | 'stderrTail'> {
  readonly run: number;
  readonly tool: ToolName;
  readonly step: Step;
  /** Restore only: what landed in the target folder. */
  readonly restoredBytes?: number;
  readonly restoredFiles?: number;
}

export interface RepoSizeRecord {
  readonly run: number;
  readonly tool: ToolName;
  readonly bytes: number;
  readonly files: number;
}

export interface HashLimitRecord extends HashLimitResult {
  readonly run: number;
}

export interface Figure {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

export interface StepSummary {
  readonly wallSeconds: Figure;
  readonly peakRssBytes: Figure | null;
  readonly bytesPerSecond: number | null;
  readonly filesPerSecond: number | null;
  /** tool / restic for each figure (throughput: tool / restic too, so above 1 is faster). */
  readonly ratioToRestic: {
    readonly wallSeconds: number | null;
    readonly peakRssBytes: number | null;
    readonly bytesPerSecond: number | null;
  };
  /**
   * tool / restic wall time within each run where both succeeded, in run order (empty for
   * restic): the tools of a run are timed step by step, side by side, so these pairs share the
   * machine's state and show how far the machine's swings move the ratio.
   */
  readonly runRatios: readonly number[];
}

export interface Summary {
  readonly steps: Partial<Record<Step, Partial<Record<ToolName, StepSummary>>>>;
  readonly repoSize: Partial<Record<ToolName, { bytes: Figure; ratioToRestic: number | null }>>;
  readonly hashLimit: { seconds: Figure; bytesPerSecond: number } | null;
  /** Strata's median first backup against the median hash-everything limit. */
  readonly strataVsLimit: { strataSeconds: number; limitSeconds: number; ratio: number } | null;
}

export interface MachineInfo {
  readonly cores: number;
  readonly cpuModel: string;
  readonly memoryBytes: number;
  readonly platform: string;
  readonly release: string;
  readonly node: string;
  /** Whether the page cache was dropped before each restore (files.ts dropPageCache). */
  readonly dropsPageCache: boolean;
}

export interface BenchResults {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly kind: 'mixed' | 'scale';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly options: Record<string, unknown>;
  readonly machine: MachineInfo;
  readonly tools: Partial<Record<ToolName, ToolInfo>>;
  readonly dataset: {
    readonly root: string;
    readonly files: number;
    readonly bytes: number;
    readonly reused: boolean;
    readonly generateSeconds: number;
    readonly [detail: string]: unknown;
  };
  readonly runs: readonly RunRecord[];
  readonly repoSizes: readonly RepoSizeRecord[];
  readonly hashLimit: readonly HashLimitRecord[];
  readonly summary: Summary;
  readonly errors: readonly string[];
}

export function figure(values: readonly number[]): Figure | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, n: sorted.length };
}

function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  return a != null && b != null && b > 0 ? a / b : null;
}

/** Medians, ranges, throughputs and ratios from the raw records. */
export function summarize(
  runs: readonly RunRecord[],
  repoSizes: readonly RepoSizeRecord[],
  hashLimit: readonly HashLimitRecord[],
  dataset: { bytes: number; files: number },
): Summary {
  const steps: Summary['steps'] = {};
  for (const step of TIMED_STEPS) {
    const byTool: Partial<Record<ToolName, Omit<StepSummary, 'ratioToRestic' | 'runRatios'>>> = {};
    for (const record of runs) {
      if (record.step !== step || byTool[record.tool]) continue;
      const mine = runs.filter(
        (r) => r.step === step && r.tool === record.tool && r.exitCode === 0,
      );
      const wall = figure(mine.map((r) => r.wallSeconds));
      if (!wall) continue;
      const rss = mine.map((r) => r.peakRssBytes).filter((v): v is number => v !== null);
      const throughput = THROUGHPUT_STEPS.includes(step);
      byTool[record.tool] = {
        wallSeconds: wall,
        peakRssBytes: figure(rss),
        bytesPerSecond: throughput ? dataset.bytes / wall.median : null,
        filesPerSecond: throughput ? dataset.files / wall.median : null,
      };
    }
    const restic = byTool.restic;
    const wallOf = (tool: ToolName, run: number) =>
      runs.find((r) => r.step === step && r.tool === tool && r.run === run && r.exitCode === 0)
        ?.wallSeconds;
    const runRatios = (tool: ToolName): number[] => {
      if (tool === 'restic') return [];
      const numbers = [...new Set(runs.map((r) => r.run))].sort((a, b) => a - b);
      return numbers
        .map((n) => ratio(wallOf(tool, n), wallOf('restic', n)))
        .filter((v): v is number => v !== null);
    };
    const withRatios: Partial<Record<ToolName, StepSummary>> = {};
    for (const [tool, s] of Object.entries(byTool) as [
      ToolName,
      Omit<StepSummary, 'ratioToRestic' | 'runRatios'>,
    ][]) {
      withRatios[tool] = {
        ...s,
        ratioToRestic: {
          wallSeconds: ratio(s.wallSeconds.median, restic?.wallSeconds.median),
          peakRssBytes: ratio(s.peakRssBytes?.median, restic?.peakRssBytes?.median),
          bytesPerSecond: ratio(s.bytesPerSecond, restic?.bytesPerSecond),
        },
        runRatios: runRatios(tool),
      };
    }
    if (Object.keys(withRatios).length > 0) steps[step] = withRatios;
  }

  const repoSize: Summary['repoSize'] = {};
  const sizes = new Map<ToolName, number[]>();
  for (const r of repoSizes) sizes.set(r.tool, [...(sizes.get(r.tool) ?? []), r.bytes]);
  const resticSize = figure(sizes.get('restic') ?? [])?.median;
  for (const [tool, values] of sizes) {
    const bytes = figure(values)!;
    repoSize[tool] = { bytes, ratioToRestic: ratio(bytes.median, resticSize) };
  }

  const limit = figure(hashLimit.map((h) => h.seconds));
  const strataFirst = steps.first?.strata?.wallSeconds.median;
  return {
    steps,
    repoSize,
    hashLimit: limit ? { seconds: limit, bytesPerSecond: dataset.bytes / limit.median } : null,
    strataVsLimit:
      limit && strataFirst !== undefined
        ? {
            strataSeconds: strataFirst,
            limitSeconds: limit.median,
            ratio: strataFirst / limit.median,
          }
        : null,
  };
}
