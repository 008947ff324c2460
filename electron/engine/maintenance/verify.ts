/**
 * A test restore: proves that a sample of a snapshot's files can really be restored.
 *
 * The sampled files (sample.ts) go through the real restore (restore/restore.ts, the code a
 * user's restore runs) into a fresh temporary folder; then each restored file is read back from
 * disk, cut with the repository's chunker and hashed with its id key (the workers' hash-files
 * task, as restore --verify does), and its size and blob ids must equal what the snapshot
 * recorded. Reading back every sampled file ourselves, rather than trusting restore's own
 * verification, also covers hardlinks, which restore creates without rewriting.
 *
 * The temporary folder is always removed: after success, after an error, and at once when the
 * signal aborts (synchronously, so a caller that exits right after leaves nothing behind).
 * The outcome is recorded in the local state folder (verify-record.ts) without file names.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StrataError, isStrataError } from '../../../shared/errors';
import type { Repository } from '../repository/repository';
import type { SnapshotRecord } from '../repository/snapshot';
import { restore } from '../restore/restore';
import { WorkerPool, defaultPoolSize } from '../workers/pool';
import { sampleFiles, type SampledFile } from './sample';
import { saveLastVerify, summarise, type VerifyReason } from './verify-record';

export interface VerifyOptions {
  /** How many files to prove. */
  readonly sample: number;
  /** The folder in which the temporary restore folder is made. */
  readonly scratch: string;
  /** The repository's local state folder: the outcome is recorded there. */
  readonly stateDir?: string;
  readonly workers?: number;
  readonly signal?: AbortSignal;
  readonly random?: () => number;
}

export interface VerifiedFile {
  readonly path: string;
  readonly size: number;
  readonly ok: boolean;
  readonly reason?: VerifyReason;
  readonly message?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly snapshot: string;
  readonly snapshotTime: string;
  readonly started: string;
  readonly finished: string;
  /** Regular files in the snapshot the sample was drawn from. */
  readonly candidates: number;
  readonly files: readonly VerifiedFile[];
  readonly filesProven: number;
  readonly bytesProven: number;
  /** The temporary folder restored into (removed by now). */
  readonly folder: string;
  readonly recordWarning?: string;
}

const removeNow = (dir: string) => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });

export async function verifyRestore(
  repo: Repository,
  snap: SnapshotRecord,
  options: VerifyOptions,
): Promise<VerifyResult> {
  if (!Number.isInteger(options.sample) || options.sample < 1)
    throw new StrataError('INVALID_ARGUMENT', 'the sample must be a whole number of files, >= 1');
  const started = new Date().toISOString();
  // Made first, outside what is recorded: a --target that cannot hold it says nothing about
  // the repository.
  let folder: string;
  try {
    folder = await mkdtemp(join(options.scratch, 'strata-verify-'));
  } catch (err) {
    throw new StrataError(
      'NOT_FOUND',
      `cannot make a temporary folder in ${options.scratch}: ${(err as Error).message}`,
    );
  }
  try {
    return await run(repo, snap, options, started, folder);
  } catch (err) {
    // A test restore that could not run proved nothing: that is recorded too (not an interrupt).
    if (options.stateDir && !isStrataError(err, 'INTERRUPTED')) {
      await saveLastVerify(options.stateDir, {
        ok: false,
        started,
        finished: new Date().toISOString(),
        snapshot: snap.id,
        snapshotTime: snap.snapshot.time,
        files: 0,
        filesProven: 0,
        bytesProven: 0,
        problems: 1,
        reasons: { error: 1 },
      }).catch(() => undefined);
    }
    throw err;
  }
}

async function run(
  repo: Repository,
  snap: SnapshotRecord,
  options: VerifyOptions,
  started: string,
  folder: string,
): Promise<VerifyResult> {
  const interrupted = () => new StrataError('INTERRUPTED', 'the test restore was interrupted');
  const onAbort = () => removeNow(folder);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let files: VerifiedFile[];
  let total: number;
  try {
    if (options.signal?.aborted) throw interrupted();
    if (repo.index.size === 0) await repo.loadIndex();
    const sample = await sampleFiles(repo, snap.snapshot.tree, options.sample, options.random);
    total = sample.total;
    const picked = sample.files;
    if (options.signal?.aborted) throw interrupted();
    files = picked.length === 0 ? [] : await restoreAndProve(repo, snap, picked, folder, options);
    if (options.signal?.aborted) throw interrupted();
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await rm(folder, { recursive: true, force: true, maxRetries: 3 });
  }
  const proven = files.filter((f) => f.ok);
  const result = {
    ok: proven.length === files.length,
    snapshot: snap.id,
    snapshotTime: snap.snapshot.time,
    started,
    finished: new Date().toISOString(),
    candidates: total,
    files,
    filesProven: proven.length,
    bytesProven: proven.reduce((n, f) => n + f.size, 0),
    folder,
  };
  if (!options.stateDir) return result;
  try {
    await saveLastVerify(options.stateDir, summarise(result));
    return result;
  } catch (err) {
    return { ...result, recordWarning: `the result could not be recorded: ${errMessage(err)}` };
  }
}

const errMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function restoreAndProve(
  repo: Repository,
  snap: SnapshotRecord,
  picked: readonly SampledFile[],
  folder: string,
  options: VerifyOptions,
): Promise<VerifiedFile[]> {
  const restored = await restore(repo, snap, {
    target: folder,
    includes: picked.map((f) => f.path),
    overwrite: 'always',
    workers: options.workers,
  });
  if (options.signal?.aborted) return [];
  const failed = new Map(restored.problems.map((p) => [p.path, p.message]));
  const size = options.workers ?? Math.min(defaultPoolSize(), picked.length);
  const pool = new WorkerPool(repo.key, repo.config.chunker, repo.index, { size });
  try {
    return await Promise.all(
      picked.map(async (f): Promise<VerifiedFile> => {
        const base = { path: f.path, size: f.node.size ?? 0 };
        const why = failed.get(f.path);
        if (why) {
          const reason = why.startsWith('damaged') ? 'damaged' : 'not-restored';
          return { ...base, ok: false, reason, message: why };
        }
        const [h] = await pool.run({ kind: 'hash-files', paths: [join(folder, f.path)] });
        if (!h?.ok)
          return { ...base, ok: false, reason: 'unreadable', message: h?.message ?? 'no result' };
        if (h.size !== base.size)
          return {
            ...base,
            ok: false,
            reason: 'differs',
            message: `restored ${h.size} bytes, the snapshot recorded ${base.size}`,
          };
        const want = f.node.content ?? [];
        const at = want.findIndex((id, i) => h.ids[i] !== id);
        if (at >= 0 || h.ids.length !== want.length)
          return {
            ...base,
            ok: false,
            reason: 'differs',
            message: `the restored content differs from the snapshot (chunk ${at >= 0 ? at : want.length})`,
          };
        return { ...base, ok: true };
      }),
    );
  } finally {
    await pool.close();
  }
}
