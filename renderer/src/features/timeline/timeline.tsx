/**
 * The timeline: a job's snapshots along time, a file browser that keeps its folder as you move
 * through time, the versions of a file, a diff of two snapshots, search across all versions, and
 * the way into restore (the timeline is the restore UI, as in Time Machine).
 */
import { useState } from 'react';
import type { ArgsIn, JobView, SnapshotView } from '../../../../shared/contract';
import { api, useAsync } from '../../api';
import { ErrorNote, formatDate } from '../../components';
import { useStore } from '../../store';
import { DiffView } from './diff-view';
import { FileBrowser } from './file-browser';
import { parentPath } from './group-snapshots';
import { SearchPanel } from './search-panel';
import { SnapshotList } from './snapshot-list';
import { VersionsPanel } from './versions-panel';

const NO_JOBS: readonly JobView[] = [];
const NO_SNAPSHOTS: readonly SnapshotView[] = [];

// The requests, defined once so useAsync's effect depends only on their arguments.
const listSnapshots = (a: ArgsIn<'snapshots.list'>) => api().snapshots.list(a);
const browseFolder = (a: ArgsIn<'browse.folder'>) => api().browse.folder(a);
const browseVersions = (a: ArgsIn<'browse.versions'>) => api().browse.versions(a);
const browseDiff = (a: ArgsIn<'browse.diff'>) => api().browse.diff(a);

function newestOf(snapshots: readonly SnapshotView[]): SnapshotView | null {
  let newest: SnapshotView | null = null;
  for (const s of snapshots)
    if (!newest || Date.parse(s.time) > Date.parse(newest.time)) newest = s;
  return newest;
}

