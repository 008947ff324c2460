/**
 * Job channels: create, change, remove, run, pause, history, export and import. Passwords travel
 * only in the create/update/setPassword arguments, never in a result or an event; the one
 * exception is the recovery key of a repository just created, returned once to be saved.
 */
import { z } from 'zod';
import { IdSchema, JobSchema, type Job } from '../jobs';

const Password = z.string().min(1, 'enter the repository password').max(1024);

/** Passwords for a job's destinations: one for all, or one per destination id. */
const PasswordFields = {
  /** Used for every destination without its own entry in `passwords` or a password file. */
  password: Password.optional(),
  passwords: z.record(IdSchema, Password).optional(),
  /** Save the password in the OS keychain (else it is kept in memory until Strata quits). */
  remember: z.boolean().default(true),
  /** Create a repository at destinations that hold none (the wizard's "new backup"). */
  createRepository: z.boolean().default(false),
};

export const JobsCreateArgs = z.strictObject({ job: JobSchema, ...PasswordFields });
/** Destinations that are new or moved need a password; the others keep theirs. */
export const JobsUpdateArgs = z.strictObject({ job: JobSchema, ...PasswordFields });
export const JobIdArgs = z.strictObject({ jobId: IdSchema });
export const JobsRemoveArgs = z.strictObject({
  jobId: IdSchema,
  /** Also forget the saved passwords of destinations no other job uses (default true). */
  forgetPasswords: z.boolean().default(true),
});
export const JobsPauseAllArgs = z.strictObject({
  /** ISO time; absent pauses until jobs.resumeAll. */
  until: z.iso.datetime({ offset: true }).optional(),
});
export const JobsHistoryArgs = z.strictObject({
  jobId: IdSchema,
  limit: z.number().int().min(1).max(1000).default(50),
});
export const JobsExportArgs = z.strictObject({ jobIds: z.array(IdSchema).optional() });
export const JobsImportArgs = z.strictObject({
  text: z.string().min(1).max(10_000_000),
  replace: z.boolean().default(false),
});
export const SetPasswordArgs = z.strictObject({
  jobId: IdSchema,
  destinationId: IdSchema,
  password: Password,
  remember: z.boolean().default(true),
});

/** Where each destination's password ended up after create/update/setPassword. */
export interface PasswordOutcome {
  readonly destinationId: string;
  /** True when a repository was created there. */
  readonly created: boolean;
  readonly kept: 'password-file' | 'keychain' | 'memory' | 'unchanged';
  /** Set when the keychain could not be used: one sentence to show. */
  readonly notice?: string;
  /**
   * Set when a repository was created: a second key ("XXXXX-XXXXX-..."), typed as the password,
   * that opens it. Shown once for the user to save or print; Strata keeps it nowhere.
   */
  readonly recoveryKey?: string;
}

export interface JobSaved {
  readonly job: Job;
  readonly destinations: readonly PasswordOutcome[];
}

export type RunOutcomeName = 'ok' | 'warning' | 'failed' | 'cancelled';
export type RunKindName = 'backup' | 'prune' | 'verify' | 'check';

export interface LogLineView {
  readonly level: 'debug' | 'info' | 'warning' | 'error';
  readonly time: string;
  readonly text: string;
}

/** One recorded run of a job for one destination, with its log. */
export interface RunView {
  readonly id: number;
  readonly jobId: string;
  readonly destinationId: string | null;
  readonly kind: RunKindName;
  readonly started: string;
  /** Null while running (or when the app stopped before it ended). */
  readonly finished: string | null;
  readonly outcome: RunOutcomeName | null;
  readonly counts: Readonly<Record<string, number>> | null;
  readonly bytes: Readonly<Record<string, number>> | null;
  readonly warnings: number;
  readonly error: string | null;
  readonly snapshotId: string | null;
  readonly log: readonly LogLineView[];
}

export interface JobsImported {
  readonly imported: readonly string[];
  readonly replaced: readonly string[];
}
