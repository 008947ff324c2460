/**
 * A job's destinations as the engine sees them: the backend for each type, whether it can be
 * reached now, and how to name it in messages. The one place that maps destination types to
 * backends (the runner and the catalog worker both open repositories through it).
 */
import { stat } from 'node:fs/promises';
import { assertNever } from '../../shared/errors';
import type { Destination } from '../../shared/jobs';
import type { Backend } from '../engine/backends/backend';
import { LocalBackend } from '../engine/backends/local';
import { Repository } from '../engine/repository/repository';

export function backendOf(d: Destination): Backend {
  switch (d.type) {
    case 'local':
      return new LocalBackend(d.path);
    default:
      return assertNever(d.type);
  }
}

/** Opens the destination's repository with a known password; a fresh object each time. */
export function openRepository(d: Destination, password: string): Promise<Repository> {
  return Repository.open(backendOf(d), password);
}

export function describeDestination(d: Destination): string {
  return d.label ? `${d.label} (${d.path})` : d.path;
}

/** True when the destination can be reached now (a local folder: its drive is connected). */
export async function destinationPresent(d: Destination): Promise<boolean> {
  return stat(d.path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
