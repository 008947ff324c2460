/**
 * `strata job export` and `strata job import`: jobs as JSON in the versioned envelope of
 * shared/jobs.ts (JobExportSchema), for another machine or a safe place. Jobs carry no secrets
 * (a destination names at most the path of a password file), so neither does an export.
 * An import is all or nothing: every job is validated and checked before any is stored.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { StrataError } from '../../../shared/errors';
import { describeIssues, JobExportSchema, type JobExport } from '../../../shared/jobs';
import { emitJson, flag, say, str } from '../context';
import { existing, withServices } from './session';

export function jobExport(args: readonly string[]): Promise<number> {
  return withServices(args, { output: { type: 'string', short: 'o' } }, async (s, p) => {
    const jobs =
      p.positionals.length > 0
        ? p.positionals.map((id) => existing(s, id, 'export'))
        : s.catalog.listJobs();
    // Parsed on the way out too: what is written is exactly what an import accepts.
    const envelope: JobExport = JobExportSchema.parse({
      format: 'strata-jobs',
      version: 1,
      exported: new Date().toISOString(),
      jobs,
    });
    const text = JSON.stringify(envelope, null, 2) + '\n';
    const output = str(p, 'output');
    if (output === undefined) {
      process.stdout.write(text);
      return 0;
    }
    await writeFile(output, text, { mode: 0o600 });
    if (flag(p, 'json')) emitJson({ exported: jobs.map((j) => j.id), file: output });
    else say(p, `exported ${jobs.length} job(s) to ${output}`);
    return 0;
  });
}

async function readExport(file: string): Promise<JobExport> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `cannot read ${file} as JSON: ${(err as Error).message}`,
    );
  }
  const r = JobExportSchema.safeParse(value);
  if (!r.success)
    throw new StrataError(
      'INVALID_ARGUMENT',
      `${file} is not a valid job export (from strata job export): ${describeIssues(r.error)}; nothing was imported`,
    );
  return r.data;
}

export function jobImport(args: readonly string[]): Promise<number> {
  return withServices(args, { replace: { type: 'boolean' } }, async (s, p) => {
    const file = p.positionals[0];
    if (file === undefined || p.positionals.length > 1)
      throw new StrataError(
        'INVALID_ARGUMENT',
        'give one file: strata job import FILE [--replace]',
      );
    const { jobs } = await readExport(file);
    const ids = jobs.map((j) => j.id);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length > 0)
      throw new StrataError(
        'INVALID_ARGUMENT',
        `${file} holds the job id ${[...new Set(twice)].join(', ')} more than once; nothing was imported`,
      );
    const taken = ids.filter((id) => s.catalog.getJob(id) !== undefined);
    if (taken.length > 0 && !flag(p, 'replace'))
      throw new StrataError(
        'ALREADY_EXISTS',
        `job(s) ${taken.join(', ')} exist already: add --replace to overwrite them; nothing was imported`,
      );
    for (const job of jobs) s.catalog.putJob(job);
    if (flag(p, 'json')) emitJson({ imported: ids, replaced: taken });
    else {
      say(
        p,
        `imported ${jobs.length} job(s): ${ids.join(', ')}${taken.length > 0 ? ` (replaced ${taken.join(', ')})` : ''}`,
      );
      say(
        p,
        'Passwords are not part of an export: each destination uses its password file, or the ' +
          'keychain once strata job run has asked for the password on this computer.',
      );
    }
    return 0;
  });
}
