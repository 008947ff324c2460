import { loadIndexForReading } from '../../engine/repository/marks';
import { StrataError } from '../../../shared/errors';
import type { TreeNode } from '../../engine/repository/tree';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { nodeAt, splitPath, walkTree } from '../../engine/repository/walk';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say } from '../context';
import { formatTime } from '../format';
import type { Command } from './command';

/** What ls --json prints for an entry: plain, with times as ISO strings. */
export function describeNode(path: string, n: TreeNode) {
  return {
    path,
    name: n.name,
    type: n.type,
    size: n.size ?? 0,
    mode: n.mode,
    uid: n.uid,
    gid: n.gid,
    mtime: new Date(Number(BigInt(n.mtime) / 1_000_000n)).toISOString(),
    mtime_ns: n.mtime,
    target: n.target,
    links: n.links,
  };
}

function modeString(n: TreeNode): string {
  const t = {
    file: '-',
    dir: 'd',
    symlink: 'l',
    fifo: 'p',
    socket: 's',
    chardev: 'c',
    blockdev: 'b',
  }[n.type];
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => ((n.mode >> (8 - i)) & 1 ? c : '-'))
    .join('');
  return t + bits;
}

export const ls: Command = {
  name: 'ls',
  summary: 'list the entries of a folder in a snapshot',
  usage: 'strata ls SNAPSHOT [PATH] [--recursive] [--json]',
  async run(args) {
    const p = parse(args, { recursive: { type: 'boolean', short: 'R' } });
    const [ref, path = '/'] = p.positionals;
    if (!ref) throw new StrataError('INVALID_ARGUMENT', 'usage: strata ls SNAPSHOT [PATH]');
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const snap = resolveSnapshot(snapshots, ref);
    await loadIndexForReading(repo);
    const { node, tree } = await nodeAt(repo, snap.snapshot.tree, path);
    const base = '/' + splitPath(path).join('/');
    const prefix = base === '/' ? '' : base;
    const entries: { path: string; node: TreeNode }[] = [];
    if (!tree && node) entries.push({ path: base, node });
    else if (flag(p, 'recursive')) {
      const root = node?.subtree ?? snap.snapshot.tree;
      for await (const e of walkTree(repo, root, prefix)) entries.push(e);
    } else
      for (const n of tree?.nodes ?? []) entries.push({ path: `${prefix}/${n.name}`, node: n });
    if (flag(p, 'json'))
      emitJson({
        snapshot: snap.id,
        path: base,
        entries: entries.map((e) => describeNode(e.path, e.node)),
      });
    else
      for (const e of entries) {
        const n = e.node;
        const link = n.type === 'symlink' ? ` -> ${printableName(n.target ?? '')}` : '';
        const when = formatTime(new Date(Number(BigInt(n.mtime) / 1_000_000n)).toISOString());
        say(
          p,
          `${modeString(n)} ${String(n.size ?? 0).padStart(12)} ${when} ${printableName(e.path)}${link}`,
        );
      }
    return 0;
  },
};
