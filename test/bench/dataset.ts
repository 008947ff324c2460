/**
 * The benchmark's mixed dataset: planned from (version, size) alone, generated once into
 * `<dir>/data`, reused while `<dir>/dataset.json` records the same version, seed and size.
 *
 * At 1 GiB: ~20,000 small text files of 1–20 KiB in nested folders (~50 a folder), ~45 large
 * files whose 1 MiB blocks alternate random and compressible, 1% of the small files and 3 of the
 * large ones duplicated. Other sizes scale the counts proportionally (at least one of each).
 *
 * The "1% changed" phase mutates the dataset; `revertDataset` rewrites those files from their
 * plan and restores the fixed mtime every file carries, so each run and each tool sees the same
 * bytes and metadata. The manifest's `mutated` flag lets an interrupted run be repaired on the
 * next start. The harness only ever deletes `<dir>/data` when the manifest says it made it.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { BLOCK_SIZE, mixedBlock, randomBytesFor, seededRandom, textFor } from './content';

export const DATASET_VERSION = 1;
export const DATASET_SEED = 20261121;
/** Every generated file gets this mtime, so metadata is as reproducible as content. */
export const FIXED_MTIME = new Date('2024-01-01T00:00:00Z');
const GIB = 1024 ** 3;

export interface FileSpec {
  /** Relative to the data folder, '/'-separated. */
  readonly path: string;
  readonly kind: 'text' | 'mixed';
  readonly size: number;
  /** Duplicates share the content id (and size) of their original. */
  readonly contentId: string;
  /** For mixed files: whether block 0 is random (0) or text (1). */
  readonly phase: number;
}

export interface DatasetPlan {
  readonly sizeBytes: number;
  readonly files: readonly FileSpec[];
  readonly totalBytes: number;
  readonly smallFiles: number;
  readonly largeFiles: number;
  readonly duplicateFiles: number;
  /** The "~1% changed" mutation: these small files are edited, `appendTo` grows. */
  readonly mutation: {
    readonly editFiles: readonly FileSpec[];
    readonly appendTo: FileSpec;
    readonly appendBytes: number;
  };
}

export interface Dataset {
  /** The folder that is backed up. */
  readonly root: string;
  readonly manifestPath: string;
  readonly plan: DatasetPlan;
  /** True when an existing dataset was reused. */
  readonly reused: boolean;
  readonly generateSeconds: number;
}

interface Manifest {
  readonly tool: 'strata-bench';
  readonly kind: 'mixed';
  readonly version: number;
  readonly seed: number;
  readonly sizeBytes: number;
  readonly files: number;
  readonly totalBytes: number;
  readonly complete: boolean;
  readonly mutated: boolean;
}

const EXTENSIONS = ['txt', 'md', 'log', 'csv', 'json', 'ts', 'html'];

/** The whole dataset as a pure function of its size. */
export function planDataset(sizeBytes: number): DatasetPlan {
  const next = seededRandom(DATASET_SEED);
  const scale = sizeBytes / GIB;
  const smallCount = Math.max(1, Math.round(20_000 * scale));
  const largeCount = Math.max(1, Math.round(45 * scale));
  const files: FileSpec[] = [];
  const small: FileSpec[] = [];
  let duplicateFiles = 0;

  for (let i = 0; i < smallCount; i++) {
    const folder = `tree/p${Math.floor(i / 10_000)}/q${Math.floor(i / 1000) % 10}/r${Math.floor(i / 50) % 20}`;
    const ext = EXTENSIONS[Math.floor(next() * EXTENSIONS.length)]!;
    const path = `${folder}/file-${String(i).padStart(5, '0')}.${ext}`;
    const original = i % 100 === 50 ? small[Math.floor(next() * i)] : undefined;
    const size = 1024 + Math.floor(next() * 19 * 1024);
    const spec: FileSpec = original
      ? { ...original, path }
      : { path, kind: 'text', size, contentId: `small${i}`, phase: 0 };
    if (original) duplicateFiles++;
    small.push(spec);
    files.push(spec);
  }

  const smallBytes = small.reduce((sum, f) => sum + f.size, 0);
  const largeBudget = Math.max(BLOCK_SIZE, sizeBytes - smallBytes);
  const base = largeBudget / largeCount;
  const large: FileSpec[] = [];
  for (let i = 0; i < largeCount; i++) {
    const path = `large/blob-${String(i).padStart(2, '0')}.bin`;
    const size = Math.max(4096, Math.round((base * (0.75 + 0.5 * next())) / 4096) * 4096);
    const original = i % 15 === 14 ? large[i - 7] : undefined;
    const spec: FileSpec = original
      ? { ...original, path }
      : { path, kind: 'mixed', size, contentId: `large${i}`, phase: i % 2 };
    if (original) duplicateFiles++;
    large.push(spec);
    files.push(spec);
  }

  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  let editFiles = small.filter((f, i) => i % 100 === 37 && f.contentId === `small${i}`);
  if (editFiles.length === 0) editFiles = small.slice(0, 1);
  return {
    sizeBytes,
    files,
    totalBytes,
    smallFiles: small.length,
    largeFiles: large.length,
    duplicateFiles,
    mutation: {
      editFiles,
      appendTo: large[0]!,
      appendBytes: Math.min(BLOCK_SIZE, Math.max(4096, Math.round(totalBytes / 1024))),
    },
  };
}

