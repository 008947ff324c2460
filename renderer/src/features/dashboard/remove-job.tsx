/**
 * "Remove" on a job's card, asked once more in place: the job and its schedule go, the backups
 * already in its destinations stay (they can be connected to again, or restored from).
 */
import { useState } from 'react';
import type { Job } from '../../../../shared/jobs';

export function RemoveJob(props: { readonly job: Job; readonly onRemove: () => void }) {
  const [asking, setAsking] = useState(false);
  const { job } = props;
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Remove…
      </button>
    );
  const where = job.destinations.map((d) => d.label ?? d.path).join(', ');
  return (
    <div className="confirm" role="alertdialog" aria-label={`Remove ${job.name}?`}>
      <p>
        Remove the backup job “{job.name}”? Strata stops backing up these folders. The backups
        already made in {where} are kept: you can restore from them or connect to them again.
      </p>
      <button type="button" className="danger" onClick={props.onRemove}>
        Remove the job
      </button>
      <button type="button" autoFocus onClick={() => setAsking(false)}>
        Keep it
      </button>
    </div>
  );
}
