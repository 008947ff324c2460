/** What stops the user leaving a step, in words (null: they may go on). */
import { localTimeZone, previewCron } from './cron-preview';
import { describeCheck } from './where-check';
import type { Draft, Step } from './wizard-store';

/** The first thing on `step` that stops the user going on, in words; null when nothing does. */
export function blocker(
  step: Step,
  d: Draft,
  now = Date.now(),
  timeZone = localTimeZone(),
): string | null {
  switch (step) {
    case 'what':
      if (d.sources.length === 0) return 'Add at least one folder to back up.';
      if (!d.name.trim()) return 'Give this backup a name.';
      return null;
    case 'where':
      if (!d.destinationPath.trim()) return 'Choose a folder or drive for the backup.';
      if (!d.check) return 'Strata is checking the folder…';
      return describeCheck(d.check).ok ? null : describeCheck(d.check).text;
    case 'protection':
      if (!d.password) return 'Enter a password.';
      if (d.check?.repository) return null;
      if (d.password !== d.confirm)
        return 'The two passwords differ. Type the same password twice.';
      if (!d.savedPassword) return 'Tick “I have kept the password somewhere safe” to go on.';
      return null;
    case 'when':
      if (d.frequency === 'weekly' && d.days.length === 0) return 'Choose at least one day.';
      if (d.frequency === 'custom' && d.customKind === 'cron') {
        const preview = previewCron(d.cron, now, timeZone, 1);
        if (!preview.ok) return `The cron expression cannot be used: ${preview.error}`;
      }
      return null;
    case 'keep':
    case 'review':
      return null;
  }
}
