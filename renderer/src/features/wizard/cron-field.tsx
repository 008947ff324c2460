/**
 * The cron expression box of the "when" step: checked as the user types, the error shown under
 * the box (and tied to it for screen readers), else the next runs on the user's clock and how
 * much work a failure could cost. Display only: the step owns the draft.
 */
import { formatDate, formatDuration } from '../../components';
import type { CronPreview } from './cron-preview';

export function CronField(props: {
  readonly value: string;
  readonly preview: CronPreview;
  readonly timeZone: string;
  readonly onChange: (value: string) => void;
}) {
  const { preview } = props;
  return (
    <div className="cron">
      <label className="field">
        <span>Cron expression (minute hour day-of-month month day-of-week)</span>
        <input
          className="path"
          value={props.value}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => props.onChange(e.target.value)}
          placeholder="30 2 * * 1-5"
          aria-invalid={!preview.ok}
          aria-describedby="cron-status"
        />
      </label>
      <div id="cron-status" role="status" aria-live="polite">
        {preview.ok ? (
          <>
            <p className="hint">
              Next runs ({props.timeZone}); the longest wait between runs is{' '}
              {formatDuration(preview.longestGapMs)}:
            </p>
            <ol className="next-runs" aria-label="Next runs">
              {preview.next.map((t) => (
                <li key={t}>{formatDate(t)}</li>
              ))}
            </ol>
          </>
        ) : (
          <p className="field-error">{preview.error}</p>
        )}
      </div>
      <p className="hint">
        Examples: <code>0 * * * *</code> every hour, <code>30 2 * * 1-5</code> weekdays at 02:30,{' '}
        <code>0 9,18 * * *</code> at 09:00 and 18:00.
      </p>
    </div>
  );
}
