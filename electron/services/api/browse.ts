/**
 * Browsing channels: snapshots, folders, file versions and search from the catalog (local and
 * fast), refresh from the repository, and diff from the repository's trees.
 */
import type { ApiHandlers, DiffChange, DiffKind } from '../../../shared/contract';
import { diffTrees, type ChangeKind } from '../../engine/repository/diff';
import type { ApiContext } from './context';
import { destinationOf, jobOf } from './jobs';
import { openJobDestination, snapshotIn } from './repo';

type BrowseHandlers = Pick<
  ApiHandlers,
  | 'snapshots.list'
  | 'snapshots.refresh'
  | 'browse.folder'
  | 'browse.versions'
  | 'browse.search'
  | 'browse.diff'
>;

const KIND: Record<ChangeKind, DiffKind> = {
  added: 'added',
  removed: 'removed',
  modified: 'changed',
  metadata: 'metadata',
  type: 'type',
};

export function browseHandlers(c: ApiContext): BrowseHandlers {
  const { catalog } = c.s;
  return {
    async 'snapshots.list'({ jobId, destinationId }) {
      const job = jobOf(c, jobId);
      const ids = destinationId
        ? [destinationOf(job, destinationId).id]
        : job.destinations.map((d) => d.id);
      const snapshots = ids.flatMap((id) =>
        catalog.snapshots(id).map((s) => ({
          destinationId: s.destinationId,
          id: s.id,
          time: s.time,
          host: s.host,
          paths: s.paths,
          tags: s.tags,
          pinned: s.pinned,
          indexed: s.indexed,
          ...(s.summary
            ? {
                files: s.summary.filesNew + s.summary.filesChanged + s.summary.filesUnchanged,
                bytes: s.summary.totalBytes,
                bytesAdded: s.summary.bytesAdded,
              }
            : {}),
        })),
      );
      return { snapshots };
    },
    async 'snapshots.refresh'({ jobId, destinationId }) {
      const opened = await openJobDestination(c, jobId, destinationId);
      const r = await catalog.syncSnapshots(destinationId, opened.repo);
      // The job's status reads the newest snapshot from the catalog: tell the dashboard.
      if (r.added > 0 || r.removed > 0) c.s.bus.emit({ type: 'status-changed', jobId });
      return { added: r.added, removed: r.removed };
    },
    async 'browse.folder'({ destinationId, snapshotId, path }) {
      return { entries: catalog.listFolder(destinationId, snapshotId, path) };
    },
    async 'browse.versions'({ destinationId, path }) {
      return { versions: catalog.fileVersions(destinationId, path) };
    },
    async 'browse.search'({ destinationId, pattern, limit }) {
      return { hits: catalog.search(destinationId ?? null, pattern, limit) };
    },
    async 'browse.diff'({ jobId, destinationId, from, to, limit }) {
      const opened = await openJobDestination(c, jobId, destinationId);
      const a = snapshotIn(opened, from);
      const b = snapshotIn(opened, to);
      const changes: DiffChange[] = [];
      const totals: Record<DiffKind, number> = {
        added: 0,
        removed: 0,
        changed: 0,
        metadata: 0,
        type: 0,
      };
      const growth: { path: string; bytes: number }[] = [];
      let bytesDelta = 0;
      for await (const ch of diffTrees(opened.repo, a.snapshot.tree, b.snapshot.tree)) {
        const kind = KIND[ch.kind];
        totals[kind]++;
        const node = ch.after ?? ch.before!;
        const sizeBefore = ch.before?.type === 'file' ? (ch.before.size ?? 0) : null;
        const sizeAfter = ch.after?.type === 'file' ? (ch.after.size ?? 0) : null;
        const delta = (sizeAfter ?? 0) - (sizeBefore ?? 0);
        bytesDelta += delta;
        if (delta > 0 && (kind === 'added' || kind === 'changed'))
          growth.push({ path: ch.path, bytes: delta });
        if (changes.length < limit)
          changes.push({ kind, path: ch.path, type: node.type, sizeBefore, sizeAfter });
      }
      const total = Object.values(totals).reduce((x, y) => x + y, 0);
      return {
        changes,
        totals,
        bytesDelta,
        grown: growth.sort((x, y) => y.bytes - x.bytes).slice(0, 20),
        truncated: total > changes.length,
      };
    },
  };
}
