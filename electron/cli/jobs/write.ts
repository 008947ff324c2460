/**
 * `strata job add`, `job edit` and `job remove`: the catalog's jobs, changed only after every
 * check passed (the schema, and each new or changed destination's repository and password).
 */
import { StrataError } from '../../../shared/errors';
import { parseJob, type Job } from '../../../shared/jobs';
import { passwordKey } from '../../services/passwords';
import { emitJson, flag, say, str, type Parsed } from '../context';
import { existing, withServices } from './session';
import { describeSchedule } from '../schedule-option';
import { prepareDestinations, type Prepared } from './destinations';
import { applyFlags, JOB_OPTIONS, readJobFile, slug, type JobDraft } from './options';

function kdfLogN(p: Parsed): number | undefined {
  const text = str(p, 'kdf-log-n');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 10 || n > 22)
    throw new StrataError('INVALID_ARGUMENT', `--kdf-log-n must be a whole number from 10 to 22`);
  return n;
}

function report(p: Parsed, verb: string, job: Job, prepared: Prepared[]): void {
  for (const r of prepared) if (r.notice) process.stderr.write(`${r.notice}\n`);
  if (flag(p, 'json')) {
    emitJson({ [verb]: job.id, job, destinations: prepared });
    return;
  }
  say(p, `${verb} job ${job.id} ("${job.name}"), ${describeSchedule(job.schedule)}`);
  for (const r of prepared) {
    const d = job.destinations.find((x) => x.id === r.destinationId)!;
    const where =
      r.password === 'password-file'
        ? `password read from ${d.passwordFile}`
        : r.password === 'keychain'
          ? 'password saved in the OS keychain'
          : 'password not saved';
    say(p, `  ${d.id}: ${r.created ? 'new repository at' : 'repository at'} ${d.path}; ${where}`);
  }
}

async function draftFrom(p: Parsed, base: JobDraft): Promise<JobDraft> {
  const file = str(p, 'from-json');
  return file === undefined ? base : await readJobFile(file);
}

export function jobAdd(args: readonly string[]): Promise<number> {
  return withServices(
    args,
    JOB_OPTIONS,
    async (s, p) => {
      if (p.positionals.length > 0)
        throw new StrataError(
          'INVALID_ARGUMENT',
          `job add takes no arguments (got "${p.positionals[0]}")`,
        );
      const base = await draftFrom(p, {});
      const name = str(p, 'name') ?? (typeof base.name === 'string' ? base.name : undefined);
      const id = str(p, 'id') ?? (typeof base.id === 'string' ? base.id : slug(name ?? ''));
      if (str(p, 'from-json') === undefined && name === undefined)
        throw new StrataError('INVALID_ARGUMENT', 'give the job a --name');
      const job = parseJob(applyFlags(base, p, id));
      if (s.catalog.getJob(job.id))
        throw new StrataError(
          'ALREADY_EXISTS',
          `a job with the id "${job.id}" exists: choose another --id, or change it with strata job edit ${job.id}`,
        );
      const prepared = await prepareDestinations(job, undefined, {
        init: flag(p, 'init'),
        kdfLogN: kdfLogN(p),
        resolver: s.resolver,
      });
      s.catalog.putJob(job);
      report(p, 'added', job, prepared);
      return 0;
    },
    true,
  );
}

export function jobEdit(args: readonly string[]): Promise<number> {
  return withServices(
    args,
    JOB_OPTIONS,
    async (s, p) => {
      const previous = existing(s, p.positionals[0], 'edit');
      if (str(p, 'id') !== undefined && str(p, 'id') !== previous.id)
        throw new StrataError(
          'INVALID_ARGUMENT',
          'a job id cannot change: export the job, change its id, import it, and remove the old one',
        );
      const base = await draftFrom(p, previous as unknown as JobDraft);
      if (typeof base.id === 'string' && base.id !== previous.id)
        throw new StrataError(
          'INVALID_ARGUMENT',
          `the job in ${str(p, 'from-json')} has the id "${base.id}", not "${previous.id}"`,
        );
      const job = parseJob(applyFlags(base, p, previous.id));
      const prepared = await prepareDestinations(job, previous, {
        init: flag(p, 'init'),
        kdfLogN: kdfLogN(p),
        resolver: s.resolver,
      });
      s.catalog.putJob(job);
      report(p, 'changed', job, prepared);
      return 0;
    },
    true,
  );
}

export function jobRemove(args: readonly string[]): Promise<number> {
  return withServices(args, {}, async (s, p) => {
    const job = existing(s, p.positionals[0], 'remove');
    s.catalog.removeJob(job.id);
    // Its saved passwords go too (a secret nothing uses is only a risk), unless another job
    // shares the destination. Password files are the user's and stay.
    const used = new Set(s.catalog.listJobs().flatMap((j) => j.destinations.map((d) => d.id)));
    for (const d of job.destinations) {
      if (used.has(d.id)) continue;
      await s.resolver.forget(passwordKey(d)).catch(() => undefined);
    }
    if (flag(p, 'json')) emitJson({ removed: job.id });
    else
      say(
        p,
        `removed job ${job.id} and its run history from the catalog; its repositories ` +
          `(${job.destinations.map((d) => d.path).join(', ')}) and their snapshots were not touched`,
      );
    return 0;
  });
}
