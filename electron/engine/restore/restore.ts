/**
 * Restores a snapshot (or the parts an include selects) into a target folder.
 *
 * Order: folders, file contents pack by pack (restore/content.ts), hardlinks, symlinks, then
 * folder metadata deepest first, so writing into a folder does not undo its restored times.
 * Nothing is written outside the target: names are checked (sanitize.ts), every folder on the
 * way is checked to be a real folder and not a symlink, and files are created with O_EXCL and
 * O_NOFOLLOW, so neither a hostile snapshot nor a symlink already in the target can redirect a
 * write. A damaged blob damages only the files that use it; everything else is restored.
 */
import { constants } from 'node:fs';
import { link, lstat, mkdir, open, realpath, rm, symlink, unlink } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import { makeChunker } from '../chunker/fastcdc';
import type { Repository } from '../repository/repository';
import type { SnapshotRecord } from '../repository/snapshot';
import { writeContents } from './content';
import { applyMetadata } from './metadata';
import { contentIds, shouldReplace, type OverwritePolicy } from './overwrite';
import { planRestore, type PlannedEntry } from './planner';

export interface RestoreOptions {
  readonly target: string;
  readonly includes?: readonly string[];
  readonly overwrite?: OverwritePolicy;
  readonly verify?: boolean;
  readonly onProgress?: (p: { filesDone: number; bytesDone: number; bytesTotal: number }) => void;
}

export interface RestoreProblem {
  readonly path: string;
  readonly message: string;
}

export interface RestoreResult {
  readonly files: number;
  readonly dirs: number;
  readonly links: number;
  readonly bytes: number;
  readonly skipped: number;
  readonly verified: number;
  /** Entries not restored, or restored damaged: the restore is incomplete when any exist. */
  readonly problems: readonly RestoreProblem[];
}

const CREATE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

