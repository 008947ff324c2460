import { check as runCheck } from '../../engine/maintenance/check';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say } from '../context';
import type { Command } from './command';

export const check: Command = {
  name: 'check',
  summary: 'check the repository for errors',
  usage: 'strata check [--read-data] [--json]',
  details:
    'Without --read-data: structure (snapshots, index, trees, packs present). With it: every byte is read and authenticated. Exit code 1 when anything is wrong.',
  async run(args) {
    const p = parse(args, { 'read-data': { type: 'boolean' } });
    const repo = await openRepo(p);
    const result = await runCheck(repo, { readData: flag(p, 'read-data') });
    if (flag(p, 'json')) emitJson({ ok: result.problems.length === 0, ...result });
    else {
      say(
        p,
        `${result.snapshots} snapshot(s), ${result.packs} pack(s), ${result.blobs} blob(s)${flag(p, 'read-data') ? `, ${result.packsRead} pack(s) read` : ''}`,
      );
      if (result.unreferencedPacks > 0)
        say(
          p,
          `${result.unreferencedPacks} pack(s) not in the index (left by an interrupted backup; harmless)`,
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
