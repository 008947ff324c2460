/**
 * The human-readable report: one table of phase × tool (median wall time with min–max,
 * throughput, peak RSS, repository size; each with its ratio to restic as "×0.97"), each run's
 * wall-time ratios to restic, then the comparison of Strata's first backup with the
 * hash-everything limit.
 */
import { STEP_LABELS, TIMED_STEPS, type BenchResults, type Figure } from './results';
import { TOOL_NAMES } from './tools';

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
}

function formatRange(f: Figure): string {
  return f.n > 1 ? `${formatSeconds(f.min)}–${formatSeconds(f.max)}` : '';
}

function withRatio(text: string, ratio: number | null | undefined, isRestic: boolean): string {
  return ratio == null || isRestic ? text : `${text} ×${ratio.toFixed(2)}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}

/** Each run's wall-time ratios to restic, per step and tool (none without restic). */
function runRatioLines(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const step of TIMED_STEPS) {
    const parts: string[] = [];
    for (const tool of TOOL_NAMES) {
      const ratios = results.summary.steps[step]?.[tool]?.runRatios ?? [];
      if (ratios.length > 0)
        parts.push(`${tool} ${ratios.map((r) => `×${r.toFixed(2)}`).join(' ')}`);
    }
    if (parts.length > 0) lines.push(`  ${STEP_LABELS[step]}: ${parts.join(', ')}`);
  }
  if (lines.length === 0) return [];
  return [
    '',
    'wall time to restic run by run (the tools of a run are timed side by side):',
    ...lines,
  ];
}

/** The report as lines of text. */
export function reportLines(results: BenchResults): string[] {
  const { summary, dataset, machine } = results;
  const scale = results.kind === 'scale';
  const runs = Math.max(0, ...results.runs.map((r) => r.run));
  const lines = [
    '',
    `${scale ? 'Scale' : 'Mixed'} dataset: ${formatBytes(dataset.bytes)} in ${dataset.files} files at ` +
      `${dataset.root}; ${machine.cores} cores, ${formatBytes(machine.memoryBytes)} RAM, Node ` +
      `${machine.node}; median of ${runs} run(s). ×N = ratio to restic (tool / restic).`,
    '',
  ];
  const rows: string[][] = [
    [
      'phase',
      'tool',
      'wall (median)',
      'min–max',
      scale ? 'files/s' : 'throughput',
      'peak RSS',
      'repository',
    ],
  ];
  for (const step of TIMED_STEPS) {
    const byTool = summary.steps[step];
    if (!byTool) continue;
    let first = true;
    for (const tool of TOOL_NAMES) {
      const s = byTool[tool];
      if (!s) continue;
      const isRestic = tool === 'restic';
      const repo = step === 'first' ? summary.repoSize[tool] : undefined;
      const throughput = scale
        ? s.filesPerSecond !== null
          ? `${Math.round(s.filesPerSecond)} files/s`
          : ''
        : s.bytesPerSecond !== null
          ? `${formatBytes(s.bytesPerSecond)}/s`
          : '';
      rows.push([
        first ? STEP_LABELS[step] : '',
        tool,
        withRatio(formatSeconds(s.wallSeconds.median), s.ratioToRestic.wallSeconds, isRestic),
        formatRange(s.wallSeconds),
        throughput,
        s.peakRssBytes
          ? withRatio(formatBytes(s.peakRssBytes.median), s.ratioToRestic.peakRssBytes, isRestic)
          : 'n/a',
        repo ? withRatio(formatBytes(repo.bytes.median), repo.ratioToRestic, isRestic) : '',
      ]);
      first = false;
    }
  }
  lines.push(...(rows.length > 1 ? table(rows) : ['(no successful runs)']));
  lines.push(...runRatioLines(results));
  lines.push('');
  if (summary.hashLimit) {
    const h = summary.hashLimit;
    const workers = results.hashLimit[0]?.workers ?? machine.cores;
    lines.push(
      `hash-everything limit (read + SHA-256 every byte, ${workers} worker threads): ` +
        `${formatSeconds(h.seconds.median)} (${formatBytes(h.bytesPerSecond)}/s)`,
    );
  }
  if (summary.strataVsLimit) {
    const v = summary.strataVsLimit;
    lines.push(
      `strata first backup: ${formatSeconds(v.strataSeconds)} = ${v.ratio.toFixed(2)}× the ` +
        `hash-everything limit (${Math.round(100 / v.ratio)}% of its throughput)`,
    );
  }
  lines.push(
    'peak RSS: the largest sum of VmRSS over the process and its descendants, sampled every ' +
      '25 ms (or the main process VmHWM when larger); repository: bytes under the repository ' +
      'folder after the first backup.',
  );
  for (const error of results.errors) lines.push(`error: ${error}`);
  return lines;
}
