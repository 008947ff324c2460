/**
 * Backup jobs: what to back up, where, when, what to keep, and who to tell.
 *
 * One schema serves the CLI (`strata job add/edit/import`), the catalog (jobs are stored as
 * this JSON) and the IPC contract (the renderer sends jobs to main, which validates them with
 * the same schema). Secrets are never part of a job: a destination has an id, and its password
 * lives in the secret store under that id.
 */
import { z } from 'zod';
import { StrataError } from './errors';
import { RETENTION_PRESETS } from './retention';

/** Ids of jobs and destinations: also used in keychain account names, so kept plain. */
export const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'use letters, digits, ".", "_", ":" or "-" (at most 128)');

const ClockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM (24-hour clock)');

/** Where a job's copies go; each destination is a repository of its own (3-2-1). */
export const LocalDestinationSchema = z.strictObject({
  id: IdSchema,
  type: z.literal('local'),
  /** A folder on an internal or external disk, or a mounted share. */
  path: z.string().min(1, 'the destination folder is empty'),
  /** For messages: "Backup drive", "NAS". */
  label: z.string().max(100).optional(),
  /**
   * A file holding the repository password, chosen by the user (headless servers without a
   * keychain). The path only: the password itself is never in a job.
   */
  passwordFile: z.string().min(1).optional(),
});
// SFTP, S3 and rclone destinations join this union with their own fields.
export const DestinationSchema = z.discriminatedUnion('type', [LocalDestinationSchema]);
export type Destination = z.infer<typeof DestinationSchema>;

export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('manual') }),
  z.strictObject({
    kind: z.literal('interval'),
    /** Every N minutes (at least 5). */
    minutes: z
      .number()
      .int()
      .min(5)
      .max(60 * 24 * 31),
  }),
  z.strictObject({ kind: z.literal('daily'), at: ClockTime }),
  z.strictObject({
    kind: z.literal('weekly'),
    /** 0 = Sunday ... 6 = Saturday. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    at: ClockTime,
  }),
  z.strictObject({ kind: z.literal('cron'), expression: z.string().min(9).max(200) }),
]);
export type Schedule = z.infer<typeof ScheduleSchema>;

const Count = z.number().int().min(-1);

export const RetentionPolicySchema = z.strictObject({
  keepLast: Count.optional(),
  keepHourly: Count.optional(),
  keepDaily: Count.optional(),
  keepWeekly: Count.optional(),
  keepMonthly: Count.optional(),
  keepYearly: Count.optional(),
  keepWithin: z.string().max(40).optional(),
  keepTags: z.array(z.string().min(1)).optional(),
});

const presetIds = RETENTION_PRESETS.map((p) => p.id) as [string, ...string[]];

export const RetentionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('preset'), preset: z.enum(presetIds) }),
  z.strictObject({ kind: z.literal('custom'), policy: RetentionPolicySchema }),
  /** Never forget anything (the repository only grows). */
  z.strictObject({ kind: z.literal('keep-all') }),
]);
export type Retention = z.infer<typeof RetentionSchema>;

export const HookSchema = z.strictObject({
  /** Run by the shell; the job's outcome is in its environment for after-hooks. */
  command: z.string().min(1).max(4000),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(300),
});
export type Hook = z.infer<typeof HookSchema>;

export const NotifySchema = z.strictObject({
  onFailure: z.boolean().default(true),
  onWarning: z.boolean().default(true),
  onOverdue: z.boolean().default(true),
  onSuccess: z.boolean().default(false),
});

export const MaintenanceSchema = z.strictObject({
  /** Forget and prune per the retention policy, this often (hours). */
  pruneEveryHours: z
    .number()
    .min(1)
    .max(24 * 365)
    .default(24 * 7),
  /** A test restore of a random sample of files, this often (hours); 0 turns it off. */
  verifyEveryHours: z
    .number()
    .min(0)
    .max(24 * 365)
    .default(24 * 7),
  verifySample: z.number().int().min(1).max(10_000).default(20),
});

export const JobSchema = z.strictObject({
  id: IdSchema,
  name: z.string().trim().min(1, 'give the job a name').max(100),
  sources: z.array(z.string().min(1)).min(1, 'choose at least one folder to back up'),
  excludes: z.array(z.string().min(1)).default([]),
  destinations: z
    .array(DestinationSchema)
    .min(1, 'choose at least one destination')
    .refine((d) => new Set(d.map((x) => x.id)).size === d.length, 'destination ids must differ'),
  schedule: ScheduleSchema,
  retention: RetentionSchema.default({ kind: 'preset', preset: 'time-machine' }),
  hooks: z
    .strictObject({
      before: z.array(HookSchema).default([]),
      after: z.array(HookSchema).default([]),
    })
    .default({ before: [], after: [] }),
  /** Recovery point objective: the newest good backup should be no older than this (hours). */
  rpoHours: z
    .number()
    .min(0.1)
    .max(24 * 365)
    .default(26),
  notify: NotifySchema.default({
    onFailure: true,
    onWarning: true,
    onOverdue: true,
    onSuccess: false,
  }),
  maintenance: MaintenanceSchema.default({
    pruneEveryHours: 24 * 7,
    verifyEveryHours: 24 * 7,
    verifySample: 20,
  }),
  /** Scheduled runs are skipped while paused (manual runs still work). */
  paused: z.boolean().default(false),
});
export type Job = z.infer<typeof JobSchema>;
/** What callers may send: defaults filled in by parseJob. */
export type JobInput = z.input<typeof JobSchema>;

/** The export format: a versioned envelope around jobs, never with secrets. */
export const JobExportSchema = z.strictObject({
  format: z.literal('strata-jobs'),
  version: z.literal(1),
  exported: z.string(),
  jobs: z.array(JobSchema),
});
export type JobExport = z.infer<typeof JobExportSchema>;

/** A readable one-line-per-problem message for a failed validation. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'job'}: ${i.message}`)
    .join('; ');
}

/** Validates a job (filling defaults), or throws INVALID_ARGUMENT saying what is wrong. */
export function parseJob(value: unknown): Job {
  const r = JobSchema.safeParse(value);
  if (!r.success)
    throw new StrataError('INVALID_ARGUMENT', `invalid job: ${describeIssues(r.error)}`);
  return r.data;
}
