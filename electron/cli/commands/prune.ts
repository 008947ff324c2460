import { StrataError } from '../../../shared/errors';
import { prune as runPrune, type PruneResult } from '../../engine/maintenance/prune';
import type { Repository } from '../../engine/repository/repository';
import { emitJson, flag, openRepo, parse, say, str, type Options, type Parsed } from '../context';
import { formatBytes, formatTime } from '../format';
import { clearLine, drawLine } from '../progress-line';
import type { Command } from './command';

/** Options shared with `forget --prune`. */
export const PRUNE_OPTIONS: Options = {
  'max-unused': { type: 'string' },
  delay: { type: 'string' },
  'dry-run': { type: 'boolean', short: 'n' },
};

/** "5%" or "0.05" -> 0.05. */
export function parseMaxUnused(text: string | undefined): number {
  if (text === undefined) return 0.05;
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  const v = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(v >= 0 && v <= 1)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--max-unused must be a share such as 5% or 0.05 (got ${text})`,
    );
  }
  return v;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d" or "0" -> milliseconds. */
export function parseDelay(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(text.trim());
  if (!m || (m[2] === '' && Number(m[1]) !== 0)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--delay must be a duration such as 30m, 1h or 2d, or 0 (got ${text})`,
    );
  }
  return Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
}

/** Runs a prune with the options parsed from `p` and prints its report. */
export async function pruneAndReport(p: Parsed, repo: Repository): Promise<PruneResult> {
  const tty = process.stderr.isTTY && !flag(p, 'quiet') && !flag(p, 'json');
  const result = await runPrune(repo, {
    maxUnused: parseMaxUnused(str(p, 'max-unused')),
    delayMs: parseDelay(str(p, 'delay')),
    dryRun: flag(p, 'dry-run'),
    onProgress: tty
      ? (pr) => drawLine(`prune: ${pr.phase} ${pr.total > 0 ? `${pr.done}/${pr.total}` : ''}`)
      : undefined,
  });
  if (tty) clearLine();
  if (flag(p, 'json')) emitJson({ message_type: 'prune', ...result });
  else report(p, result);
  return result;
}

function report(p: Parsed, r: PruneResult): void {
  const would = r.dryRun ? 'would be ' : '';
  const n = (c: { packs: number; bytes: number }) => `${c.packs} pack(s), ${formatBytes(c.bytes)}`;
  say(
    p,
    `${r.snapshots} snapshot(s), ${r.packs} pack(s), ${formatBytes(r.repositoryBytes)} stored, ${formatBytes(r.usedBytes)} used`,
  );
  if (r.resurrected.packs > 0) say(p, `in use again, ${would}unmarked: ${n(r.resurrected)}`);
  if (r.repacked.packs > 0)
    say(
      p,
      `${would}repacked: ${n(r.repacked)} (${r.repacked.blobs} blob(s), ${formatBytes(r.repacked.copiedBytes)} copied)`,
    );
  if (r.marked.packs > 0) say(p, `${would}marked for deletion by a later prune: ${n(r.marked)}`);
  if (r.deleted.packs > 0) say(p, `${r.dryRun ? 'would delete' : 'deleted'}: ${n(r.deleted)}`);
  if (r.waiting.packs > 0) {
    say(p, `marked, kept for now: ${n(r.waiting)}`);
    for (const why of r.waiting.reasons) say(p, `  ${why}`);
  }
  if (r.waiting.deleteAfter)
    say(p, `run prune again after ${formatTime(r.waiting.deleteAfter)} to free the marked space`);
  if (r.leftovers.packs > 0)
    say(
      p,
      `${r.dryRun ? 'would remove' : 'removed'} ${r.leftovers.packs} temp file(s) a crash left, ${formatBytes(r.leftovers.bytes)}`,
    );
  for (const problem of r.problems) process.stderr.write(`warning: ${problem}\n`);
  const acted = r.marked.packs + r.repacked.packs + r.deleted.packs + r.resurrected.packs;
  if (acted + r.leftovers.packs === 0) say(p, 'nothing to do');
}

export const prune: Command = {
  name: 'prune',
  summary: 'free the space of forgotten snapshots (two phases: mark, then delete later)',
  usage: 'strata prune [--max-unused 5%] [--delay 1h] [--dry-run] [--json]',
  details: `Packs nothing uses are marked; a later prune deletes them once the delay has passed,
unless a snapshot uses them again or a running backup, restore or check may still need them.
Packs with more than --max-unused unused space are repacked (their used blobs copied) and marked.
Backups may run at the same time, from any machine. Only one prune runs at a time (exit 11).`,
  async run(args) {
    const p = parse(args, PRUNE_OPTIONS);
    await pruneAndReport(p, await openRepo(p));
    return 0;
  },
};
