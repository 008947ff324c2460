import { loadIndexForReading } from '../../engine/repository/marks';
import { StrataError } from '../../../shared/errors';
import { diffTrees, type ChangeKind } from '../../engine/repository/diff';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say } from '../context';
import { formatBytes } from '../format';
import type { Command } from './command';

const MARK: Record<ChangeKind, string> = {
  added: '+',
  removed: '-',
  modified: 'M',
  metadata: 'U',
  type: 'T',
};

export const diff: Command = {
  name: 'diff',
  summary: 'show what changed between two snapshots',
  usage: 'strata diff SNAPSHOT1 SNAPSHOT2 [--json]',
  details: '+ added, - removed, M content changed, U metadata only, T type changed.',
  async run(args) {
    const p = parse(args, {});
    const [r1, r2] = p.positionals;
    if (!r1 || !r2)
      throw new StrataError('INVALID_ARGUMENT', 'usage: strata diff SNAPSHOT1 SNAPSHOT2');
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const a = resolveSnapshot(snapshots, r1);
    const b = resolveSnapshot(snapshots, r2);
    await loadIndexForReading(repo);
    const counts: Record<ChangeKind, number> = {
      added: 0,
      removed: 0,
      modified: 0,
      metadata: 0,
      type: 0,
    };
    let grown = 0;
    const json = flag(p, 'json');
    for await (const c of diffTrees(repo, a.snapshot.tree, b.snapshot.tree)) {
      counts[c.kind]++;
      grown += (c.after?.size ?? 0) - (c.before?.size ?? 0);
      if (json)
        emitJson({
          message_type: 'change',
          kind: c.kind,
          path: c.path,
          size_before: c.before?.size,
          size_after: c.after?.size,
        });
      else say(p, `${MARK[c.kind]}  ${printableName(c.path)}`);
    }
    if (json)
      emitJson({
        message_type: 'statistics',
        source: a.id,
        target: b.id,
        ...counts,
        bytes_delta: grown,
      });
    else
      say(
        p,
        `\n${counts.added} added, ${counts.removed} removed, ${counts.modified} modified, ${counts.metadata} metadata only, ${counts.type} type changed; size ${grown >= 0 ? '+' : '-'}${formatBytes(Math.abs(grown))}`,
      );
    return 0;
  },
};
