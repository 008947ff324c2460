/**
 * Restore: the chosen files of one snapshot -> the original place or another folder -> what to
 * do when a file is in the way, with a preview of what would be overwritten -> progress -> a
 * summary. Nothing is written until "Restore" is pressed.
 */
import { useState } from 'react';
import type { ArgsIn, ConflictPolicy, RestoreTarget } from '../../../../shared/contract';
import { api, toShownError, useAsync, type ShownError } from '../../api';
import { ErrorNote, formatDate } from '../../components';
import { useStore, type RestoreRoute } from '../../store';
import { PreviewList } from './preview-list';
import { RestoreResult } from './restore-result';

const POLICIES: { id: ConflictPolicy; label: string }[] = [
  { id: 'keep-both', label: 'Keep both: the restored copy gets the date in its name' },
  { id: 'overwrite', label: 'Replace the file that is there' },
  { id: 'skip-if-newer', label: 'Skip files that are newer than the backup' },
];

const previewRestore = (a: ArgsIn<'restore.preview'>) => api().restore.preview(a);

/** The restore screen for the files a route names (from the timeline). */
export function Restore(props: { readonly restore: RestoreRoute }) {
  const r = props.restore;
  const go = useStore((s) => s.go);
  const [where, setWhere] = useState<'original' | 'folder'>('original');
  const [folder, setFolder] = useState('');
  const [conflict, setConflict] = useState<ConflictPolicy>('keep-both');
  const [error, setError] = useState<ShownError | null>(null);
  const [restoreId, setRestoreId] = useState<string | null>(null);

  const target: RestoreTarget | null =
    where === 'original'
      ? { kind: 'original' }
      : folder.trim()
        ? { kind: 'folder', path: folder.trim() }
        : null;
  const request = target
    ? {
        jobId: r.jobId,
        destinationId: r.destinationId,
        snapshotId: r.snapshotId,
        paths: [...r.paths],
        target,
        conflict,
      }
    : null;
  // Asked again whenever the request changes (target, policy), by value.
  const preview = useAsync(previewRestore, request);

  const choose = async (): Promise<void> => {
    try {
      const { path } = await api().dialog.pickFolder({ title: 'Restore into this folder' });
      if (path) setFolder(path);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const start = async (): Promise<void> => {
    if (!request) return;
    try {
      setError(null);
      setRestoreId((await api().restore.start(request)).restoreId);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  if (restoreId)
    return (
      <RestoreResult
        restoreId={restoreId}
        onDone={() => go({ screen: 'timeline', jobId: r.jobId })}
      />
    );

  return (
    <div className="restore">
      <h1>Restore</h1>
      <p>
        From the snapshot of <strong>{formatDate(r.snapshotTime)}</strong>:
      </p>
      <ul className="paths" aria-label="What to restore">
        {r.paths.map((p) => (
          <li key={p} className="path">
            {p}
          </li>
        ))}
      </ul>
      <fieldset>
        <legend>Restore to</legend>
        <label className="check">
          <input
            type="radio"
            name="where"
            checked={where === 'original'}
            onChange={() => setWhere('original')}
          />
          <span>Where they were backed up from</span>
        </label>
        <label className="check">
          <input
            type="radio"
            name="where"
            checked={where === 'folder'}
            onChange={() => setWhere('folder')}
          />
          <span>Another folder</span>
        </label>
        {where === 'folder' ? (
          <div className="row">
            <label className="field grow">
              <span>Folder</span>
              <input value={folder} onChange={(e) => setFolder(e.target.value)} />
            </label>
            <button type="button" onClick={() => void choose()}>
              Choose…
            </button>
          </div>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>When a file is already there</legend>
        {POLICIES.map((p) => (
          <label key={p.id} className="check">
            <input
              type="radio"
              name="conflict"
              checked={conflict === p.id}
              onChange={() => setConflict(p.id)}
            />
            <span>{p.label}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error ?? preview.error} />
      {preview.value ? (
        <PreviewList preview={preview.value} />
      ) : request ? (
        <p className="hint">Working out what would change…</p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={() => go({ screen: 'timeline', jobId: r.jobId })}>
          Back
        </button>
        <button
          type="button"
          className="primary"
          disabled={!preview.value}
          onClick={() => void start()}
        >
          Restore
        </button>
      </div>
    </div>
  );
}
