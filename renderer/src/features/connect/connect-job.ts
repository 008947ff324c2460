/**
 * "I already have a backup": the job that connects this computer to an existing repository.
 *
 * It points at the repository as it is (no new repository, no recovery key), backs up only when
 * asked until the user chooses a schedule, and keeps every snapshot: a computer that has just
 * connected must not decide to forget what another computer backed up.
 */
import type { RepositoryContents } from '../../../../shared/contract';
import type { JobInput } from '../../../../shared/jobs';
import { baseName } from '../../components/format';
import { makeId } from '../wizard/job-draft';

/** What the user chose on the connect screen. */
export interface ConnectChoice {
  readonly path: string;
  readonly name: string;
  readonly sources: readonly string[];
}

/** The sources to offer ticked: the newest snapshot's folders that exist on this computer. */
export function defaultSources(contents: RepositoryContents): string[] {
  return [...contents.newestPaths.here];
}

/** A name for the job from what the backup holds ("Documents"), else "Restored backup". */
export function defaultName(contents: RepositoryContents): string {
  const first = contents.newestPaths.here[0] ?? contents.paths[0];
  return first ? baseName(first) : 'Restored backup';
}

/** What stops the user connecting, in words; null when nothing does. */
export function connectBlocker(c: ConnectChoice): string | null {
  if (!c.name.trim()) return 'Give this backup a name.';
  if (c.sources.length === 0)
    return 'Choose at least one folder on this computer for future backups (nothing is backed up until you ask).';
  return null;
}

/** The job for jobs.create (with createRepository: false), its id unique among `takenIds`. */
export function toConnectedJob(c: ConnectChoice, takenIds: readonly string[]): JobInput {
  const id = makeId(c.name, takenIds);
  return {
    id,
    name: c.name.trim(),
    sources: [...c.sources],
    destinations: [{ id: `${id}-1`, type: 'local', path: c.path.trim() }],
    schedule: { kind: 'manual' },
    retention: { kind: 'keep-all' },
    // As the wizard's "Only when I ask": warn after a week without a backup.
    rpoHours: 24 * 7,
  };
}