/** Writes one file of the plan (whole, from scratch) and gives it the fixed mtime. */
function writeSpec(root: string, spec: FileSpec): void {
  const file = join(root, spec.path);
  if (spec.kind === 'text') {
    writeFileSync(file, textFor(spec.contentId, spec.size));
  } else {
    const fd = openSync(file, 'w');
    try {
      for (let b = 0, offset = 0; offset < spec.size; b++, offset += BLOCK_SIZE) {
        const length = Math.min(BLOCK_SIZE, spec.size - offset);
        writeSync(fd, mixedBlock(spec.contentId, spec.phase, b, length));
      }
    } finally {
      closeSync(fd);
    }
  }
  utimesSync(file, FIXED_MTIME, FIXED_MTIME);
}

function readManifest(path: string): Manifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    return m.tool === 'strata-bench' ? m : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(path: string, manifest: Manifest): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

function manifestFor(plan: DatasetPlan, complete: boolean, mutated: boolean): Manifest {
  return {
    tool: 'strata-bench',
    kind: 'mixed',
    version: DATASET_VERSION,
    seed: DATASET_SEED,
    sizeBytes: plan.sizeBytes,
    files: plan.files.length,
    totalBytes: plan.totalBytes,
    complete,
    mutated,
  };
}

/** Returns the dataset in `dir`, generating it unless an identical one is already there. */
export function ensureDataset(
  dir: string,
  sizeBytes: number,
  log: (line: string) => void,
): Dataset {
  const root = join(dir, 'data');
  const manifestPath = join(dir, 'dataset.json');
  const plan = planDataset(sizeBytes);
  const found = readManifest(manifestPath);
  const wanted = manifestFor(plan, true, false);
  if (
    found?.complete &&
    found.version === wanted.version &&
    found.seed === wanted.seed &&
    found.sizeBytes === wanted.sizeBytes &&
    existsSync(root)
  ) {
    const dataset = { root, manifestPath, plan, reused: true, generateSeconds: 0 };
    if (found.mutated) {
      log('dataset: undoing the mutation an interrupted run left behind');
      revertDataset(dataset);
    }
    log(`dataset: reusing ${root} (${plan.files.length} files, ${plan.totalBytes} bytes)`);
    return dataset;
  }
  if (existsSync(root) && !found) {
    throw new Error(
      `${root} exists but has no benchmark manifest (${manifestPath}); ` +
        'refusing to delete it: choose another --dir',
    );
  }
  const started = performance.now();
  log(`dataset: generating ${plan.files.length} files, ${plan.totalBytes} bytes into ${root}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeManifest(manifestPath, manifestFor(plan, false, false));
  for (const folder of new Set(plan.files.map((f) => dirname(f.path)))) {
    mkdirSync(join(root, folder), { recursive: true });
  }
  let written = 0;
  let nextReport = plan.totalBytes / 10;
  for (const spec of plan.files) {
    writeSpec(root, spec);
    written += spec.size;
    if (written >= nextReport) {
      log(`dataset: ${Math.round((100 * written) / plan.totalBytes)}%`);
      nextReport += plan.totalBytes / 10;
    }
  }
  writeManifest(manifestPath, wanted);
  const generateSeconds = (performance.now() - started) / 1000;
  log(`dataset: generated in ${generateSeconds.toFixed(1)} s`);
  return { root, manifestPath, plan, reused: false, generateSeconds };
}

/** Edits ~1% of the small files and appends to one large file (recorded in the manifest first). */
export function mutateDataset(dataset: Dataset): void {
  const { plan, root } = dataset;
  writeManifest(dataset.manifestPath, manifestFor(plan, true, true));
  for (const spec of plan.mutation.editFiles) {
    const content = textFor(spec.contentId, spec.size);
    const length = Math.min(512, Math.floor(spec.size / 4));
    const at = Math.floor(spec.size / 2);
    textFor(`edit:${spec.contentId}`, length).copy(content, at);
    writeFileSync(
      join(root, spec.path),
      Buffer.concat([content, Buffer.from('\nedited by the benchmark\n')]),
    );
  }
  const { appendTo, appendBytes } = plan.mutation;
  const fd = openSync(join(root, appendTo.path), 'a');
  try {
    writeSync(fd, randomBytesFor(`append:${appendTo.contentId}`, appendBytes));
  } finally {
    closeSync(fd);
  }
}

/** Puts the mutated files back exactly as generated (content and mtime). */
export function revertDataset(dataset: Dataset): void {
  const { plan, root } = dataset;
  for (const spec of plan.mutation.editFiles) writeSpec(root, spec);
  const { appendTo } = plan.mutation;
  const file = join(root, appendTo.path);
  truncateSync(file, appendTo.size);
  utimesSync(file, FIXED_MTIME, FIXED_MTIME);
  writeManifest(dataset.manifestPath, manifestFor(plan, true, false));
}

/** How many files the mutation touches. */
export function mutatedFileCount(plan: DatasetPlan): number {
  return plan.mutation.editFiles.length + 1;
}
