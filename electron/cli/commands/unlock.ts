import { describeLock, removeStaleLocks } from '../../engine/repository/locks';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say } from '../context';
import type { Command } from './command';

export const unlock: Command = {
  name: 'unlock',
  summary: 'remove stale locks and session markers',
  usage: 'strata unlock [--json]',
  details:
    'A lock is stale when it was not refreshed for 30 minutes, or when its process is gone (same host). Live locks are listed and kept.',
  async run(args) {
    const p = parse(args, {});
    const repo = await openRepo(p);
    const { removed, live, problems } = await removeStaleLocks(repo);
    if (flag(p, 'json')) emitJson({ removed, live, problems });
    else {
      for (const l of removed) say(p, `removed stale ${printableName(describeLock(l))}`);
      for (const l of live) say(p, `kept live ${printableName(describeLock(l))}`);
      for (const pr of problems)
        process.stderr.write(`warning: lock ${pr.name}: ${printableName(pr.message)}\n`);
      say(p, `${removed.length} stale lock(s) removed, ${live.length} live`);
    }
    return 0;
  },
};
