/**
 * Step 5: what to keep, with a preview of what the policy would keep and remove over a sample
 * history (Pika Backup's cleanup preview), before anything can ever be deleted.
 */
import { useEffect, useState } from 'react';
import { RETENTION_PRESETS } from '../../../../shared/retention-presets';
import type { RetentionPreview } from '../../../../shared/contract';
import { api, toShownError, type ShownError } from '../../api';
import { ErrorNote, VirtualList, formatDate } from '../../components';
import { toRetention } from './job-draft';
import { useWizard } from './wizard-store';

export function StepKeep() {
  const retention = useWizard((s) => s.draft.retention);
  const update = useWizard((s) => s.update);
  const [preview, setPreview] = useState<RetentionPreview | null>(null);
  const [error, setError] = useState<ShownError | null>(null);

  useEffect(() => {
    let current = true;
    api()
      .retention.preview({ retention: toRetention(retention) })
      .then((p) => current && (setPreview(p), setError(null)))
      .catch((err) => current && setError(toShownError(err)));
    return () => {
      current = false;
    };
  }, [retention]);

  const options = [
    ...RETENTION_PRESETS.map((p) => ({ id: p.id, label: p.label, description: p.description })),
    {
      id: 'keep-all',
      label: 'Keep everything',
      description: 'Never remove a backup: the destination only grows.',
    },
  ];
  return (
    <section aria-labelledby="step-keep">
      <h2 id="step-keep">How many old versions to keep?</h2>
      <fieldset>
        <legend>Keep</legend>
        {options.map((o) => (
          <label key={o.id} className="check">
            <input
              type="radio"
              name="retention"
              checked={retention === o.id}
              onChange={() => update({ retention: o.id })}
            />
            <span>
              <strong>{o.label}</strong> — {o.description}
            </span>
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      {preview ? (
        <div className="keep-preview">
          <p role="status">
            Over {preview.source === 'sample' ? 'an example history of' : ''}{' '}
            {preview.verdicts.length} backups, this keeps <strong>{preview.kept}</strong> and
            removes <strong>{preview.removed}</strong>. {preview.description}
          </p>
          <VirtualList
            label="Preview of kept and removed backups"
            count={preview.verdicts.length}
            rowRem={1.75}
            heightRem={12}
            renderRow={(i) => {
              const v = preview.verdicts[i]!;
              return (
                <span className={v.keep ? 'kept' : 'removed'}>
                  {formatDate(v.time)} — {v.keep ? `kept (${v.reasons.join(', ')})` : 'removed'}
                </span>
              );
            }}
          />
        </div>
      ) : null}
    </section>
  );
}
