/**
 * What `job add` and `job edit` check before a job is stored: every new or changed destination
 * holds a repository (or gets one with --init) that opens with the password the user gave. A
 * typed password (or STRATA_PASSWORD) is then saved in the OS keychain for scheduled runs; a
 * password file is the user's and only its path is kept in the job. The password itself never
 * reaches the job, the catalog or the output.
 */
import { stat } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import type { Destination, Job } from '../../../shared/jobs';
import { LocalBackend } from '../../engine/backends/local';
import { Repository } from '../../engine/repository/repository';
import { passwordKey } from '../../services/passwords';
import { describeDestination } from '../../services/runner/destination';
import { PasswordFileStore } from '../../services/secrets/password-file-store';
import type { SecretResolver } from '../../services/secrets/secret-resolver';
import { getPassword } from '../password';

export interface PrepareOptions {
  /** Create a repository where there is none. */
  readonly init: boolean;
  readonly kdfLogN?: number;
  readonly resolver: SecretResolver;
}

/** One line per destination for people: where its password is kept. */
export interface Prepared {
  readonly destinationId: string;
  readonly created: boolean;
  readonly password: 'password-file' | 'keychain' | 'not-saved';
  /** Set when the keychain could not be used. */
  readonly notice?: string;
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function hasRepository(backend: LocalBackend): Promise<boolean> {
  return backend.stat({ kind: 'config', name: 'config' }).then(
    () => true,
    () => false,
  );
}

async function passwordFor(d: Destination, fresh: boolean): Promise<string> {
  if (d.passwordFile !== undefined) {
    // The store the runs use: the same checks (a private regular file, not empty).
    const value = await new PasswordFileStore([[passwordKey(d), d.passwordFile]]).get(
      passwordKey(d),
    );
    return value!;
  }
  const env = process.env.STRATA_PASSWORD;
  if ((env === undefined || env === '') && !process.stdin.isTTY) {
    throw new StrataError(
      'SECRET_MISSING',
      `no password for ${describeDestination(d)}: give --password-file FILE or STRATA_PASSWORD, or run on a terminal to be asked`,
    );
  }
  const prompt = fresh
    ? `Password for the new repository at ${d.path}: `
    : `Repository password for ${describeDestination(d)}: `;
  return getPassword({ prompt, confirm: fresh });
}

async function saveTyped(
  d: Destination,
  password: string,
  resolver: SecretResolver,
): Promise<Pick<Prepared, 'password' | 'notice'>> {
  const before = await resolver.keychainStatus();
  if (before.ok && (await resolver.save(passwordKey(d), password)) === 'keychain')
    return { password: 'keychain' };
  const now = await resolver.keychainStatus();
  const reason = now.ok ? 'it failed just now' : now.reason;
  return {
    password: 'not-saved',
    notice:
      `The OS keychain cannot be used because ${reason}, so the password of ${d.id} was not ` +
      `saved: scheduled runs (strata daemon) need a password file (strata job edit JOB --password-file FILE) or a working keychain.`,
  };
}

/** Checks (or creates) one destination's repository and keeps its password where it belongs. */
async function prepare(d: Destination, o: PrepareOptions): Promise<Prepared> {
  const backend = new LocalBackend(d.path);
  const exists = (await isFolder(d.path)) && (await hasRepository(backend));
  if (!exists && !o.init) {
    const why = (await isFolder(d.path))
      ? `there is no Strata repository in ${d.path}`
      : `the destination folder ${d.path} does not exist (is the drive connected?)`;
    throw new StrataError(
      'REPO_NOT_FOUND',
      `${why}: add --init to create a repository there; nothing was saved`,
    );
  }
  const password = await passwordFor(d, !exists);
  if (exists) await Repository.open(backend, password);
  else await Repository.init(backend, password, { kdfLogN: o.kdfLogN });
  const kept = d.passwordFile
    ? { password: 'password-file' as const }
    : await saveTyped(d, password, o.resolver);
  return { destinationId: d.id, created: !exists, ...kept };
}

/** Prepares the destinations that are new or changed since `previous` (all of them for add). */
export async function prepareDestinations(
  job: Job,
  previous: Job | undefined,
  o: PrepareOptions,
): Promise<Prepared[]> {
  const out: Prepared[] = [];
  for (const d of job.destinations) {
    const old = previous?.destinations.find((x) => x.id === d.id);
    if (old && old.path === d.path && old.passwordFile === d.passwordFile) continue;
    out.push(await prepare(d, o));
  }
  return out;
}
