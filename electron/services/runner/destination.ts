/**
 * Opening a job's destination: the backend for its type, a clear message when it is absent,
 * the password from the secret store.
 */
import { stat } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import type { Destination } from '../../../shared/jobs';
import type { Backend } from '../../engine/backends/backend';
import { LocalBackend } from '../../engine/backends/local';
import { Repository } from '../../engine/repository/repository';

/** Where the runner gets a destination's repository password (the secret resolver). */
export interface PasswordSource {
  repositoryPassword(destination: Destination): Promise<string>;
  /** Called once the password opened the repository (the resolver may then remember it). */
  confirmed?(destination: Destination, password: string): Promise<void>;
}

export function describeDestination(d: Destination): string {
  return d.label ? `${d.label} (${d.path})` : d.path;
}

export function backendOf(d: Destination): Backend {
  return new LocalBackend(d.path);
}

/** True when the destination can be reached now (a local folder: its drive is connected). */
export async function destinationPresent(d: Destination): Promise<boolean> {
  return stat(d.path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** Opens the destination's repository; a fresh object each time (a backup needs one). */
export async function openDestination(
  d: Destination,
  passwords: PasswordSource,
): Promise<Repository> {
  if (!(await destinationPresent(d))) {
    throw new StrataError(
      'BACKEND_UNAVAILABLE',
      `the destination ${describeDestination(d)} is not reachable: connect the drive or mount the share, then run the backup again`,
    );
  }
  const password = await passwords.repositoryPassword(d);
  const repo = await Repository.open(backendOf(d), password);
  await passwords.confirmed?.(d, password);
  return repo;
}
