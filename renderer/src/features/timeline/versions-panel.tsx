/** Every distinct version of one file, newest first, each restorable (display only). */
import type { FileVersionView } from '../../../../shared/contract';
import { formatBytes, formatDate, formatCount } from '../../components';

export interface VersionsPanelProps {
  readonly path: string;
  readonly versions: readonly FileVersionView[] | null;
  readonly onRestore: (version: FileVersionView) => void;
  readonly onClose: () => void;
}

export function VersionsPanel(props: VersionsPanelProps) {
  const versions = [...(props.versions ?? [])].reverse();
  return (
    <aside className="panel" aria-labelledby="versions-title" data-testid="versions">
      <div className="panel-head">
        <h2 id="versions-title">Versions of {props.path.split('/').pop()}</h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
      <p className="muted path">{props.path}</p>
      {props.versions === null ? (
        <p className="hint">Loading…</p>
      ) : (
        <>
          <p role="status">{formatCount(versions.length, 'version', 'versions')}</p>
          <ol className="versions">
            {versions.map((v, i) => (
              <li key={`${v.first}-${i}`} data-testid="version">
                <div>
                  <strong>{i === 0 ? 'Newest' : `Version ${versions.length - i}`}</strong> ·{' '}
                  {v.size !== null ? formatBytes(v.size) : ''}
                  {v.mtime ? ` · modified ${formatDate(v.mtime)}` : ''}
                </div>
                <div className="muted">
                  In {formatCount(v.snapshots.length, 'snapshot', 'snapshots')},{' '}
                  {formatDate(v.first)}
                  {v.first !== v.last ? ` to ${formatDate(v.last)}` : ''}
                </div>
                <button type="button" onClick={() => props.onRestore(v)}>
                  Restore this version…
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
