/**
 * `npm run bench:catalog`: the catalog at scale, against the targets of issue 5.
 *
 * Synthesizes a history (100 snapshots of 100,000 files, ~1% changed per snapshot, a folder of
 * 10,000 entries by default) straight into a catalog file, then times: opening the big folder
 * in a middle snapshot (target 100 ms), the distinct versions of a file (100 ms) and a name
 * search across every snapshot (1 s). Each figure is the median of --runs runs after one
 * warm-up, with the cold first run reported too. Prints the catalog size and row counts, and
 * how many rows one row per (snapshot, file) would have needed. A benchmark, not a test: it
 * asserts nothing.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Catalog, type CatalogStats } from '../../electron/services/catalog';
import { SyntheticHistory, type HistoryShape } from './catalog-history';

export interface CatalogBenchOptions extends HistoryShape {
  readonly dir: string;
  readonly runs: number;
  readonly log: (line: string) => void;
}

export interface Timing {
  readonly name: string;
  readonly targetMs: number;
  readonly coldMs: number;
  readonly medianMs: number;
  readonly detail: string;
}

export interface CatalogBenchResults {
  readonly shape: HistoryShape;
  readonly indexSeconds: number;
  readonly timings: readonly Timing[];
  readonly fileBytes: number;
  readonly rows: CatalogStats;
  /** Rows a table with one row per (snapshot, entry) would hold. */
  readonly naiveRows: number;
  /** The 1-minute load average when the timings ended: shared machines slow every figure. */
  readonly load: number;
}

export const CATALOG_USAGE = `Usage: npm run bench:catalog -- [options]

  --files N       files per snapshot (default 100000)
  --snapshots N   snapshots (default 100)
  --big N         entries of the one big folder (default 10000)
  --change R      share of files changed per snapshot (default 0.01)
  --runs N        timed runs per figure, the median is reported (default 5)
  --dir DIR       work folder (default $TMPDIR/strata-bench); the catalog is made afresh
  --help`;

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function measure<T>(
  name: string,
  targetMs: number,
  runs: number,
  fn: () => T,
  describe: (v: T) => string,
): Timing {
  const cold = time(fn);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push(time(fn).ms);
  ms.sort((a, b) => a - b);
  return {
    name,
    targetMs,
    coldMs: cold.ms,
    medianMs: ms[Math.floor(ms.length / 2)]!,
    detail: describe(cold.value),
  };
}

/** Builds the catalog, times the queries, prints and returns the figures. */
export async function runCatalogBench(o: CatalogBenchOptions): Promise<CatalogBenchResults> {
  mkdirSync(o.dir, { recursive: true });
  const file = join(o.dir, 'catalog-bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const catalog = Catalog.open(file);
  const dest = 'bench';
  const history = new SyntheticHistory(o);
  const t0 = Date.now();
  const ids: string[] = [];
  for (let i = 0; i < o.snapshots; i++) {
    const record = history.nextSnapshot();
    await catalog.indexSnapshot(dest, record, history);
    ids.push(record.id);
    if ((i + 1) % 10 === 0 || i + 1 === o.snapshots) {
      o.log(
        `indexed ${i + 1}/${o.snapshots} snapshots (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
      );
    }
  }
  const indexSeconds = (Date.now() - t0) / 1000;
  const middle = ids[Math.floor(ids.length / 2)]!;
  const changed = history.mostChanged();
  const needle = SyntheticHistory.fileName(Math.floor(o.files / 2));

  const timings = [
    measure(
      `open ${SyntheticHistory.bigPath} (${o.bigFolder} entries) in a middle snapshot`,
      100,
      o.runs,
      () => catalog.listFolder(dest, middle, SyntheticHistory.bigPath),
      (v) => `${v.length} entries`,
    ),
    measure(
      'distinct versions of a file across all snapshots',
      100,
      o.runs,
      () => catalog.fileVersions(dest, changed.path),
      (v) => `${v.length} versions of ${changed.path}`,
    ),
    measure(
      `name search "${needle}" across all snapshots`,
      1000,
      o.runs,
      () => catalog.search(null, needle, 100),
      (v) => `${v.length} hit(s), in ${v[0]?.snapshots.length ?? 0} snapshots`,
    ),
    measure(
      'name search "*0000.dat" (glob, first 100 hits)',
      1000,
      o.runs,
      () => catalog.search(null, '*0000.dat', 100),
      (v) => `${v.length} hits`,
    ),
  ];
  const rows = catalog.stats();
  catalog.close();
  const fileBytes = statSync(file).size;
  const results: CatalogBenchResults = {
    shape: {
      files: o.files,
      snapshots: o.snapshots,
      bigFolder: o.bigFolder,
      changeRate: o.changeRate,
    },
    indexSeconds,
    timings,
    fileBytes,
    rows,
    naiveRows: o.files * o.snapshots,
    load: loadavg()[0] ?? 0,
  };
  for (const line of reportCatalog(results)) o.log(line);
  writeFileSync(join(o.dir, 'bench-results-catalog.json'), JSON.stringify(results, null, 2) + '\n');
  return results;
}

export function reportCatalog(r: CatalogBenchResults): string[] {
  const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  return [
    `catalog: ${r.shape.snapshots} snapshots x ${r.shape.files} files, ` +
      `${(r.shape.changeRate * 100).toFixed(1)}% changed per snapshot, indexed in ` +
      `${r.indexSeconds.toFixed(1)} s (load average ${r.load.toFixed(1)})`,
    ...r.timings.map(
      (t) =>
        `  ${t.name}: median ${t.medianMs.toFixed(1)} ms (cold ${t.coldMs.toFixed(1)} ms), ` +
        `target ${t.targetMs} ms ${t.medianMs <= t.targetMs ? 'met' : 'MISSED'}; ${t.detail}`,
    ),
    `  file ${mib(r.fileBytes)}; rows: ${Object.entries(r.rows)
      .filter(([k]) => k !== 'bytes')
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  versions ${r.rows.versions} vs ${r.naiveRows} for one row per snapshot and file ` +
      `(${((100 * r.rows.versions) / r.naiveRows).toFixed(2)}%)`,
  ];
}

function positive(flag: string, text: string | undefined, integer = true): number {
  const n = Number(text);
  if (!(n > 0) || (integer && !Number.isInteger(n)))
    throw new Error(`${flag} needs a positive number`);
  return n;
}

export function parseCatalogArgs(argv: readonly string[], log = console.log): CatalogBenchOptions {
  let files = 100_000;
  let snapshots = 100;
  let bigFolder = 10_000;
  let changeRate = 0.01;
  let runs = 5;
  let dir = join(tmpdir(), 'strata-bench');
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string | undefined => argv[++i];
    switch (flag) {
      case '--files':
        files = positive(flag, value());
        break;
      case '--snapshots':
        snapshots = positive(flag, value());
        break;
      case '--big':
        bigFolder = positive(flag, value());
        break;
      case '--change':
        changeRate = positive(flag, value(), false);
        break;
      case '--runs':
        runs = positive(flag, value());
        break;
      case '--dir':
        dir = resolve(value() ?? '.');
        break;
      case '--help':
      case '-h':
        throw new Error(CATALOG_USAGE);
      default:
        throw new Error(`unknown option ${flag}\n\n${CATALOG_USAGE}`);
    }
  }
  if (bigFolder > files) throw new Error('--big cannot be more than --files');
  return { files, snapshots, bigFolder, changeRate, runs, dir, log };
}

if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  let options: CatalogBenchOptions | undefined;
  try {
    options = parseCatalogArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 2;
  }
  if (options) {
    runCatalogBench(options).catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}
