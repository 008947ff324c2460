/**
 * The harness's command-line options (`npm run bench -- FLAGS`) and their defaults.
 * Kept separate from run.ts so the smoke test can build options exactly as the CLI does.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { canDropPageCache } from './files';
import { TOOL_NAMES, type ToolName } from './tools';

export const PHASES = ['first', 'nochange', 'change', 'restore', 'limit'] as const;
export type Phase = (typeof PHASES)[number];

export const DEFAULT_SCALE_FILES = 1_000_000;

export interface BenchOptions {
  /** Target dataset size in bytes (the counts scale with it). */
  readonly sizeBytes: number;
  /** The work folder: dataset, repositories, restores, results. */
  readonly dir: string;
  readonly runs: number;
  /** The JSON results file (default: bench-results[-scale].json in the work folder). */
  readonly out: string;
  readonly tools: readonly ToolName[];
  readonly phases: readonly Phase[];
  /** Set: run the many-tiny-files scale benchmark with this many files instead. */
  readonly scale: number | null;
  readonly scaleRuns: number;
  /** Keep the last run's repositories instead of deleting them. */
  readonly keep: boolean;
  /**
   * The folder restores go into, one subfolder per tool and run; the bench removes it at its
   * start and end (default: DIR/restore; with --restore-dir D: D/strata-bench-restore).
   */
  readonly restoreRoot: string;
  /**
   * The page cache before each restore (files.ts dropPageCache): 'drop' where this process may,
   * 'cannot' where it may not (not root, not Linux), 'kept' with --keep-page-cache.
   */
  readonly pageCache: 'drop' | 'cannot' | 'kept';
  readonly log: (line: string) => void;
}

export const USAGE = `Usage: npm run bench -- [options]

  --size SIZE        dataset size, e.g. 1G (default), 256M, 2M; file counts scale with it
  --dir DIR          work folder (default: $TMPDIR/strata-bench); the dataset is reused
  --runs N           runs per figure, the median is reported (default 3)
  --out FILE         JSON results (default: DIR/bench-results.json, with --scale
                     DIR/bench-results-scale.json)
  --tools LIST       strata,restic,borg (default: all; missing tools are skipped)
  --phases LIST      first,nochange,change,restore,limit (default: all)
  --scale [N]        instead: N tiny files of 0-64 bytes (default 1000000), first and
                     no-change backup and restore of strata (and restic)
  --scale-runs N     runs per figure in the scale benchmark (default 1)
  --keep             keep the last run's repositories
  --restore-dir DIR  restore into DIR/strata-bench-restore (default: the work folder's
                     restore/), e.g. to time restores on another file system
  --keep-page-cache  do not drop the page cache before each restore (it is dropped
                     where the bench may: Linux, as root)
  --help`;

/** Parses "1G", "256M", "512K", "1.5G" or plain bytes (binary units). */
export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`bad size: ${text} (use e.g. 1G, 256M, 2M)`);
  const power = ' kmgt'.indexOf((m[2] || ' ').toLowerCase());
  const bytes = Math.round(Number(m[1]) * 1024 ** power);
  if (bytes < 64 * 1024) throw new Error(`size too small: ${text} (at least 64K)`);
  return bytes;
}

function positiveInt(flag: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive whole number`);
  return n;
}

function listOf<T extends string>(
  flag: string,
  text: string | undefined,
  allowed: readonly T[],
): T[] {
  const items = (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (items.length === 0 || bad.length > 0) {
    throw new Error(`${flag}: expected some of ${allowed.join(',')}, got ${text ?? 'nothing'}`);
  }
  return items as T[];
}

export class HelpRequested extends Error {}

/** Turns command-line arguments into options; throws with a readable message on bad input. */
export function parseBenchArgs(
  argv: readonly string[],
  log: (line: string) => void = console.log,
): BenchOptions {
  let sizeBytes = 1024 ** 3;
  let dir = join(tmpdir(), 'strata-bench');
  let runs = 3;
  let out: string | undefined;
  let tools: ToolName[] = [...TOOL_NAMES];
  let phases: Phase[] = [...PHASES];
  let scale: number | null = null;
  let scaleRuns = 1;
  let keep = false;
  let restoreDir: string | undefined;
  let dropCaches = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--size':
        sizeBytes = parseSize(value());
        break;
      case '--dir':
        dir = resolve(value());
        break;
      case '--runs':
        runs = positiveInt(flag, value());
        break;
      case '--out':
        out = resolve(value());
        break;
      case '--tools':
        tools = listOf(flag, value(), TOOL_NAMES);
        break;
      case '--phases':
        phases = listOf(flag, value(), PHASES);
        break;
      case '--scale': {
        const next = inline ?? argv[i + 1];
        if (next !== undefined && /^\d+$/.test(next)) {
          scale = positiveInt(flag, next);
          if (inline === undefined) i++;
        } else {
          scale = DEFAULT_SCALE_FILES;
        }
        break;
      }
      case '--scale-runs':
        scaleRuns = positiveInt(flag, value());
        break;
      case '--keep':
        keep = true;
        break;
      case '--restore-dir':
        restoreDir = resolve(value());
        break;
      case '--keep-page-cache':
        dropCaches = false;
        break;
      case '--help':
      case '-h':
        throw new HelpRequested(USAGE);
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return {
    sizeBytes,
    dir,
    runs,
    out: out ?? join(dir, scale === null ? 'bench-results.json' : 'bench-results-scale.json'),
    tools,
    phases,
    scale,
    scaleRuns,
    keep,
    restoreRoot: restoreDir ? join(restoreDir, 'strata-bench-restore') : join(dir, 'restore'),
    pageCache: !dropCaches ? 'kept' : canDropPageCache() ? 'drop' : 'cannot',
    log,
  };
}
