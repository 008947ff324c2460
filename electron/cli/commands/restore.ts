import { StrataError } from '../../../shared/errors';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { OVERWRITE_POLICIES, type OverwritePolicy } from '../../engine/restore/overwrite';
import { restore as runRestore } from '../../engine/restore/restore';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, list, openRepo, parse, say, str, workers } from '../context';
import { EXIT } from '../exit-codes';
import { formatBytes } from '../format';
import type { Command } from './command';

export const restore: Command = {
  name: 'restore',
  summary: 'restore a snapshot (or parts of it) into a folder',
  usage:
    'strata restore SNAPSHOT --target DIR [--include PATH]... [--overwrite always|if-changed|if-newer|never] [--verify] [--json]',
  details:
    'Paths keep their place below the target: /home/ann/a.txt restores to DIR/home/ann/a.txt. Exit code 3: some entries could not be restored (they are listed).',
  async run(args) {
    const p = parse(args, {
      target: { type: 'string', short: 't' },
      include: { type: 'string', multiple: true, short: 'i' },
      overwrite: { type: 'string' },
      verify: { type: 'boolean' },
    });
    const ref = p.positionals[0];
    const target = str(p, 'target');
    if (!ref || !target)
      throw new StrataError('INVALID_ARGUMENT', 'usage: strata restore SNAPSHOT --target DIR');
    const overwrite = (str(p, 'overwrite') ?? 'always') as OverwritePolicy;
    if (!OVERWRITE_POLICIES.includes(overwrite)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `--overwrite must be one of ${OVERWRITE_POLICIES.join(', ')}`,
      );
    }
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const snap = resolveSnapshot(snapshots, ref);
    const result = await runRestore(repo, snap, {
      target,
      includes: list(p, 'include'),
      overwrite,
      verify: flag(p, 'verify'),
      workers: workers(p),
    });
    if (flag(p, 'json')) emitJson({ message_type: 'summary', snapshot: snap.id, ...result });
    else {
      for (const pr of result.problems)
        process.stderr.write(`error: ${printableName(pr.path)}: ${pr.message}\n`);
      say(
        p,
        `restored ${result.files} file(s), ${result.dirs} folder(s), ${result.links} link(s), ${formatBytes(result.bytes)} from snapshot ${snap.id.slice(0, 8)} to ${target}`,
      );
      if (result.skipped > 0)
        say(
          p,
          `${result.skipped} existing entr${result.skipped === 1 ? 'y' : 'ies'} kept (overwrite: ${overwrite})`,
        );
      if (flag(p, 'verify')) say(p, `verified ${result.verified} file(s) against the snapshot`);
    }
    return result.problems.length > 0 ? EXIT.incomplete : EXIT.ok;
  },
};
