/**
 * Opening a job's destination: the backend for its type, a clear message when it is absent,
 * the password from the secret store.
 */
import { StrataError } from '../../../shared/errors';
import type { Destination } from '../../../shared/jobs';
import type { Repository } from '../../engine/repository/repository';
import { describeDestination, destinationPresent, openRepository } from '../destinations';

export { describeDestination, destinationPresent } from '../destinations';

/** Where the runner gets a destination's repository password (the secret resolver). */
export interface PasswordSource {
  repositoryPassword(destination: Destination): Promise<string>;
  /** Called once the password opened the repository (the resolver may then remember it). */
  confirmed?(destination: Destination, password: string): Promise<void>;
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
  const repo = await openRepository(d, password);
  await passwords.confirmed?.(d, password);
  return repo;
}
