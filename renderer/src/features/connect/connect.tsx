/**
 * "Restore from a previous backup" (Déjà Dup's second door): the folder that holds an existing
 * Strata backup -> its password (a wrong one is said in place) -> what it holds -> a job
 * connected to it, with the folders to back up later -> the timeline, its snapshots read from
 * the repository, ready to restore. No new repository is made and nothing is backed up yet.
 */
import { useState } from 'react';
import type { DestinationCheck, RepositoryContents } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';
import { useStore } from '../../store';
import { connectBlocker, defaultName, defaultSources, toConnectedJob } from './connect-job';
import { RepositorySummary } from './repository-summary';

type Stage = 'where' | 'password' | 'contents';

/** The folder check in words: only a folder holding a backup lets the user go on. */
function folderVerdict(check: DestinationCheck | null): { text: string; ok: boolean } | null {
  if (!check) return null;
  if (check.repository) return { text: 'This folder holds a Strata backup.', ok: true };
  if (!check.exists)
    return {
      text: 'This folder does not exist. Is the drive connected? Check the path or choose the folder again.',
      ok: false,
    };
  return {
    text: 'There is no Strata backup in this folder. Choose the folder that holds one: it has a file named “config” and folders named “keys”, “snapshots” and “data”.',
    ok: false,
  };
}

