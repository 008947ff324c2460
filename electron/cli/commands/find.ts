import { loadIndexForReading } from '../../engine/repository/marks';
import { StrataError } from '../../../shared/errors';
import { listSnapshots } from '../../engine/repository/snapshots';
import { walkTree } from '../../engine/repository/walk';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say } from '../context';
import { formatTime } from '../format';
import { describeNode } from './ls';
import type { Command } from './command';

/** A glob (`*`, `?`, `**`) as a regular expression; patterns with `/` match whole paths. */
export function globToRegExp(glob: string, ignoreCase: boolean): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, ignoreCase ? 'i' : '');
}

export const find: Command = {
  name: 'find',
  summary: 'find files by name across all snapshots',
  usage: 'strata find PATTERN [--ignore-case] [--json]',
  details: 'PATTERN is a glob matched against names, or against whole paths when it contains "/".',
  async run(args) {
    const p = parse(args, { 'ignore-case': { type: 'boolean', short: 'i' } });
    const pattern = p.positionals[0];
    if (!pattern) throw new StrataError('INVALID_ARGUMENT', 'usage: strata find PATTERN');
    const re = globToRegExp(pattern, flag(p, 'ignore-case'));
    const byPath = pattern.includes('/');
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    await loadIndexForReading(repo);
    let found = 0;
    for (const s of snapshots) {
      const matches = [];
      for await (const e of walkTree(repo, s.snapshot.tree)) {
        if (re.test(byPath ? e.path : e.node.name)) matches.push(e);
      }
      found += matches.length;
      if (matches.length === 0) continue;
      if (flag(p, 'json'))
        emitJson({
          snapshot: s.id,
          time: s.snapshot.time,
          matches: matches.map((m) => describeNode(m.path, m.node)),
        });
      else {
        say(p, `snapshot ${s.id.slice(0, 8)} (${formatTime(s.snapshot.time)}):`);
        for (const m of matches) say(p, `  ${printableName(m.path)}  ${m.node.size ?? 0}`);
      }
    }
    if (!flag(p, 'json')) say(p, `${found} match(es)`);
    return 0;
  },
};
