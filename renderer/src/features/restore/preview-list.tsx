/** What a restore would do, conflicts first (display only). */
import type { RestoreAction, RestorePreview } from '../../../../shared/contract';
import { VirtualList, formatBytes, formatCount } from '../../components';

const WORDS: Record<RestoreAction, string> = {
  create: 'new',
  overwrite: 'will be replaced',
  'keep-both': 'kept; the restored copy goes beside it',
  skip: 'skipped (newer than the backup)',
  same: 'already the same',
};

export function PreviewList(props: { readonly preview: RestorePreview }) {
  const p = props.preview;
  const a = p.actions;
  return (
    <div className="preview" data-testid="restore-preview">
      <p role="status">
        {formatCount(p.files, 'file', 'files')}, {formatBytes(p.bytes)}: {a.create} new,{' '}
        {a.overwrite} replaced, {a['keep-both']} kept beside, {a.skip} skipped, {a.same} unchanged.
      </p>
      {a.overwrite > 0 ? (
        <p className="notice notice-warn">
          {formatCount(a.overwrite, 'file', 'files')} will be overwritten. Their current content is
          lost unless it is in a backup.
        </p>
      ) : null}
      <VirtualList
        label="Files the restore touches"
        count={p.items.length}
        rowRem={1.75}
        heightRem={12}
        renderRow={(i) => {
          const it = p.items[i]!;
          return (
            // The name first and the folder in the tooltip: a long path must not hide the verdict.
            <span className={`item item-${it.action}`} title={it.path}>
              {it.path.split('/').pop()} — {WORDS[it.action]}
              {it.renamedTo ? `, as ${it.renamedTo.split('/').pop()}` : ''}
            </span>
          );
        }}
      />
      {p.truncated ? <p className="hint">The list is shortened; the counts are complete.</p> : null}
    </div>
  );
}
