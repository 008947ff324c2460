/**
 * One folder of the chosen snapshot. The folder stays put when another snapshot is chosen
 * (Time Machine): only the listing changes. Display only; the timeline loads the entries.
 */
import type { FolderEntryView } from '../../../../shared/contract';
import { VirtualList, formatBytes, formatDate } from '../../components';
import { joinPath } from './group-snapshots';

export interface FileBrowserProps {
  readonly path: string;
  readonly entries: readonly FolderEntryView[] | null;
  readonly missing: boolean;
  readonly selected: ReadonlySet<string>;
  readonly onOpen: (path: string) => void;
  readonly onToggle: (path: string, on: boolean) => void;
  readonly onVersions: (path: string) => void;
}

export function FileBrowser(props: FileBrowserProps) {
  const parts = props.path.split('/').filter((p) => p !== '');
  const entries = [...(props.entries ?? [])].sort(
    (a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name),
  );
  return (
    <div className="browser">
      <nav aria-label="Folder path" className="crumbs">
        <button type="button" className="link" onClick={() => props.onOpen('/')}>
          /
        </button>
        {parts.map((p, i) => (
          <span key={i}>
            {i > 0 ? ' / ' : ''}
            <button
              type="button"
              className="link"
              onClick={() => props.onOpen('/' + parts.slice(0, i + 1).join('/'))}
            >
              {p}
            </button>
          </span>
        ))}
      </nav>
      {props.missing ? (
        <p className="notice notice-warn" role="status">
          This folder is not in this snapshot. Choose another snapshot, or go up a folder.
        </p>
      ) : props.entries === null ? (
        <p className="hint">Loading…</p>
      ) : entries.length === 0 ? (
        <p className="hint">This folder is empty in this snapshot.</p>
      ) : (
        <VirtualList
          label="Files and folders"
          testId="entries"
          count={entries.length}
          rowRem={2.25}
          heightRem={26}
          renderRow={(i) => {
            const e = entries[i]!;
            const path = joinPath(props.path, e.name);
            return (
              <div className="entry">
                <input
                  type="checkbox"
                  aria-label={`Select ${e.name}`}
                  checked={props.selected.has(path)}
                  onChange={(ev) => props.onToggle(path, ev.target.checked)}
                />
                {e.type === 'dir' ? (
                  <button type="button" className="link name" onClick={() => props.onOpen(path)}>
                    {e.name}/
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link name"
                    onClick={() => props.onVersions(path)}
                  >
                    {e.name}
                  </button>
                )}
                <span className="muted size">
                  {e.size !== null && e.type !== 'dir' ? formatBytes(e.size) : ''}
                </span>
                <span className="muted date">{e.mtime ? formatDate(e.mtime) : ''}</span>
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