export function Timeline(props: { readonly jobId?: string }) {
  // Select the array itself: a new [] per call would re-render forever.
  const jobs = useStore((s) => s.app?.jobs) ?? NO_JOBS;
  const runsVersion = useStore((s) => s.runsVersion);
  const go = useStore((s) => s.go);
  const jobId = props.jobId ?? jobs[0]?.job.id;
  const job = jobs.find((j) => j.job.id === jobId)?.job;
  // What the user picked; what is shown falls back to the first copy, the newest snapshot and
  // its first folder (derived here, not copied into state by an effect).
  const [pickedDestination, setDestinationId] = useState<string | undefined>(undefined);
  const [pickedSnapshot, setSnapshot] = useState<SnapshotView | null>(null);
  const [pickedPath, setPath] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<string>('');

  const destinationId =
    job?.destinations.find((d) => d.id === pickedDestination)?.id ?? job?.destinations[0]?.id;

  // Asked again after each finished run: a new snapshot appears without a refresh button.
  const list = useAsync(
    listSnapshots,
    jobId && destinationId ? { jobId, destinationId } : null,
    runsVersion,
  );
  const snapshots = list.value?.snapshots ?? NO_SNAPSHOTS;
  const newest = newestOf(snapshots);
  // Start at the newest snapshot, in the first folder it backed up.
  const snapshot =
    pickedSnapshot && snapshots.some((s) => s.id === pickedSnapshot.id) ? pickedSnapshot : newest;
  const path = pickedPath ?? (newest ? (newest.paths[0] ?? '/') : null);

  const folder = useAsync(
    browseFolder,
    snapshot && path && destinationId ? { destinationId, snapshotId: snapshot.id, path } : null,
  );
  const missing = folder.error?.code === 'NOT_FOUND';
  const versions = useAsync(
    browseVersions,
    versionsOf && destinationId ? { destinationId, path: versionsOf } : null,
    runsVersion,
  );
  const other = snapshots.find((s) => s.id === compareWith);
  const [from, to] =
    other && snapshot && Date.parse(other.time) < Date.parse(snapshot.time)
      ? [other, snapshot]
      : [snapshot, other];
  const diff = useAsync(
    browseDiff,
    from && to && jobId && destinationId
      ? { jobId, destinationId, from: from.id, to: to.id }
      : null,
  );

  if (!job || !jobId || !destinationId) {
    return (
      <div>
        <h1>Timeline</h1>
        <p>Create a backup first: its versions appear here.</p>
      </div>
    );
  }

  const restore = (snapshotId: string, snapshotTime: string, paths: readonly string[]): void =>
    go({ screen: 'restore', restore: { jobId, destinationId, snapshotId, snapshotTime, paths } });

  return (
    <div className="timeline">
      <div className="page-head">
        <h1>Timeline</h1>
        <label className="field inline">
          <span>Backup</span>
          <select value={jobId} onChange={(e) => go({ screen: 'timeline', jobId: e.target.value })}>
            {jobs.map((j) => (
              <option key={j.job.id} value={j.job.id}>
                {j.job.name}
              </option>
            ))}
          </select>
        </label>
        {job.destinations.length > 1 ? (
          <label className="field inline">
            <span>Copy</span>
            <select value={destinationId} onChange={(e) => setDestinationId(e.target.value)}>
              {job.destinations.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.label ?? d.path}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <ErrorNote error={list.error} title="The snapshots could not be read." />
      {list.value && snapshots.length === 0 ? <p>No snapshots yet: run a backup first.</p> : null}
      <div className="timeline-grid">
        <section aria-label="Snapshots" className="col-snapshots">
          <h2 className="sr-only">Snapshots</h2>
          <p role="status" data-testid="snapshot-count">
            {snapshots.length} {snapshots.length === 1 ? 'snapshot' : 'snapshots'}
          </p>
          <SnapshotList
            snapshots={snapshots}
            selected={snapshot?.id ?? null}
            onSelect={setSnapshot}
          />
        </section>
        <section aria-label="Files" className="col-files">
          {snapshot ? (
            <>
              <div className="row wrap">
                <h2 className="grow">{formatDate(snapshot.time)}</h2>
                <label className="field inline">
                  <span>Compare with</span>
                  <select value={compareWith} onChange={(e) => setCompareWith(e.target.value)}>
                    <option value="">—</option>
                    {snapshots
                      .filter((s) => s.id !== snapshot.id)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {formatDate(s.time)}
                        </option>
                      ))}
                  </select>
                </label>
              </div>
              {diff.value ? <DiffView diff={diff.value} /> : null}
              <ErrorNote error={diff.error} />
              <FileBrowser
                path={path ?? '/'}
                entries={folder.value?.entries ?? null}
                missing={missing}
                selected={selected}
                onOpen={setPath}
                onToggle={(p, on) => {
                  const next = new Set(selected);
                  if (on) next.add(p);
                  else next.delete(p);
                  setSelected(next);
                }}
                onVersions={setVersionsOf}
              />
              {folder.error && !missing ? <ErrorNote error={folder.error} /> : null}
              <div className="actions">
                {missing ? (
                  <button type="button" onClick={() => setPath(parentPath(path ?? '/'))}>
                    Go up a folder
                  </button>
                ) : null}
                <button
                  type="button"
                  className="primary"
                  onClick={() =>
                    restore(
                      snapshot.id,
                      snapshot.time,
                      selected.size > 0 ? [...selected] : [path ?? '/'],
                    )
                  }
                >
                  {selected.size > 0
                    ? `Restore ${selected.size} selected…`
                    : 'Restore this folder…'}
                </button>
              </div>
            </>
          ) : null}
          <SearchPanel
            destinationId={destinationId}
            onOpen={(hit) => {
              setPath(parentPath(hit.path));
              setVersionsOf(hit.path);
            }}
          />
        </section>
        {versionsOf ? (
          <VersionsPanel
            path={versionsOf}
            versions={versions.value?.versions ?? null}
            onClose={() => setVersionsOf(null)}
            onRestore={(v) => {
              const newest = v.snapshots[v.snapshots.length - 1]!;
              restore(newest.id, newest.time, [versionsOf]);
            }}
          />
        ) : null}
      </div>
    </div>
  );
}
