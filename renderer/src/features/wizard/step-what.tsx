/** Step 1: which folders to back up, what to leave out, and how big it is. */
import { useEffect, useState } from 'react';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote, baseName, formatBytes, formatCount } from '../../components';
import { allExcludes, useWizard } from './wizard-store';

export function StepWhat() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const [error, setError] = useState<ShownError | null>(null);
  const excludes = allExcludes(draft);
  const excludeKey = excludes.join('\n');
  // The sources and exclusions last sized: sizing is under way while they differ from now's.
  const [sized, setSized] = useState<string | null>(null);
  const sizeKey = JSON.stringify([draft.sources, excludeKey]);
  const sizing = draft.sources.length > 0 && sized !== sizeKey;

  // Size the sources whenever they or the exclusions change: progress then has a real total.
  useEffect(() => {
    if (draft.sources.length === 0) return;
    let current = true;
    api()
      .sources.preview({
        paths: [...draft.sources],
        excludes: excludeKey ? excludeKey.split('\n') : [],
      })
      .then((preview) => current && (update({ preview }), setError(null)))
      .catch((err) => current && setError(toShownError(err)))
      .finally(() => current && setSized(JSON.stringify([draft.sources, excludeKey])));
    return () => {
      current = false;
    };
  }, [draft.sources, excludeKey, update]);

  const addFolder = async (): Promise<void> => {
    try {
      const { path } = await api().dialog.pickFolder({ title: 'Choose a folder to back up' });
      if (!path || draft.sources.includes(path)) return;
      const sources = [...draft.sources, path];
      update({ sources, name: draft.name || baseName(path) });
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const toggle = (pattern: string, on: boolean): void =>
    update({
      excludes: on ? [...draft.excludes, pattern] : draft.excludes.filter((p) => p !== pattern),
    });

  const p = draft.preview;
  return (
    <section aria-labelledby="step-what">
      <h2 id="step-what">What do you want to back up?</h2>
      <ul className="source-list" aria-label="Folders to back up">
        {draft.sources.map((s) => (
          <li key={s}>
            <span className="path">{s}</span>
            <button
              type="button"
              className="link"
              onClick={() => update({ sources: draft.sources.filter((x) => x !== s) })}
            >
              Remove<span className="sr-only"> {s}</span>
            </button>
          </li>
        ))}
      </ul>
      <button type="button" onClick={() => void addFolder()}>
        Add a folder…
      </button>
      <ErrorNote error={error} />
      {p && draft.sources.length > 0 ? (
        <p className="size-preview" aria-live="polite">
          {sizing ? 'Measuring… ' : ''}
          {formatCount(p.files, 'file', 'files')} in {formatCount(p.folders, 'folder', 'folders')},{' '}
          {formatBytes(p.bytes)}
          {p.truncated ? ' (at least: the folders are very large)' : ''}.
          {p.missing.length > 0 ? ` Not found: ${p.missing.join(', ')}.` : ''}
          {p.unreadable.length > 0 ? ` ${p.unreadable.length} items cannot be read.` : ''}
        </p>
      ) : null}
      {p && p.suggestions.length > 0 ? (
        <fieldset>
          <legend>Suggested to leave out</legend>
          {p.suggestions.map((s) => (
            <label key={s.pattern} className="check">
              <input
                type="checkbox"
                checked={draft.excludes.includes(s.pattern)}
                onChange={(e) => toggle(s.pattern, e.target.checked)}
              />
              <span>
                <code>{s.pattern}</code> — {s.reason} ({formatBytes(s.bytes)},{' '}
                {formatCount(s.files, 'file', 'files')})
              </span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <label className="field">
        <span>More to leave out, one pattern per line (like .gitignore)</span>
        <textarea
          rows={3}
          value={draft.excludeText}
          onChange={(e) => update({ excludeText: e.target.value })}
          placeholder={'*.tmp\n/Downloads'}
        />
      </label>
      <label className="field">
        <span>Name of this backup</span>
        <input value={draft.name} onChange={(e) => update({ name: e.target.value })} />
      </label>
    </section>
  );
}
