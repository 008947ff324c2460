/** The job's snapshots along time, grouped, newest first (display only). */
import { useState } from 'react';
import type { SnapshotView } from '../../../../shared/contract';
import { VirtualList, formatBytes, formatTime, formatDate } from '../../components';
import { groupSnapshots } from './group-snapshots';

export interface SnapshotListProps {
  readonly snapshots: readonly SnapshotView[];
  readonly selected: string | null;
  readonly onSelect: (snapshot: SnapshotView) => void;
}

export function SnapshotList(props: SnapshotListProps) {
  // The clock when the list opened: groups and "today's times" are relative to it (a render
  // must not read the clock; the timeline is reopened far more often than days pass).
  const [now] = useState(() => Date.now());
  const rows = groupSnapshots(props.snapshots, new Date(now));
  return (
    <VirtualList
      label="Snapshots"
      testId="snapshots"
      count={rows.length}
      rowRem={2.25}
      heightRem={30}
      renderRow={(i) => {
        const row = rows[i]!;
        if (row.kind === 'header') return <h3 className="group-head">{row.label}</h3>;
        const s = row.snapshot;
        const when =
          now - Date.parse(s.time) < 2 * 86400_000 ? formatTime(s.time) : formatDate(s.time, now);
        return (
          <button
            type="button"
            className={`snapshot${s.id === props.selected ? ' selected' : ''}`}
            aria-pressed={s.id === props.selected}
            onClick={() => props.onSelect(s)}
            title={`Snapshot ${s.id.slice(0, 8)}`}
          >
            <span>{when}</span>
            {s.pinned ? <span className="pin"> · pinned</span> : null}
            {s.bytesAdded !== undefined ? (
              <span className="muted"> · +{formatBytes(s.bytesAdded)}</span>
            ) : null}
          </button>
        );
      }}
    />
  );
}
