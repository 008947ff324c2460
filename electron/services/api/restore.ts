/**
 * restore.preview and restore.start. A restore into a folder with "overwrite" or "skip if newer"
 * is the engine's restore (always / if-newer). "Keep both", and any restore to the original
 * place, go through a staging folder beside the files (same file system, so placing is a
 * rename): the engine restores there, which keeps all of its safety (checked names, no symlink
 * followed, nothing written outside its target), and place.ts moves each file to its place by
 * the conflict policy. Restoring to the original place never touches folders that exist (the
 * engine would restore their times and modes, e.g. on /home).
 */
import { randomBytes } from 'node:crypto';
import { lstatSync } from 'node:fs';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type {
  ApiHandlers,
  RestoreAction,
  RestoreItem,
  RestoreRequest,
  RestoreSummary,
} from '../../../shared/contract';
import { StrataError } from '../../../shared/errors';
import { planRestore, type PlannedEntry } from '../../engine/restore/planner';
import { restore } from '../../engine/restore/restore';
import { restoreNotice } from '../notify/restore-notice';
import type { ApiContext } from './context';
import { toErrorData } from './errors';
import { placeStaged } from './place';
import { openJobDestination, snapshotIn, type Opened } from './repo';
import { actionFor, commonFolder, keepBothName, stamp } from './restore-names';

const MAX_ITEMS = 2000;

async function rootOf(req: RestoreRequest): Promise<string> {
  if (req.target.kind === 'original') return '/';
  const folder = resolve(req.target.path);
  // Resolved once, so "inside the target" is judged on real paths.
  return realpath(folder).catch(() => folder);
}

async function planOf(c: ApiContext, req: RestoreRequest) {
  const opened = await openJobDestination(c, req.jobId, req.destinationId);
  const snap = snapshotIn(opened, req.snapshotId);
  const root = await rootOf(req);
  const plan = await planRestore(opened.repo, snap.snapshot.tree, root, req.paths);
  if (req.paths.length > 0 && plan.selected === 0)
    throw new StrataError('NOT_FOUND', `nothing in this snapshot matches ${req.paths.join(', ')}`);
  const entries: PlannedEntry[] = [...plan.files, ...plan.hardlinks, ...plan.symlinks];
  return { opened, snap, root, plan, entries };
}

export function restoreHandlers(
  c: ApiContext,
): Pick<ApiHandlers, 'restore.preview' | 'restore.start'> {
  return {
    async 'restore.preview'(req) {
      const { snap, entries } = await planOf(c, req);
      const when = stamp(snap.snapshot.time, c.s.timeZone);
      const actions: Record<RestoreAction, number> = {
        create: 0,
        overwrite: 0,
        'keep-both': 0,
        skip: 0,
        same: 0,
      };
      const items: RestoreItem[] = [];
      let bytes = 0;
      for (const e of entries) {
        const existing = lstatSync(e.dest, { bigint: true, throwIfNoEntry: false });
        const action = await actionFor(req.conflict, e.dest, existing, e.node);
        actions[action]++;
        const size = e.node.size ?? 0;
        if (action !== 'skip' && action !== 'same') bytes += size;
        items.push({
          path: e.dest,
          action,
          size,
          ...(action === 'keep-both' ? { renamedTo: keepBothName(e.dest, when) } : {}),
        });
      }
      // Conflicts first: what the user must look at before saying yes.
      const rank = (a: RestoreAction) => ['overwrite', 'keep-both', 'skip'].indexOf(a) + 1 || 9;
      items.sort((x, y) => rank(x.action) - rank(y.action) || x.path.localeCompare(y.path));
      return {
        files: entries.length,
        bytes,
        actions,
        items: items.slice(0, MAX_ITEMS),
        truncated: items.length > MAX_ITEMS,
      };
    },
    async 'restore.start'(req) {
      const planned = await planOf(c, req);
      const restoreId = randomBytes(8).toString('hex');
      const work = runRestore(c, req, restoreId, planned)
        .catch((err: unknown): RestoreSummary => ({
          restoreId,
          outcome: 'failed',
          files: 0,
          bytes: 0,
          skipped: 0,
          keptBoth: [],
          problems: [],
          error: toErrorData(err),
        }))
        .then(async (summary) => {
          c.restores.delete(restoreId);
          c.emit({ type: 'restore-finished', summary });
          const name = c.s.core.jobs().find((j) => j.id === req.jobId)?.name ?? 'Strata';
          const where = req.target.kind === 'folder' ? req.target.path : 'their original place';
          await c.s.notifier
            .notify(restoreNotice(req.jobId, name, where, summary))
            .catch(() => undefined);
        });
      c.restores.set(restoreId, work);
      return { restoreId };
    },
  };
}

type Planned = Awaited<ReturnType<typeof planOf>>;
type Progress = { filesDone: number; bytesDone: number; bytesTotal: number };

async function runRestore(
  c: ApiContext,
  req: RestoreRequest,
  restoreId: string,
  p: Planned,
): Promise<RestoreSummary> {
  let last = 0;
  const onProgress = (x: Progress) => {
    const now = Date.now();
    if (now - last < 200) return;
    last = now;
    c.emit({ type: 'restore-progress', progress: { restoreId, ...x } });
  };
  const base = { restoreId, workers: c.s.workers, onProgress };
  if (req.target.kind === 'folder' && req.conflict !== 'keep-both') {
    await mkdir(p.root, { recursive: true });
    const r = await restore(p.opened.repo, p.snap, {
      target: p.root,
      includes: req.paths,
      overwrite: req.conflict === 'overwrite' ? 'always' : 'if-newer',
      workers: base.workers,
      onProgress,
    });
    return summary(restoreId, r.files, r.bytes, r.skipped, [], r.problems);
  }
  return staged(c, req, restoreId, p, base);
}

async function staged(
  c: ApiContext,
  req: RestoreRequest,
  restoreId: string,
  p: Planned,
  o: { workers?: number; onProgress: (x: Progress) => void },
): Promise<RestoreSummary> {
  const { opened, snap } = p;
  const within =
    req.target.kind === 'folder'
      ? p.root
      : nearestFolder(commonFolder(req.paths.length > 0 ? req.paths : snap.snapshot.paths));
  await mkdir(within, { recursive: true });
  const staging = join(within, `.strata-restore-${restoreId}`);
  try {
    const r = await restore(opened.repo, snap, {
      target: staging,
      includes: req.paths,
      overwrite: 'always',
      workers: o.workers,
      onProgress: o.onProgress,
    });
    const placed = await placeStaged({
      staging: await realpath(staging),
      plan: p.plan,
      root: p.root,
      policy: req.conflict,
      // Only a chosen folder bounds the writes; the original place is wherever the files were.
      confine: req.target.kind === 'folder',
      when: stamp(snap.snapshot.time, c.s.timeZone),
    });
    return summary(restoreId, placed.files, placed.bytes, placed.skipped, placed.keptBoth, [
      ...r.problems,
      ...placed.problems,
    ]);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function nearestFolder(path: string): string {
  let p = path;
  while (p !== '/' && !lstatSync(p, { throwIfNoEntry: false })?.isDirectory()) p = resolve(p, '..');
  return p;
}

function summary(
  restoreId: string,
  files: number,
  bytes: number,
  skipped: number,
  keptBoth: RestoreSummary['keptBoth'],
  problems: RestoreSummary['problems'],
): RestoreSummary {
  const outcome = problems.length > 0 ? 'warning' : 'ok';
  return { restoreId, outcome, files, bytes, skipped, keptBoth, problems };
}

export type { Opened };
