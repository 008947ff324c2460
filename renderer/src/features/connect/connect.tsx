/**
 * "Restore from a previous backup" (Déjà Dup's second door): the folder that holds an existing
 * Strata backup -> its password (a wrong one is said in place) -> what it holds -> a job
 * connected to it, with the folders to back up later -> the timeline, its snapshots read from
 * the repository, ready to restore. No new repository is made and nothing is backed up yet.
 */
import { useEffect, useState } from 'react';
import type { DestinationCheck, RepositoryContents } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';
import { useStore } from '../../store';
import { connectBlocker, defaultName, defaultSources, toConnectedJob } from './connect-job';
import { ContentsForm, UnlockForm } from './connect-forms';

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

/** The connect screen; `path` starts it at a folder chosen elsewhere (the wizard's). */
export function Connect(props: { readonly path?: string }) {
  const go = useStore((s) => s.go);
  const jobs = useStore((s) => s.app?.jobs);
  const keychain = useStore((s) => s.app?.keychain);
  const [stage, setStage] = useState<Stage>('where');
  const [path, setPath] = useState(props.path ?? '');
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

  // A folder handed over by the wizard is checked once, as if it had been chosen here.
  useEffect(() => {
    if (!props.path) return;
    let current = true;
    api()
      .destinations.check({ path: props.path })
      .then((c) => current && setCheck(c))
      .catch((err) => current && setError(toShownError(err)));
    return () => {
      current = false;
    };
  }, [props.path]);

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
        <UnlockForm
          password={password}
          wrong={wrongPassword}
          remember={remember}
          keychainAvailable={keychain?.available !== false}
          onPassword={(value) => {
            setPassword(value);
            setWrongPassword(false);
          }}
          onRemember={setRemember}
          onSubmit={() => void unlock()}
        />
      ) : null}
      {stage === 'contents' && contents ? (
        <ContentsForm
          contents={contents.value}
          readAt={contents.at}
          name={name}
          sources={sources}
          onName={setName}
          onSources={setSources}
          onAddFolder={() => void addSource()}
        />
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