export function Connect() {
  const go = useStore((s) => s.go);
  const jobs = useStore((s) => s.app?.jobs);
  const keychain = useStore((s) => s.app?.keychain);
  const [stage, setStage] = useState<Stage>('where');
  const [path, setPath] = useState('');
  const [check, setCheck] = useState<DestinationCheck | null>(null);
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);
  const [wrongPassword, setWrongPassword] = useState(false);
  const [contents, setContents] = useState<{ value: RepositoryContents; at: number } | null>(null);
  const [name, setName] = useState('');
  const [sources, setSources] = useState<readonly string[]>([]);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);

  const checkFolder = async (folder: string): Promise<void> => {
    setCheck(null);
    if (!folder.trim()) return;
    try {
      setCheck(await api().destinations.check({ path: folder.trim() }));
      setError(null);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const chooseFolder = async (): Promise<void> => {
    try {
      const picked = await api().dialog.pickFolder({ title: 'Choose the folder of your backup' });
      if (!picked.path) return;
      setPath(picked.path);
      await checkFolder(picked.path);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const unlock = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setWrongPassword(false);
    try {
      const value = await api().repository.inspect({ path: path.trim(), password });
      setContents({ value, at: Date.now() });
      setSources(defaultSources(value));
      setName(defaultName(value));
      setStage('contents');
    } catch (err) {
      const shown = toShownError(err);
      if (shown.code === 'WRONG_PASSWORD') setWrongPassword(true);
      else setError(shown);
    } finally {
      setBusy(false);
    }
  };

  const addSource = async (): Promise<void> => {
    try {
      const picked = await api().dialog.pickFolder({ title: 'Choose a folder to back up' });
      if (picked.path && !sources.includes(picked.path)) setSources([...sources, picked.path]);
    } catch (err) {
      setError(toShownError(err));
    }
  };

  const choice = { path, name, sources };
  const stop = connectBlocker(choice);
  const connect = async (): Promise<void> => {
    setTried(true);
    if (stop) return;
    setBusy(true);
    setError(null);
    try {
      const job = toConnectedJob(
        choice,
        (jobs ?? []).map((j) => j.job.id),
      );
      const saved = await api().jobs.create({ job, password, remember, createRepository: false });
      const destinationId = saved.job.destinations[0]!.id;
      // Read the snapshots from the repository into this computer's catalog.
      await api().snapshots.refresh({ jobId: saved.job.id, destinationId });
      go({ screen: 'timeline', jobId: saved.job.id });
    } catch (err) {
      setError(toShownError(err));
      setBusy(false);
    }
  };

  const verdict = folderVerdict(check);
  const all = contents ? [...new Set([...contents.value.newestPaths.here, ...sources])] : [];
  return (
    <div className="wizard">
      <h1>Connect to an existing backup</h1>
      {stage === 'where' ? (
        <section aria-labelledby="connect-where">
          <h2 id="connect-where">Where is the backup?</h2>
          <p className="hint">
            Connect the backup drive, then choose the folder Strata wrote the backup to.
          </p>
          <div className="row">
            <label className="field grow">
              <span>Folder</span>
              <input
                value={path}
                onChange={(e) => {
                  setPath(e.target.value);
                  setCheck(null);
                }}
                onBlur={(e) => void checkFolder(e.target.value)}
                placeholder="/media/backup-drive/strata"
                aria-describedby="connect-verdict"
                aria-invalid={verdict ? !verdict.ok : undefined}
              />
            </label>
            <button type="button" onClick={() => void chooseFolder()}>
              Choose…
            </button>
          </div>
          <p
            id="connect-verdict"
            className={verdict && !verdict.ok ? 'field-error' : 'hint'}
            role="status"
          >
            {verdict?.text ?? ''}
          </p>
        </section>
      ) : null}
      {stage === 'password' ? (
        <section aria-labelledby="connect-password">
          <h2 id="connect-password">Unlock the backup</h2>
          <p className="hint">
            Type the password this backup was created with (or its recovery key).
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (password) void unlock();
            }}
          >
            <label className="field">
              <span>Password</span>
              <input
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setWrongPassword(false);
                }}
                aria-invalid={wrongPassword}
                aria-describedby="connect-password-error"
              />
            </label>
            <p id="connect-password-error" className="field-error" role="alert">
              {wrongPassword
                ? 'This password does not open the backup. Type it again: it is the one chosen when the backup was created, and letters are case-sensitive. Nothing was changed.'
                : ''}
            </p>
            <label className="check">
              <input
                type="checkbox"
                checked={remember && keychain?.available !== false}
                disabled={keychain?.available === false}
                onChange={(e) => setRemember(e.target.checked)}
              />
              <span>Remember the password in this computer’s keychain</span>
            </label>
          </form>
        </section>
      ) : null}
      {stage === 'contents' && contents ? (
        <section aria-labelledby="connect-contents">
          <h2 id="connect-contents">What this backup holds</h2>
          <RepositorySummary contents={contents.value} now={contents.at} />
          <label className="field">
            <span>Name of this backup</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <fieldset>
            <legend>Folders on this computer to back up to it later</legend>
            {all.map((p) => (
              <label key={p} className="check">
                <input
                  type="checkbox"
                  checked={sources.includes(p)}
                  onChange={(e) =>
                    setSources(e.target.checked ? [...sources, p] : sources.filter((x) => x !== p))
                  }
                />
                <span className="path">{p}</span>
              </label>
            ))}
            {contents.value.newestPaths.missing.map((p) => (
              <p key={p} className="hint">
                <span className="path">{p}</span> is not on this computer: restore it from the
                timeline, or choose where it lives here.
              </p>
            ))}
            <button type="button" onClick={() => void addSource()}>
              Add a folder…
            </button>
          </fieldset>
          <p className="hint">
            Strata backs up only when you ask until you choose a schedule (Edit on the dashboard),
            and it keeps every snapshot already in the backup.
          </p>
        </section>
      ) : null}
      <ErrorNote error={error} title="The backup could not be opened." />
      {tried && stop && stage === 'contents' ? (
        <p className="field-error" role="alert">
          {stop}
        </p>
      ) : null}
      <div className="wizard-nav">
        <button type="button" onClick={() => go({ screen: 'dashboard' })}>
          Cancel
        </button>
        <span className="spacer" />
        {stage !== 'where' ? (
          <button
            type="button"
            onClick={() => setStage(stage === 'contents' ? 'password' : 'where')}
          >
            Back
          </button>
        ) : null}
        {stage === 'where' ? (
          <button
            type="button"
            className="primary"
            disabled={!verdict?.ok}
            onClick={() => setStage('password')}
          >
            Next
          </button>
        ) : stage === 'password' ? (
          <button
            type="button"
            className="primary"
            disabled={!password || busy}
            onClick={() => void unlock()}
          >
            {busy ? 'Opening…' : 'Unlock'}
          </button>
        ) : (
          <button type="button" className="primary" disabled={busy} onClick={() => void connect()}>
            {busy ? 'Connecting…' : 'Connect and browse'}
          </button>
        )}
      </div>
    </div>
  );
}
