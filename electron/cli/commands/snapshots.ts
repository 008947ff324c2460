import { listPins } from '../../engine/repository/pins';
import { listSnapshots, matchesFilter } from '../../engine/repository/snapshots';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say, FILTER_OPTIONS, filterFrom } from '../context';
import { formatBytes, formatTime, table } from '../format';
import type { Command } from './command';

export const snapshots: Command = {
  name: 'snapshots',
  summary: 'list snapshots',
  usage: 'strata snapshots [--host HOST] [--tag TAG]... [--path PATH]... [--json]',
  async run(args) {
    const p = parse(args, {
      ...FILTER_OPTIONS,
    });
    const repo = await openRepo(p);
    const { snapshots: all, problems: snapshotProblems } = await listSnapshots(repo);
    // An unreadable pin does not stop the listing; forget is where it must stop things.
    const { pinned, problems: pinProblems } = await listPins(repo);
    const problems = [...snapshotProblems, ...pinProblems];
    const filter = filterFrom(p);
    const shown = all.filter((r) => matchesFilter(r.snapshot, filter));
    for (const pr of problems)
      process.stderr.write(`error: ${pr.kind} ${pr.name}: ${pr.message}\n`);
    if (flag(p, 'json')) {
      emitJson(
        shown.map((r) => ({
          id: r.id,
          short_id: r.id.slice(0, 8),
          ...r.snapshot,
          pinned: pinned.has(r.id),
        })),
      );
    } else {
      const rows = shown.map((r) => [
        r.id.slice(0, 8),
        pinned.has(r.id) ? 'pinned' : '',
        formatTime(r.snapshot.time),
        // Host, tags and paths come from the repository: escape them for the terminal.
        printableName(r.snapshot.host),
        printableName(r.snapshot.tags.join(',')),
        formatBytes(r.snapshot.summary.totalBytes),
        printableName(r.snapshot.paths.join(' ')),
      ]);
      say(p, table([['ID', 'Pin', 'Time', 'Host', 'Tags', 'Size', 'Paths'], ...rows]));
      say(p, `${shown.length} snapshot(s)`);
    }
    return problems.length > 0 ? 1 : 0;
  },
};
