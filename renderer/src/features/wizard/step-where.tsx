/**
 * Step 2: where the copies go. A list of destination types, each with its own form (KopiaUI):
 * SFTP, S3 and rclone slot in as more entries.
 */
import { useState } from 'react';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';
import { describeCheck } from './where-check';
import { useStore } from '../../store';
import { useWizard } from './wizard-store';

const TYPES = [
  { id: 'local', label: 'A folder or drive on this computer', ready: true },
  { id: 'sftp', label: 'A server over SFTP', ready: false },
  { id: 's3', label: 'S3-compatible cloud storage', ready: false },
  { id: 'rclone', label: 'Any rclone remote', ready: false },
] as const;

export function StepWhere() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const go = useStore((s) => s.go);
  const [error, setError] = useState<ShownError | null>(null);

  const check = async (path: string): Promise<void> => {
    if (!path.trim()) return update({ check: null });
    try {
      update({ check: await api().destinations.check({ path: path.trim() }) });
      setError(null);
    } catch (err) {
      update({ check: null });
      setError(toShownError(err));
    }
  };

  const choose = async (): Promise<void> => {
    try {
      const { path } = await api().dialog.pickFolder({ title: 'Choose where to keep the backup' });
      if (!path) return;
      update({ destinationPath: path });
      await check(path);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const verdict = draft.check ? describeCheck(draft.check) : null;
  return (
    <section aria-labelledby="step-where">
      <h2 id="step-where">Where should the backup go?</h2>
      <fieldset>
        <legend>Kind of destination</legend>
        {TYPES.map((t) => (
          <label key={t.id} className="check">
            <input
              type="radio"
              name="destination-type"
              checked={draft.destinationType === t.id}
              disabled={!t.ready}
              onChange={() => t.id === 'local' && update({ destinationType: t.id })}
            />
            <span>
              {t.label}
              {t.ready ? '' : ' (coming soon)'}
            </span>
          </label>
        ))}
      </fieldset>
      <div className="row">
        <label className="field grow">
          <span>Folder</span>
          <input
            value={draft.destinationPath}
            onChange={(e) => update({ destinationPath: e.target.value, check: null })}
            onBlur={(e) => void check(e.target.value)}
            placeholder="/media/backup-drive/strata"
            aria-describedby="where-verdict"
          />
        </label>
        <button type="button" onClick={() => void choose()}>
          Choose…
        </button>
      </div>
      <p
        id="where-verdict"
        className={verdict && !verdict.ok ? 'field-error' : 'hint'}
        role="status"
      >
        {verdict
          ? verdict.text
          : 'An external drive keeps your backup safe if this computer fails.'}
      </p>
      {draft.check?.repository ? (
        <p className="hint">
          To restore from this backup rather than add to it,{' '}
          <button
            type="button"
            className="link"
            onClick={() => go({ screen: 'connect', path: draft.destinationPath.trim() })}
          >
            connect to it instead
          </button>
          .
        </p>
      ) : null}
      <ErrorNote error={error} />
      <label className="field">
        <span>Name it (optional)</span>
        <input
          value={draft.destinationLabel}
          onChange={(e) => update({ destinationLabel: e.target.value })}
          placeholder="Backup drive"
        />
      </label>
    </section>
  );
}
