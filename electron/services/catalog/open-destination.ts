/**
 * Opening a destination's repository from its job entry and password, for code that cannot be
 * handed a Repository (the catalog worker: a Repository does not cross threads).
 */
import { assertNever } from '../../../shared/errors';
import type { Destination } from '../../../shared/jobs';
import { LocalBackend } from '../../engine/backends/local';
import { Repository } from '../../engine/repository/repository';

export async function openDestination(d: Destination, password: string): Promise<Repository> {
  switch (d.type) {
    case 'local':
      return Repository.open(new LocalBackend(d.path), password);
    default:
      return assertNever(d.type);
  }
}
