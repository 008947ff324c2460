/**
 * Moves a staged restore into place by the conflict policy. The staging folder holds what the
 * engine restored (checked names, contents verified as written), at the snapshot's paths; each
 * file, hardlink and symlink is renamed to its place (same file system: atomic, and a rename
 * never follows a symlink at the destination). "Keep both" leaves the existing file untouched
 * and puts the restored one beside it with the date in its name, unless both are the same bytes.
 * For a chosen folder every destination's real parent must be inside it, so a symlink placed in
 * that folder meanwhile cannot send a file elsewhere.
 */
import { createReadStream, lstatSync, realpathSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { ConflictPolicy } from '../../../shared/contract';
import type { PlannedEntry, RestorePlan } from '../../engine/restore/planner';
import { actionFor, keepBothName } from './restore-names';

export interface PlaceOptions {
  readonly staging: string;
  readonly plan: RestorePlan;
  readonly root: string;
  readonly policy: ConflictPolicy;
  readonly confine: boolean;
  /** The snapshot's date as it goes in "keep both" names. */
  readonly when: string;
}

export interface Placed {
  files: number;
  bytes: number;
  skipped: number;
  readonly keptBoth: { path: string; restoredAs: string }[];
  readonly problems: { path: string; message: string }[];
}

/** True when two files hold the same bytes (sizes checked first). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const sa = lstatSync(a);
  const sb = lstatSync(b);
  if (!sa.isFile() || !sb.isFile() || sa.size !== sb.size) return false;
  const ra = createReadStream(a, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  const rb = createReadStream(b, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  let bufA: Buffer = Buffer.alloc(0);
  let bufB: Buffer = Buffer.alloc(0);
  for (;;) {
    if (bufA.length === 0)
      bufA = ((await ra.next()).value as Buffer | undefined) ?? Buffer.alloc(0);
    if (bufB.length === 0)
      bufB = ((await rb.next()).value as Buffer | undefined) ?? Buffer.alloc(0);
    if (bufA.length === 0 || bufB.length === 0) return bufA.length === bufB.length;
    const n = Math.min(bufA.length, bufB.length);
    if (!bufA.subarray(0, n).equals(bufB.subarray(0, n))) return false;
    bufA = bufA.subarray(n);
    bufB = bufB.subarray(n);
  }
}

function insideRoot(root: string, dest: string): boolean {
  const parent = realpathSync(dirname(dest));
  return parent === root || parent.startsWith(root.endsWith(sep) ? root : root + sep);
}

export async function placeStaged(o: PlaceOptions): Promise<Placed> {
  const out: Placed = { files: 0, bytes: 0, skipped: 0, keptBoth: [], problems: [] };
  const problem = (path: string, message: string) => out.problems.push({ path, message });

  // Folders first, only those missing: existing folders keep their own times and modes.
  for (const d of o.plan.dirs) {
    const there = lstatSync(d.dest, { throwIfNoEntry: false });
    if (there?.isDirectory()) continue;
    if (there) problem(d.dest, 'not restored: something that is not a folder is in its place');
    else
      await mkdir(d.dest, { mode: d.node.mode & 0o7777 }).catch((e: Error) =>
        problem(d.dest, e.message),
      );
  }

  const entries: PlannedEntry[] = [...o.plan.files, ...o.plan.hardlinks, ...o.plan.symlinks];
  for (const e of entries) {
    const staged = join(o.staging, e.path);
    if (!lstatSync(staged, { throwIfNoEntry: false })) continue; // the engine reported it
    try {
      if (o.confine && !insideRoot(o.root, e.dest)) {
        problem(e.dest, 'not restored: its folder leads outside the folder you chose');
        continue;
      }
      const existing = lstatSync(e.dest, { bigint: true, throwIfNoEntry: false });
      if (existing?.isDirectory()) {
        problem(e.dest, 'not restored: a folder is in its place');
        continue;
      }
      const action = await actionFor(o.policy, e.dest, existing, e.node);
      if (action === 'skip') {
        out.skipped++;
        continue;
      }
      if (action === 'keep-both' || action === 'same') {
        if (existing && (await sameBytes(e.dest, staged))) {
          out.skipped++;
          continue;
        }
        const restoredAs = keepBothName(e.dest, o.when);
        await rename(staged, restoredAs);
        out.keptBoth.push({ path: e.dest, restoredAs });
      } else {
        await rename(staged, e.dest);
      }
      out.files++;
      out.bytes += e.node.type === 'file' ? (e.node.size ?? 0) : 0;
    } catch (err) {
      problem(e.dest, (err as Error).message);
    }
  }
  return out;
}
