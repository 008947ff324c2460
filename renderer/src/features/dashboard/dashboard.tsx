/**
 * The dashboard: one card per job, or, on first run, a welcome with two doors (Déjà Dup):
 * create a first backup, or restore from one made before.
 */
import { useState } from 'react';
import { api, toShownError, type ShownError } from '../../api';
import { useStore } from '../../store';
import { JobCard } from './job-card';

export function Dashboard() {
  const app = useStore((s) => s.app);
  const lastResults = useStore((s) => s.lastResults);
  const liveLogs = useStore((s) => s.liveLogs);
  const go = useStore((s) => s.go);
  const [errors, setErrors] = useState<Record<string, ShownError | null>>({});

  if (!app) return null;
  if (app.jobs.length === 0)
    return (
      <Welcome
        onNew={() => go({ screen: 'wizard', intent: 'new' })}
        onConnect={() => go({ screen: 'connect' })}
      />
    );

  const act = (jobId: string, action: () => Promise<unknown>): void => {
    setErrors((e) => ({ ...e, [jobId]: null }));
    action().catch((err) => setErrors((e) => ({ ...e, [jobId]: toShownError(err) })));
  };

  return (
    <div className="dashboard">
      <div className="page-head">
        <h1>Backups</h1>
        <button type="button" onClick={() => go({ screen: 'connect' })}>
          Connect to an existing backup…
        </button>
        <button type="button" onClick={() => go({ screen: 'wizard', intent: 'new' })}>
          New backup…
        </button>
      </div>
      <div className="cards">
        {app.jobs.map((view) => {
          const jobId = view.job.id;
          return (
            <JobCard
              key={jobId}
              view={view}
              lastResult={lastResults[jobId]}
              liveLog={liveLogs[jobId] ?? []}
              actionError={errors[jobId] ?? null}
              onRunNow={() => act(jobId, () => api().jobs.runNow({ jobId }))}
              onCancel={() => act(jobId, () => api().jobs.cancel({ jobId }))}
              onPause={(pause) =>
                act(jobId, () =>
                  pause ? api().jobs.pause({ jobId }) : api().jobs.resume({ jobId }),
                )
              }
              onBrowse={() => go({ screen: 'timeline', jobId })}
              keychain={app.keychain.available}
              onEdit={() => go({ screen: 'wizard', intent: 'edit', jobId })}
              onRemove={() => act(jobId, () => api().jobs.remove({ jobId }))}
            />
          );
        })}
      </div>
    </div>
  );
}

function Welcome(props: { readonly onNew: () => void; readonly onConnect: () => void }) {
  return (
    <div className="welcome">
      <h1>Welcome to Strata</h1>
      <p>Strata keeps encrypted copies of your files, and lets you go back to any of them.</p>
      <div className="doors">
        <button type="button" className="door primary" onClick={props.onNew}>
          <strong>Create your first backup</strong>
          <span>Choose folders, a drive and a schedule.</span>
        </button>
        <button type="button" className="door" onClick={props.onConnect}>
          <strong>Restore from a previous backup</strong>
          <span>Use a backup drive and its password, for example on a new computer.</span>
        </button>
      </div>
    </div>
  );
}
