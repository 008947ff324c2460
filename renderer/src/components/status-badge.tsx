/** A job's or destination's state as a coloured word (colour is never the only signal). */
import type { JobState } from '../../../shared/contract';

const WORDS: Record<JobState, string> = {
  running: 'Backing up',
  failing: 'Failing',
  overdue: 'Overdue',
  warning: 'Warnings',
  ok: 'Up to date',
  never: 'Not backed up yet',
};

export function StatusBadge(props: { readonly state: JobState }) {
  return <span className={`badge badge-${props.state}`}>{WORDS[props.state]}</span>;
}
