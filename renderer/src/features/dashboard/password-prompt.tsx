/**
 * "Password needed": shown on a job's card when Strata does not know a destination's password
 * (it was not remembered and the app restarted). The password is checked by main
 * (jobs.setPassword opens the repository first), kept where the user chose, then the backup runs.
 */
import { useState, type FormEvent } from 'react';
import type { Destination } from '../../../../shared/jobs';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';

export function PasswordPrompt(props: {
  readonly jobId: string;
  readonly destination: Destination;
  readonly keychain: boolean;
}) {
  const { jobId, destination } = props;
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(props.keychain);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const id = `pw-${jobId}-${destination.id}`;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const destinationId = destination.id;
      await api().jobs.setPassword({ jobId, destinationId, password, remember });
      await api().jobs.runNow({ jobId });
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="password-needed" onSubmit={(e) => void submit(e)} aria-labelledby={id}>
      <h3 id={id}>Password needed</h3>
      <p className="hint">
        Strata does not know the password of {destination.label ?? destination.path}, so it cannot
        back up there or show its versions. Your backups are safe; enter the password to go on.
      </p>
      <label className="field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={remember && props.keychain}
          disabled={!props.keychain}
          onChange={(e) => setRemember(e.target.checked)}
        />
        <span>Remember in the keychain</span>
      </label>
      <ErrorNote error={error} />
      <button type="submit" className="primary" disabled={busy || password === ''}>
        {busy ? 'Checking…' : 'Unlock and back up'}
      </button>
    </form>
  );
}
