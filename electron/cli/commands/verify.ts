import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { StrataError } from '../../../shared/errors';
import { verifyRestore } from '../../engine/maintenance/verify';
import { loadLastVerify, type LastVerify } from '../../engine/maintenance/verify-record';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { printableName } from '../../engine/restore/sanitize';
import { CACHE_DIR_OPTION, stateDirFor } from '../cache-dir';
import { emitJson, flag, list, openRepo, parse, say, str, workers, type Parsed } from '../context';
import { EXIT } from '../exit-codes';
import { formatBytes, formatDuration, formatTime } from '../format';
import type { Command } from './command';

const DEFAULT_SAMPLE = 10;

export const verify: Command = {
  name: 'verify',
  summary: 'prove a snapshot restorable: test-restore a sample of its files',
  usage:
    'strata verify [SNAPSHOT] [--sample N] [--host HOST] [--path PATH]... [--target DIR] [--cache-dir DIR] [--json]\n       strata verify --last [--json]',
  details:
    `Restores N files (default ${DEFAULT_SAMPLE}) picked at random, always including the largest, from SNAPSHOT (default latest, filtered by --host and --path) into a new temporary folder (in DIR with --target, else the system's), reads them back and checks each against the snapshot's size and content ids, then removes the folder. ` +
    'The outcome (no file names) is recorded in the local state folder; --last prints the last one (exit code 0 only if it proved everything). Exit code 1 when a file could not be proven.',
  async run(args) {
    const p = parse(args, {
      sample: { type: 'string', short: 'n' },
      host: { type: 'string' },
      path: { type: 'string', multiple: true },
      target: { type: 'string', short: 't' },
      last: { type: 'boolean' },
      ...CACHE_DIR_OPTION,
    });
    if (flag(p, 'last')) return showLast(p);
    const sample = sampleSize(str(p, 'sample'));
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const snap = resolveSnapshot(snapshots, p.positionals[0] ?? 'latest', {
      host: str(p, 'host'),
      paths: list(p, 'path'),
    });
    const target = str(p, 'target');
    const controller = new AbortController();
    // The engine removes its temporary folder as the signal aborts: then leave at once.
    const onSignal = () => {
      controller.abort();
      process.stderr.write('strata verify: interrupted; the temporary folder was removed\n');
      process.exit(EXIT.interrupted);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let result;
    try {
      result = await verifyRestore(repo, snap, {
        sample,
        scratch: target ? resolve(target) : tmpdir(),
        stateDir: stateDirFor(p, repo),
        workers: workers(p),
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (result.recordWarning) process.stderr.write(`warning: ${result.recordWarning}\n`);
    if (flag(p, 'json')) emitJson({ message_type: 'summary', ...result });
    else {
      for (const f of result.files)
        if (!f.ok) process.stderr.write(`error: ${printableName(f.path)}: ${f.message}\n`);
      const took = formatDuration(Date.parse(result.finished) - Date.parse(result.started));
      const of = `snapshot ${snap.id.slice(0, 8)} (${formatTime(snap.snapshot.time)})`;
      if (result.files.length === 0) say(p, `${of} has no files: nothing to prove`);
      else
        say(
          p,
          `proved ${result.filesProven} of ${result.files.length} file(s) (${formatBytes(result.bytesProven)}) of ${of} restorable in ${took}`,
        );
      say(
        p,
        result.ok ? 'the test restore succeeded' : 'the test restore FAILED: see the errors above',
      );
    }
    return result.ok ? EXIT.ok : EXIT.fatal;
  },
};

function sampleSize(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SAMPLE;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1)
    throw new StrataError('INVALID_ARGUMENT', `--sample must be a whole number >= 1 (got ${text})`);
  return n;
}

async function showLast(p: Parsed): Promise<number> {
  const repo = await openRepo(p);
  const { last, warning } = await loadLastVerify(stateDirFor(p, repo));
  if (warning) process.stderr.write(`warning: ${warning}\n`);
  if (flag(p, 'json')) emitJson({ last: last ?? null });
  else say(p, last ? describeLast(last) : 'no test restore is recorded on this computer');
  return last?.ok ? EXIT.ok : EXIT.fatal;
}

function describeLast(last: LastVerify): string {
  const when = formatTime(last.finished);
  const of = `snapshot ${last.snapshot.slice(0, 8)} (${formatTime(last.snapshotTime)})`;
  if (last.ok)
    return `last proven restorable ${when}: ${last.filesProven} file(s), ${formatBytes(last.bytesProven)} of ${of}`;
  const why = Object.entries(last.reasons)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ');
  return `last test restore ${when} FAILED: ${last.problems} problem(s) (${why}) in ${of}; ${last.filesProven} of ${last.files} file(s) proven`;
}
