/** Search by name across every version of every snapshot (display + its own request). */
import { useState } from 'react';
import type { SearchHitView } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote, VirtualList, formatCount } from '../../components';

export function SearchPanel(props: {
  readonly destinationId: string;
  readonly onOpen: (hit: SearchHitView) => void;
}) {
  const [pattern, setPattern] = useState('');
  const [hits, setHits] = useState<readonly SearchHitView[] | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  const search = async (): Promise<void> => {
    if (!pattern.trim()) return;
    try {
      // A plain word finds names containing it; a glob is passed as typed.
      const glob = /[*?[]/.test(pattern) ? pattern.trim() : `*${pattern.trim()}*`;
      const r = await api().browse.search({ destinationId: props.destinationId, pattern: glob });
      setHits(r.hits);
      setError(null);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  return (
    <div className="search">
      <form
        role="search"
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <label className="field grow">
          <span>Search all versions by name</span>
          <input type="search" value={pattern} onChange={(e) => setPattern(e.target.value)} />
        </label>
        <button type="submit">Search</button>
      </form>
      <ErrorNote error={error} />
      {hits ? (
        <>
          <p role="status">{formatCount(hits.length, 'match', 'matches')}</p>
          <VirtualList
            label="Search results"
            count={hits.length}
            rowRem={2.25}
            heightRem={12}
            renderRow={(i) => {
              const h = hits[i]!;
              return (
                <button type="button" className="link" onClick={() => props.onOpen(h)}>
                  {h.path} ({formatCount(h.snapshots.length, 'snapshot', 'snapshots')})
                </button>
              );
            }}
          />
        </>
      ) : null}
    </div>
  );
}
