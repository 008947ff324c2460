import { StrataError } from '../../../shared/errors';
import { check as runCheck } from '../../engine/maintenance/check';
import { parseSubset } from '../../engine/maintenance/pack-selection';
import { printableName } from '../../engine/restore/sanitize';
import { CACHE_DIR_OPTION, stateDirFor } from '../cache-dir';
import { emitJson, flag, openRepo, parse, say, str } from '../context';
import { formatTime } from '../format';
import type { Command } from './command';

export const check: Command = {
  name: 'check',
  summary: 'check the repository for errors',
  usage: 'strata check [--read-data | --read-data-subset N%|n/t] [--cache-dir DIR] [--json]',
  details:
    'Without --read-data: structure (snapshots, index, trees, packs present). With it: every byte is read and authenticated. ' +
    '--read-data-subset N% reads N% of the packs, those never read before (then the least recently read) first, so ceil(100/N) runs read everything; ' +
    'n/t reads part n of t fixed parts (run 1/t to t/t to read everything). ' +
    'Packs found good are recorded in a local state folder (--cache-dir, STRATA_CACHE_DIR, or the user cache folder). Exit code 1 when anything is wrong.',
  async run(args) {
    const p = parse(args, {
      'read-data': { type: 'boolean' },
      'read-data-subset': { type: 'string' },
      ...CACHE_DIR_OPTION,
    });
    const spec = str(p, 'read-data-subset');
    if (spec !== undefined && flag(p, 'read-data'))
      throw new StrataError('INVALID_ARGUMENT', 'use --read-data or --read-data-subset, not both');
    const subset = spec === undefined ? undefined : parseSubset(spec);
    const repo = await openRepo(p);
    const reading = flag(p, 'read-data') || subset !== undefined;
    const result = await runCheck(repo, {
      readData: flag(p, 'read-data'),
      readDataSubset: subset,
      stateDir: reading ? stateDirFor(p, repo) : undefined,
    });
    const data = result.data;
    if (data?.recordWarning) process.stderr.write(`warning: ${data.recordWarning}\n`);
    if (flag(p, 'json')) emitJson({ ok: result.problems.length === 0, ...result });
    else {
      say(
        p,
        `${result.snapshots} snapshot(s), ${result.packs} pack(s), ${result.blobs} blob(s)${data ? `, ${result.packsRead} pack(s) read` : ''}`,
      );
      if (data)
        say(
          p,
          `${data.neverVerified} pack(s) never verified; ${data.oldestVerified ? `oldest verification ${formatTime(data.oldestVerified)}` : 'none verified yet'}`,
        );
      if (result.unreferencedPacks > 0)
        say(
          p,
          `${result.unreferencedPacks} pack(s) not in the index (left by an interrupted backup; harmless)`,
        );
      if (result.staleTempFiles > 0)
        say(
          p,
          `${result.staleTempFiles} temp file(s) older than a day (left by a crash; harmless, the next prune removes them)`,
        );
      // Problems name paths from the repository: escape them for the terminal.
      for (const pr of result.problems)
        process.stderr.write(`error: ${printableName(`${pr.kind} ${pr.name}: ${pr.message}`)}\n`);
      say(
        p,
        result.problems.length === 0
          ? 'no errors were found'
          : `${result.problems.length} error(s) found`,
      );
    }
    return result.problems.length === 0 ? 0 : 1;
  },
};
