/** Step 6: everything at a glance, the hooks (advanced), and the equivalent command. */
import { RETENTION_PRESETS } from '../../../../shared/retention-presets';
import { formatBytes } from '../../components';
import { scheduleWords, toSchedule } from './schedule';
import { toCommand } from './job-draft';
import { allExcludes, useWizard } from './wizard-store';

export function StepReview() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const keep = RETENTION_PRESETS.find((p) => p.id === draft.retention)?.label ?? 'Keep everything';
  const excludes = allExcludes(draft);
  return (
    <section aria-labelledby="step-review">
      <h2 id="step-review">Check and create</h2>
      <dl className="review">
        <dt>Name</dt>
        <dd>{draft.name}</dd>
        <dt>Back up</dt>
        <dd>
          {draft.sources.join(', ')}
          {draft.preview ? ` (${formatBytes(draft.preview.bytes)})` : ''}
        </dd>
        <dt>Leave out</dt>
        <dd>{excludes.length > 0 ? excludes.join(', ') : 'nothing'}</dd>
        <dt>To</dt>
        <dd>{draft.destinationPath}</dd>
        <dt>Password</dt>
        <dd>{draft.remember ? 'saved in the keychain' : 'asked for when needed'}</dd>
        <dt>When</dt>
        <dd>
          {scheduleWords(toSchedule(draft))}; warn after {draft.rpoHours} hours without a backup
        </dd>
        <dt>Keep</dt>
        <dd>{keep}</dd>
      </dl>
      <details>
        <summary>Advanced: run a command before or after each backup</summary>
        <p className="hint">
          Use these to stop or flush a database or a service so its files are consistent. If the
          command before fails, the backup is not made and you are told why.
        </p>
        <label className="field">
          <span>Before the backup</span>
          <input
            value={draft.beforeHook}
            onChange={(e) => update({ beforeHook: e.target.value })}
            placeholder="pg_dump mydb > ~/Documents/db.sql"
          />
        </label>
        <label className="field">
          <span>After the backup</span>
          <input value={draft.afterHook} onChange={(e) => update({ afterHook: e.target.value })} />
        </label>
      </details>
      <details>
        <summary>The same as a command</summary>
        <pre className="command">{toCommand(draft)}</pre>
      </details>
    </section>
  );
}
