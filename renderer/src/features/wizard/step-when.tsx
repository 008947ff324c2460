/** Step 4: how often, and the recovery point objective it implies. */
import { DAY_NAMES, describeRpo, impliedRpoHours } from './schedule';
import { useWizard, type Frequency } from './wizard-store';

const CHOICES: { id: Frequency; label: string }[] = [
  { id: 'hourly', label: 'Every hour' },
  { id: 'daily', label: 'Every day' },
  { id: 'weekly', label: 'Every week' },
  { id: 'custom', label: 'Custom interval' },
  { id: 'manual', label: 'Only when I ask' },
];

export function StepWhen() {
  const draft = useWizard((s) => s.draft);
  const update = useWizard((s) => s.update);
  const pick = (frequency: Frequency, customMinutes = draft.customMinutes): void =>
    update({ frequency, customMinutes, rpoHours: impliedRpoHours(frequency, customMinutes) });

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
              onChange={() => pick(c.id)}
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
        <label className="field narrow">
          <span>Every (minutes, at least 5)</span>
          <input
            type="number"
            min={5}
            value={draft.customMinutes}
            onChange={(e) => pick('custom', Math.max(5, Number(e.target.value) || 5))}
          />
        </label>
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
