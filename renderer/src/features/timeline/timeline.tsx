/**
 * The timeline: a job's snapshots along time, a file browser that keeps its folder as you move
 * through time, the versions of a file, a diff of two snapshots, search across all versions, and
 * the way into restore (the timeline is the restore UI, as in Time Machine).
 */
import { useEffect, useState } from 'react';
import type { JobView, SnapshotView } from '../../../../shared/contract';
import { api } from '../../api';
import { ErrorNote, formatDate } from '../../components';
import { useStore } from '../../store';
import { DiffView } from './diff-view';
import { FileBrowser } from './file-browser';
import { parentPath } from './group-snapshots';
import { SearchPanel } from './search-panel';
import { SnapshotList } from './snapshot-list';
import { useAsync } from './use-async';
import { VersionsPanel } from './versions-panel';

const NO_JOBS: readonly JobView[] = [];

export function Timeline(props: { readonly jobId?: string }) {
  // Select the array itself: a new [] per call would re-render forever.
  const jobs = useStore((s) => s.app?.jobs) ?? NO_JOBS;
  const runsVersion = useStore((s) => s.runsVersion);
  const go = useStore((s) => s.go);
  const jobId = props.jobId ?? jobs[0]?.job.id;
  const job = jobs.find((j) => j.job.id === jobId)?.job;
  const [destinationId, setDestinationId] = useState<string | undefined>(job?.destinations[0]?.id);
  const [snapshot, setSnapshot] = useState<SnapshotView | null>(null);
  const [path, setPath] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const [compareWith, setCompareWith] = useState<string>('');

  useEffect(() => setDestinationId(job?.destinations[0]?.id), [job?.id]);

  // Reloaded after each finished run: a new snapshot appears without a refresh button.
  const list = useAsync(
    jobId && destinationId ? () => api().snapshots.list({ jobId, destinationId }) : null,
    [jobId, destinationId, runsVersion],
  );
  const snapshots = list.value?.snapshots ?? [];

  // Start at the newest snapshot, in the first folder it backed up.
  useEffect(() => {
    const newest = [...snapshots].sort((a, b) => Date.parse(b.time) - Date.parse(a.time))[0];
    if (!newest) return;
    if (!snapshot || !snapshots.some((s) => s.id === snapshot.id)) setSnapshot(newest);
    if (path === null) setPath(newest.paths[0] ?? '/');
  }, [list.value]);

  const folder = useAsync(
    snapshot && path && destinationId
      ? () => api().browse.folder({ destinationId, snapshotId: snapshot.id, path })
      : null,
    [snapshot?.id, path, destinationId],
  );
  const missing = folder.error?.code === 'NOT_FOUND';
  const versions = useAsync(
    versionsOf && destinationId
      ? () => api().browse.versions({ destinationId, path: versionsOf })
      : null,
    [versionsOf, destinationId, runsVersion],
  );
  const diff = useAsync(
    snapshot && compareWith && jobId && destinationId
      ? () => {
          const other = snapshots.find((s) => s.id === compareWith)!;
          const [from, to] =
            Date.parse(other.time) < Date.parse(snapshot.time)
              ? [other, snapshot]
              : [snapshot, other];
          return api().browse.diff({ jobId, destinationId, from: from.id, to: to.id });
        }
      : null,
    [snapshot?.id, compareWith, jobId, destinationId],
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
