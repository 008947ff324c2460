/** The wizard's draft as the contract's job (and as the equivalent CLI command). */
import type { JobInput, Retention } from '../../../../shared/jobs';
import { scheduleWords, toSchedule } from './schedule';
import { allExcludes, type Draft } from './wizard-store';

/** A retention choice ("keep-all" or a preset id) as the job's retention. */
export function toRetention(id: string): Retention {
  return id === 'keep-all' ? { kind: 'keep-all' } : { kind: 'preset', preset: id };
}

/** A plain id from the name ("My Documents" -> "my-documents"), unique among `taken`. */
export function makeId(name: string, taken: readonly string[]): string {
  const base =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 60)
      .replace(/^-+|-+$/g, '') || 'backup';
  let id = base;
  for (let n = 2; taken.includes(id); n++) id = `${base}-${n}`;
  return id;
}

/** A new job from the draft, with an id not in `takenIds`, its one destination `<id>-1`. */
export function toJob(d: Draft, takenIds: readonly string[]): JobInput {
  const id = makeId(d.name, takenIds);
  const hook = (command: string) => (command.trim() ? [{ command: command.trim() }] : []);
  return {
    id,
    name: d.name.trim(),
    sources: [...d.sources],
    excludes: allExcludes(d),
    destinations: [
      {
        id: `${id}-1`,
        type: 'local',
        path: d.destinationPath.trim(),
        ...(d.destinationLabel.trim() ? { label: d.destinationLabel.trim() } : {}),
      },
    ],
    schedule: toSchedule(d),
    retention: toRetention(d.retention),
    hooks: { before: hook(d.beforeHook), after: hook(d.afterHook) },
    rpoHours: d.rpoHours,
  };
}

function quote(s: string): string {
  return /^[\w./:@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The same job as a `strata job add` command, for power users and scripts. */
export function toCommand(d: Draft): string {
  const parts = ['strata job add', `--name ${quote(d.name.trim())}`];
  for (const s of d.sources) parts.push(`--source ${quote(s)}`);
  for (const e of allExcludes(d)) parts.push(`--exclude ${quote(e)}`);
  parts.push(`--destination ${quote(d.destinationPath.trim())}`);
  if (d.check?.repository !== true) parts.push('--init');
  parts.push(`--schedule ${quote(scheduleWords(toSchedule(d)))}`);
  parts.push(`--retention ${d.retention}`, `--rpo-hours ${d.rpoHours}`);
  if (d.beforeHook.trim()) parts.push(`--before ${quote(d.beforeHook.trim())}`);
  if (d.afterHook.trim()) parts.push(`--after ${quote(d.afterHook.trim())}`);
  return parts.join(' ');
}
