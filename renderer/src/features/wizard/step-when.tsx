/**
 * Step 4: how often, and the recovery point objective it implies. The custom choice takes an
 * interval in minutes or a cron expression; the cron one previews its next runs as it is typed.
 */
import { useMemo, useState } from 'react';
import { CronField } from './cron-field';
import { localTimeZone, previewCron } from './cron-preview';
import { DAY_NAMES, describeRpo, impliedRpoHours } from './schedule';
import { useWizard, type Draft, type Frequency } from './wizard-store';

const CHOICES: { id: Frequency; label: string }[] = [
  { id: 'hourly', label: 'Every hour' },
  { id: 'daily', label: 'Every day' },
  { id: 'weekly', label: 'Every week' },
  { id: 'custom', label: 'Custom: minutes or cron' },
  { id: 'manual', label: 'Only when I ask' },
];

export function StepWhen() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  // The zone and the clock when the step opened: the preview counts from them (a render must
  // not read the clock, and a few minutes' drift does not change which runs come next).
  const [timeZone] = useState(localTimeZone);
  const [now] = useState(() => Date.now());
  // Recomputed when the expression changes, not on every render of the step.
  const preview = useMemo(
    () => previewCron(draft.cron, now, timeZone),
    [draft.cron, now, timeZone],
  );
  /** Applies a change to the "when" fields and the RPO they imply. */
  const choose = (
    patch: Partial<Pick<Draft, 'frequency' | 'customMinutes' | 'customKind' | 'cron'>>,
  ): void => {
    const next = { ...draft, ...patch };
    let rpoHours = impliedRpoHours(next.frequency, next.customMinutes);
    if (next.frequency === 'custom' && next.customKind === 'cron') {
      const p = previewCron(next.cron, now, timeZone);
      // While the expression is invalid the RPO stays as it was.
      rpoHours = p.ok ? p.rpoHours : draft.rpoHours;
    }
    update({ ...patch, rpoHours });
  };
  const cron = draft.frequency === 'custom' && draft.customKind === 'cron';

  return (
    <section aria-labelledby="step-when">
      <h2 id="step-when">When should it run?</h2>
      <fieldset>
        <legend>How often</legend>
        {CHOICES.map((c) => (
          <label key={c.id} className="check">
            <input
              type="radio"
              name="frequency"
              checked={draft.frequency === c.id}
              onChange={() => choose({ frequency: c.id })}
            />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
      {draft.frequency === 'daily' || draft.frequency === 'weekly' ? (
        <label className="field narrow">
          <span>At</span>
          <input type="time" value={draft.at} onChange={(e) => update({ at: e.target.value })} />
        </label>
      ) : null}
      {draft.frequency === 'weekly' ? (
        <fieldset>
          <legend>On</legend>
          <div className="wrap">
            {DAY_NAMES.map((name, day) => (
              <label key={name} className="check">
                <input
                  type="checkbox"
                  checked={draft.days.includes(day)}
                  onChange={(e) =>
                    update({
                      days: e.target.checked
                        ? [...draft.days, day]
                        : draft.days.filter((d) => d !== day),
                    })
                  }
                />
                <span>{name}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : null}
      {draft.frequency === 'custom' ? (
        <fieldset>
          <legend>Custom schedule</legend>
          <label className="check">
            <input
              type="radio"
              name="custom-kind"
              checked={draft.customKind === 'interval'}
              onChange={() => choose({ customKind: 'interval' })}
            />
            <span>Every few minutes</span>
          </label>
          <label className="check">
            <input
              type="radio"
              name="custom-kind"
              checked={draft.customKind === 'cron'}
              onChange={() => choose({ customKind: 'cron' })}
            />
            <span>A cron expression</span>
          </label>
          {cron ? (
            <CronField
              value={draft.cron}
              preview={preview}
              timeZone={timeZone}
              onChange={(value) => choose({ cron: value })}
            />
          ) : (
            <label className="field narrow">
              <span>Every (minutes, at least 5)</span>
              <input
                type="number"
                min={5}
                value={draft.customMinutes}
                onChange={(e) =>
                  choose({ customMinutes: Math.max(5, Number(e.target.value) || 5) })
                }
              />
            </label>
          )}
        </fieldset>
      ) : null}
      <p className="rpo" role="status">
        {describeRpo(draft.frequency, draft.rpoHours)}
      </p>
      <label className="field narrow">
        <span>Warn me when the newest backup is older than (hours)</span>
        <input
          type="number"
          min={1}
          value={draft.rpoHours}
          onChange={(e) => update({ rpoHours: Math.max(1, Number(e.target.value) || 1) })}
        />
      </label>
    </section>
  );
}
