/**
 * Names and places for restores: "keep both" names ("report (restored 2026-11-21 14-03).txt",
 * the snapshot's date in the user's zone, so the copies say which version they are), the
 * staging folder a restore to the original place uses, and what a preview says per file.
 */
import type { BigIntStats } from 'node:fs';
import { lstatSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { ConflictPolicy, RestoreAction } from '../../../shared/contract';
import { MTIME_SLACK_NS, shouldReplace } from '../../engine/restore/overwrite';
import type { RestoreNode } from '../../engine/repository/tree';

/** "2026-11-21 14-03" in `timeZone`: no colons, which some file systems refuse. */
export function stamp(iso: string, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}-${parts.minute}`;
}

/** A free name next to `dest` for the restored copy: "name (restored DATE).ext", then " 2"... */
export function keepBothName(dest: string, when: string): string {
  const ext = extname(dest);
  const base = basename(dest, ext);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : ` ${n}`;
    const candidate = join(dirname(dest), `${base} (restored ${when}${suffix})${ext}`);
    if (!lstatSync(candidate, { throwIfNoEntry: false })) return candidate;
  }
}

/** The same file as far as a preview can tell without reading: same size and time. */
export function looksSame(existing: BigIntStats, node: RestoreNode): boolean {
  if (!existing.isFile() || node.type !== 'file') return false;
  if (existing.size !== BigInt(node.size ?? 0)) return false;
  const diff = existing.mtimeNs - BigInt(node.mtime);
  return diff <= MTIME_SLACK_NS && diff >= -MTIME_SLACK_NS;
}

/** What a restore would do at `dest`, judged from the file there (if any). */
export async function actionFor(
  policy: ConflictPolicy,
  dest: string,
  existing: BigIntStats | undefined,
  node: RestoreNode,
): Promise<RestoreAction> {
  if (!existing) return 'create';
  switch (policy) {
    case 'overwrite':
      return 'overwrite';
    case 'skip-if-newer':
      // The engine's if-newer: replaced only when the snapshot's copy is newer.
      return (await shouldReplace('if-newer', dest, existing, node, async () => undefined))
        ? 'overwrite'
        : 'skip';
    case 'keep-both':
      return looksSame(existing, node) ? 'same' : 'keep-both';
  }
}

/** The deepest folder holding every path: where a restore to the original place stages. */
export function commonFolder(paths: readonly string[]): string {
  const split = paths.map((p) => dirname(p).split('/').filter(Boolean));
  const first = split[0] ?? [];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return '/' + first.slice(0, n).join('/');
}