export async function restore(
  repo: Repository,
  snap: SnapshotRecord,
  options: RestoreOptions,
): Promise<RestoreResult> {
  const policy = options.overwrite ?? 'always';
  await mkdir(options.target, { recursive: true });
  const target = await realpath(options.target);
  if (repo.index.size === 0) await repo.loadIndex();
  const plan = await planRestore(repo, snap.snapshot.tree, target, options.includes ?? []);
  // The folders on the way to an include are planned whatever it matches: count the selected.
  if ((options.includes ?? []).length > 0 && plan.selected === 0) {
    throw new StrataError(
      'NOT_FOUND',
      `nothing in snapshot ${snap.id.slice(0, 8)} matches ${options.includes!.join(', ')}`,
    );
  }
  const problems: RestoreProblem[] = [...plan.problems];
  const chunker = makeChunker(repo.key.chunker, repo.config.chunker);
  const blocked = new Set<string>();
  const isBlocked = (p: string) => [...blocked].some((b) => p.startsWith(b + '/'));
  let skipped = 0;

  // 1. Folders: real folders only; whatever else sits in a folder's place is replaced (or, with
  //    "never", the folder and everything below it is skipped).
  const dirs: PlannedEntry[] = [];
  for (const d of plan.dirs) {
    if (isBlocked(d.path)) continue;
    const st = await lstat(d.dest).catch(() => undefined);
    if (st && !st.isDirectory()) {
      if (policy === 'never') {
        blocked.add(d.path);
        problems.push({
          path: d.path,
          message: 'not restored: something else is in its place (overwrite: never)',
        });
        continue;
      }
      await unlink(d.dest);
    }
    if (!st?.isDirectory()) await mkdir(d.dest, { mode: 0o700 });
    dirs.push(d);
  }

  // 2. Files: decide per policy, then create them empty at their final size.
  const toWrite: PlannedEntry[] = [];
  const kept: PlannedEntry[] = [];
  const keptPaths = new Map<string, string>();
  for (const f of plan.files) {
    if (isBlocked(f.path)) continue;
    const st = await lstat(f.dest).catch(() => undefined);
    if (st) {
      if (st.isDirectory()) {
        problems.push({ path: f.path, message: 'not restored: a folder is in its place' });
        continue;
      }
      if (!(await shouldReplace(policy, f.dest, st, f.node, repo.key, chunker))) {
        skipped++;
        // Same content: its metadata is refreshed, unless it is a hardlink (its other names
        // may lie outside the target, and they would change too).
        if (policy === 'if-changed' && st.isFile()) {
          keptPaths.set(f.path, f.dest);
          if (st.nlink === 1) kept.push(f);
        }
        continue;
      }
      await unlink(f.dest);
    }
    const fh = await open(f.dest, CREATE_FLAGS, 0o600);
    await fh.truncate(f.node.size ?? 0);
    await fh.close();
    toWrite.push(f);
  }

  // 3. Contents, pack by pack; metadata as each file completes.
  let filesDone = 0;
  let bytesDone = 0;
  const bytesTotal = toWrite.reduce((n, f) => n + (f.node.size ?? 0), 0);
  const { damaged } = await writeContents(
    repo,
    toWrite.map((f) => ({ dest: f.dest, path: f.path, content: f.node.content ?? [] })),
    async (i) => {
      filesDone++;
      options.onProgress?.({ filesDone, bytesDone, bytesTotal });
      await applyMetadata(toWrite[i]!.dest, toWrite[i]!.node);
    },
    (n) => {
      bytesDone += n;
    },
  );
  for (const [i, message] of damaged)
    problems.push({ path: toWrite[i]!.path, message: `damaged: ${message}` });
  for (const f of kept) await applyMetadata(f.dest, f.node);

  // 4. Hardlinks to the first file of their group, 5. symlinks, stored as they were.
  const restoredByPath = new Map([
    ...keptPaths,
    ...toWrite.map((f): [string, string] => [f.path, f.dest]),
  ]);
  let links = 0;
  for (const h of plan.hardlinks) {
    const primary = restoredByPath.get(h.primary);
    if (isBlocked(h.path) || !primary) {
      if (!isBlocked(h.path))
        problems.push({
          path: h.path,
          message: 'hardlink not restored: its first file was not restored',
        });
      continue;
    }
    if (!(await makeRoom(h.dest, policy))) {
      skipped++;
      continue;
    }
    await link(primary, h.dest);
    links++;
  }
  for (const s of plan.symlinks) {
    if (isBlocked(s.path)) continue;
    if (!(await makeRoom(s.dest, policy))) {
      skipped++;
      continue;
    }
    await symlink(s.node.target ?? '', s.dest);
    await applyMetadata(s.dest, s.node);
    links++;
  }
  for (const s of plan.special) {
    problems.push({
      path: s.path,
      message: `not restored: ${s.node.type} entries are recorded but not recreated`,
    });
  }

  // 6. Folder metadata, deepest first.
  for (const d of [...dirs].reverse()) await applyMetadata(d.dest, d.node);

  // 7. Optionally prove what was written: re-read and compare with the stored content ids.
  let verified = 0;
  if (options.verify) {
    for (const [i, f] of toWrite.entries()) {
      if (damaged.has(i)) continue;
      const { ids, size } = await contentIds(repo.key, chunker, f.dest);
      if (size !== f.node.size || ids.join() !== (f.node.content ?? []).join()) {
        problems.push({
          path: f.path,
          message: 'verification failed: the restored file differs from the snapshot',
        });
      } else verified++;
    }
  }
  return {
    files: toWrite.length,
    dirs: dirs.length,
    links,
    bytes: bytesDone,
    skipped,
    verified,
    problems,
  };
}

/** Clears the place for a link unless the policy keeps what is there; false when kept. */
async function makeRoom(dest: string, policy: OverwritePolicy): Promise<boolean> {
  const st = await lstat(dest).catch(() => undefined);
  if (!st) return true;
  if (policy === 'never' || st.isDirectory()) return false;
  await rm(dest, { force: true });
  return true;
}
