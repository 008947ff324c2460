import { StrataError, isStrataError } from '../../../shared/errors';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { unpin as unpinSnapshot } from '../../engine/repository/pins';
import {
  listSnapshots,
  resolveSnapshot,
  type SnapshotFilter,
} from '../../engine/repository/snapshots';
import { emitJson, flag, openRepo, parse, say, FILTER_OPTIONS, filterFrom } from '../context';
import type { Command } from './command';

/** The single SNAPSHOT argument of pin and unpin. */
export function oneSnapshot(positionals: readonly string[], command: string): string {
  if (positionals.length !== 1) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `strata ${command} takes one snapshot (an id prefix or "latest"), got ${positionals.length}`,
    );
  }
  return positionals[0] as string;
}

/**
 * A full id still names a pin when its snapshot file is gone (removed by hand, or damaged), so
 * such a pin can be removed too.
 */
function resolveOrFullId(
  snapshots: readonly SnapshotRecord[],
  ref: string,
  filter: SnapshotFilter,
): string {
  try {
    return resolveSnapshot(snapshots, ref, filter).id;
  } catch (err) {
    if (isStrataError(err, 'SNAPSHOT_NOT_FOUND') && /^[0-9a-f]{64}$/.test(ref)) return ref;
    throw err;
  }
}

export const unpin: Command = {
  name: 'unpin',
  summary: 'let forget policies decide about a pinned snapshot again',
  usage: 'strata unpin SNAPSHOT [--host HOST] [--tag TAG]... [--path PATH]... [--json]',
  details: 'SNAPSHOT is an id prefix or "latest" (the filters narrow "latest").',
  async run(args) {
    const p = parse(args, {
      ...FILTER_OPTIONS,
    });
    const ref = oneSnapshot(p.positionals, 'unpin');
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const filter = filterFrom(p);
    const id = resolveOrFullId(snapshots, ref, filter);
    const changed = await unpinSnapshot(repo, id);
    if (flag(p, 'json')) emitJson({ id, pinned: false, changed });
    else say(p, `snapshot ${id.slice(0, 8)} ${changed ? 'is no longer pinned' : 'was not pinned'}`);
    return 0;
  },
};
