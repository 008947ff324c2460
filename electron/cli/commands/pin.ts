import { pin as pinSnapshot } from '../../engine/repository/pins';
import { listSnapshots, resolveSnapshot } from '../../engine/repository/snapshots';
import { emitJson, flag, openRepo, parse, say, FILTER_OPTIONS, filterFrom } from '../context';
import type { Command } from './command';
import { oneSnapshot } from './unpin';

export const pin: Command = {
  name: 'pin',
  summary: 'keep a snapshot whatever forget policies say',
  usage: 'strata pin SNAPSHOT [--host HOST] [--tag TAG]... [--path PATH]... [--json]',
  details:
    'SNAPSHOT is an id prefix or "latest" (the filters narrow "latest"). A pinned snapshot is kept by every ' +
    'policy and cannot be forgotten by id until it is unpinned (strata unpin).',
  async run(args) {
    const p = parse(args, {
      ...FILTER_OPTIONS,
    });
    const ref = oneSnapshot(p.positionals, 'pin');
    const repo = await openRepo(p);
    const { snapshots } = await listSnapshots(repo);
    const filter = filterFrom(p);
    const { id } = resolveSnapshot(snapshots, ref, filter);
    const changed = await pinSnapshot(repo, id);
    if (flag(p, 'json')) emitJson({ id, pinned: true, changed });
    else say(p, `snapshot ${id.slice(0, 8)} ${changed ? 'is now pinned' : 'was already pinned'}`);
    return 0;
  },
};
