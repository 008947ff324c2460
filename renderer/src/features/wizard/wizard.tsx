/**
 * The setup wizard (first run and "New backup"): what -> where -> protection -> when -> keep ->
 * review, then it creates the job, shows the new backup's recovery key once, starts the first
 * backup, and shows the dashboard with the live progress.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote } from '../../components';
import { useStore } from '../../store';
import { fromJob, toEditedJob } from './edit-draft';
import { toJob } from './job-draft';
import { RecoveryKey } from './recovery-key';
import { StepKeep } from './step-keep';
import { StepProtection } from './step-protection';
import { StepReview } from './step-review';
import { StepWhat } from './step-what';
import { StepWhen } from './step-when';
import { StepWhere } from './step-where';
import { blocker } from './validate';
import { STEPS, useWizard, type Step } from './wizard-store';

const TITLES: Record<Step, string> = {
  what: 'What',
  where: 'Where',
  protection: 'Password',
  when: 'When',
  keep: 'Keep',
  review: 'Review',
};

const HEADINGS = {
  new: 'New backup',
  edit: 'Edit backup',
} as const;

const BODIES: Record<Step, () => ReactNode> = {
  what: StepWhat,
  where: StepWhere,
  protection: StepProtection,
  when: StepWhen,
  keep: StepKeep,
  review: StepReview,
};

/** Editing skips where and the password: the destination and its key stay as they are. */
const EDIT_STEPS: readonly Step[] = STEPS.filter((s) => s !== 'where' && s !== 'protection');

export function Wizard(props: { readonly intent: 'new' | 'edit'; readonly jobId?: string }) {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const reset = useWizard((s) => s.reset);
  const go = useStore((s) => s.go);
  const jobs = useStore((s) => s.app?.jobs);
  const [error, setError] = useState<ShownError | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  /** After creation: the recovery key to show once, and the job to start when it is saved. */
  const [created, setCreated] = useState<{ jobId: string; key: string } | null>(null);
  const heading = useRef<HTMLDivElement>(null);

  const editing =
    props.intent === 'edit' ? jobs?.find((j) => j.job.id === props.jobId)?.job : undefined;
  const steps = props.intent === 'edit' ? EDIT_STEPS : STEPS;
  // The draft starts once per job, not again when the job list reloads: the job is read from
  // the store when the wizard opens, not followed.
  useEffect(() => {
    const job =
      props.intent === 'edit'
        ? useStore.getState().app?.jobs.find((j) => j.job.id === props.jobId)?.job
        : undefined;
    reset(job ? fromJob(job) : undefined);
  }, [reset, props.intent, props.jobId]);
  // Move focus to the new step so keyboard and screen-reader users start at its top.
  useEffect(() => heading.current?.focus(), [draft.step]);

  const index = steps.indexOf(draft.step);
  const stop = blocker(draft.step, draft);
  const Body = BODIES[draft.step];

  const next = (): void => {
    setTried(true);
    if (stop) return;
    setTried(false);
    update({ step: steps[index + 1] ?? draft.step });
  };

  const start = async (jobId: string): Promise<void> => {
    await api().jobs.runNow({ jobId });
    go({ screen: 'dashboard' });
  };

  const create = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      if (editing) {
        await api().jobs.update({ job: toEditedJob(editing, draft) });
        go({ screen: 'dashboard' });
        return;
      }
      const job = toJob(
        draft,
        (jobs ?? []).map((j) => j.job.id),
      );
      const saved = await api().jobs.create({
        job,
        password: draft.password,
        remember: draft.remember,
        createRepository: draft.check?.repository !== true,
      });
      const key = saved.destinations.find((d) => d.recoveryKey)?.recoveryKey;
      if (key) setCreated({ jobId: saved.job.id, key });
      else await start(saved.job.id);
    } catch (err) {
      const shown = toShownError(err);
      setError(shown);
      // Take the user to the step where the fix is made.
      if (shown.code === 'WRONG_PASSWORD') update({ step: 'protection' });
      else if (shown.field?.includes('destinations')) update({ step: 'where' });
      else if (shown.field?.includes('sources')) update({ step: 'what' });
    } finally {
      setBusy(false);
    }
  };

  if (created)
    return (
      <div className="wizard">
        <RecoveryKey
          value={created.key}
          onDone={() => void start(created.jobId).catch((err) => setError(toShownError(err)))}
        />
        <ErrorNote error={error} title="The first backup could not be started." />
      </div>
    );

  return (
    <div className="wizard">
      <h1>{HEADINGS[props.intent]}</h1>
      <ol className="steps" aria-label="Steps">
        {steps.map((s, i) => (
          <li
            key={s}
            aria-current={s === draft.step ? 'step' : undefined}
            className={i < index ? 'done' : ''}
          >
            {i + 1}. {TITLES[s]}
          </li>
        ))}
      </ol>
      <div ref={heading} className="step-body" tabIndex={-1}>
        <Body />
      </div>
      <ErrorNote error={error} title="The backup could not be created." />
      {tried && stop ? (
        <p className="field-error" role="alert">
          {stop}
        </p>
      ) : null}
      <div className="wizard-nav">
        <button type="button" onClick={() => go({ screen: 'dashboard' })}>
          Cancel
        </button>
        <span className="spacer" />
        {index > 0 ? (
          <button type="button" onClick={() => update({ step: steps[index - 1]! })}>
            Back
          </button>
        ) : null}
        {draft.step === 'review' ? (
          <button type="button" className="primary" disabled={busy} onClick={() => void create()}>
            {busy ? 'Saving…' : editing ? 'Save changes' : 'Create and back up now'}
          </button>
        ) : (
          <button type="button" className="primary" onClick={next}>
            Next
          </button>
        )}
      </div>
    </div>
  );
}
