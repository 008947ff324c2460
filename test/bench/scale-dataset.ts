/**
 * The scale dataset: N tiny files of 0–64 bytes of text in folders of 1000 (default N = 1,000,000),
 * generated once into `<dir>/scale-<N>/data` and reused while its manifest says it is complete
 * and of the same version. It measures per-file overhead (scanning, metadata, index and tree
 * sizes), not data throughput.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom, textFor } from './content';

export const SCALE_VERSION = 1;
export const FILES_PER_FOLDER = 1000;
const MAX_FILE = 64;

export interface ScaleDataset {
  readonly root: string;
  readonly files: number;
  readonly bytes: number;
  readonly folders: number;
  readonly reused: boolean;
  readonly generateSeconds: number;
}

interface ScaleManifest {
  readonly tool: 'strata-bench';
  readonly kind: 'scale';
  readonly version: number;
  readonly files: number;
  readonly bytes: number;
  readonly complete: boolean;
}

function readManifest(path: string): ScaleManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as ScaleManifest;
    return m.tool === 'strata-bench' && m.kind === 'scale' ? m : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(path: string, manifest: ScaleManifest): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}

/** Returns the scale dataset of `files` files under `dir`, generating it when needed. */
export function ensureScaleDataset(
  dir: string,
  files: number,
  log: (line: string) => void,
): ScaleDataset {
  const base = join(dir, `scale-${files}`);
  const root = join(base, 'data');
  const manifestPath = join(base, 'dataset.json');
  const folders = Math.ceil(files / FILES_PER_FOLDER);
  const found = readManifest(manifestPath);
  if (
    found?.complete &&
    found.version === SCALE_VERSION &&
    found.files === files &&
    existsSync(root)
  ) {
    log(`scale dataset: reusing ${root} (${files} files)`);
    return { root, files, bytes: found.bytes, folders, reused: true, generateSeconds: 0 };
  }
  if (existsSync(root) && !found) {
    throw new Error(`${root} exists but has no benchmark manifest; choose another --dir`);
  }
  const started = performance.now();
  log(`scale dataset: generating ${files} files in ${folders} folders into ${root}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  writeManifest(manifestPath, {
    tool: 'strata-bench',
    kind: 'scale',
    version: SCALE_VERSION,
    files,
    bytes: 0,
    complete: false,
  });
  const next = seededRandom(SCALE_VERSION * 7919 + files);
  let bytes = 0;
  for (let f = 0; f < folders; f++) {
    const folder = join(root, `d${String(f).padStart(4, '0')}`);
    mkdirSync(folder, { recursive: true });
    const count = Math.min(FILES_PER_FOLDER, files - f * FILES_PER_FOLDER);
    // One stream of text per folder, cut into the folder's files.
    const text = textFor(`scale/${f}`, count * MAX_FILE);
    for (let i = 0; i < count; i++) {
      const length = Math.floor(next() * (MAX_FILE + 1));
      writeFileSync(
        join(folder, `f${String(i).padStart(3, '0')}.txt`),
        text.subarray(i * MAX_FILE, i * MAX_FILE + length),
      );
      bytes += length;
    }
    if (folders >= 10 && (f + 1) % Math.ceil(folders / 10) === 0) {
      log(`scale dataset: ${Math.round((100 * (f + 1)) / folders)}%`);
    }
  }
  writeManifest(manifestPath, {
    tool: 'strata-bench',
    kind: 'scale',
    version: SCALE_VERSION,
    files,
    bytes,
    complete: true,
  });
  const generateSeconds = (performance.now() - started) / 1000;
  log(`scale dataset: generated in ${generateSeconds.toFixed(1)} s`);
  return { root, files, bytes, folders, reused: false, generateSeconds };
}
