/**
 * What jobs.create and jobs.update check before a job is stored: every new or moved destination
 * holds a repository (or gets one when asked) that opens with the password given, and the
 * password is then kept where the user chose (keychain, or memory for the session). A typo
 * is never stored: the repository is opened first. The password never reaches the job or the
 * catalog. A new repository also gets a recovery key (./recovery.ts), returned once.
 */
import { stat } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import type { PasswordOutcome } from '../../../shared/contract';
import type { Destination, Job } from '../../../shared/jobs';
import { Repository } from '../../engine/repository/repository';
import { backendOf, describeDestination } from '../destinations';
import { passwordKey } from '../passwords';
import { PasswordFileStore } from '../secrets/password-file-store';
import { FieldError } from './errors';
import { addRecoveryKey } from './recovery';
import type { Services } from '../host';

export interface PasswordChoice {
  readonly password?: string;
  readonly passwords?: Readonly<Record<string, string>>;
  readonly remember: boolean;
  readonly createRepository: boolean;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** True when the destination holds a repository (its config file). */
export async function hasRepository(d: Destination): Promise<boolean> {
  return backendOf(d)
    .stat({ kind: 'config', name: 'config' })
    .then(
      () => true,
      () => false,
    );
}

async function passwordFor(d: Destination, c: PasswordChoice): Promise<string> {
  if (d.passwordFile !== undefined) {
    const key = passwordKey(d);
    return (await new PasswordFileStore([[key, d.passwordFile]]).get(key))!;
  }
  const given = c.passwords?.[d.id] ?? c.password;
  if (given === undefined)
    throw new FieldError('password', `enter the password for ${describeDestination(d)}`);
  return given;
}

/** Keeps a proven password: keychain (when asked and possible) or this session's memory. */
export async function keepPassword(
  s: Services,
  d: Destination,
  password: string,
  remember: boolean,
): Promise<Pick<PasswordOutcome, 'kept' | 'notice'>> {
  if (!remember) {
    await s.memory.set(passwordKey(d), password);
    return { kept: 'memory' };
  }
  if ((await s.resolver.save(passwordKey(d), password)) === 'keychain') return { kept: 'keychain' };
  const now = await s.resolver.keychainStatus();
  const reason = now.ok ? 'it failed just now' : now.reason;
  return {
    kept: 'memory',
    notice:
      `The OS keychain cannot be used because ${reason}, so the password is kept only until ` +
      'Strata quits; scheduled backups will ask for it again after a restart.',
  };
}

async function prepare(
  s: Services,
  d: Destination,
  c: PasswordChoice,
  kdfLogN: number | undefined,
): Promise<PasswordOutcome> {
  const exists = (await isFolder(d.path)) && (await hasRepository(d));
  if (!exists && !c.createRepository) {
    const why = (await isFolder(d.path))
      ? `there is no Strata backup in ${d.path}`
      : `the folder ${d.path} does not exist (is the drive connected?)`;
    throw new StrataError(
      'REPO_NOT_FOUND',
      `${why}: choose "create a new backup" to start one there; nothing was saved`,
    );
  }
  const password = await passwordFor(d, c);
  let recoveryKey: string | undefined;
  if (exists) await Repository.open(backendOf(d), password);
  else {
    const repo = await Repository.init(backendOf(d), password, { kdfLogN });
    // Returned once, never kept: the user saves or prints it.
    recoveryKey = await addRecoveryKey(repo, kdfLogN);
  }
  const kept = d.passwordFile
    ? { kept: 'password-file' as const }
    : await keepPassword(s, d, password, c.remember);
  return {
    destinationId: d.id,
    created: !exists,
    ...kept,
    ...(recoveryKey ? { recoveryKey } : {}),
  };
}

/** Prepares the destinations new or changed since `previous` (all of them for a new job). */
export async function prepareDestinations(
  s: Services,
  job: Job,
  previous: Job | undefined,
  c: PasswordChoice,
  kdfLogN?: number,
): Promise<PasswordOutcome[]> {
  const out: PasswordOutcome[] = [];
  for (const d of job.destinations) {
    const old = previous?.destinations.find((x) => x.id === d.id);
    const same = old && old.path === d.path && old.passwordFile === d.passwordFile;
    const given = c.passwords?.[d.id] ?? c.password;
    // Unchanged and no new password: nothing to check. A new password is checked and kept.
    if (same && given === undefined) {
      out.push({ destinationId: d.id, created: false, kept: 'unchanged' });
      continue;
    }
    out.push(await prepare(s, d, c, kdfLogN));
  }
  return out;
}
