/**
 * What every `strata job` subcommand shares: the services on the catalog the options name
 * (closed again when the command ends), and looking a job up by id.
 */
import { StrataError } from '../../../shared/errors';
import type { Job } from '../../../shared/jobs';
import { catalogFile, CATALOG_OPTION } from '../catalog-file';
import { parse, workers, type Options, type Parsed } from '../context';
import { openServices, type CliServices } from '../services';

/** Opens the services the job commands use, and closes them when `work` ends. */
export async function withServices<T>(
  args: readonly string[],
  options: Options,
  work: (s: CliServices, p: Parsed) => Promise<T>,
  quietNotices = false,
): Promise<T> {
  const p = parse(args, { ...CATALOG_OPTION, ...options });
  const s = openServices({
    catalogFile: catalogFile(p),
    interactive: true,
    workers: workers(p),
    ...(quietNotices ? { notice: () => undefined } : {}),
  });
  try {
    return await work(s, p);
  } finally {
    s.close();
  }
}

/** The job `id` from the catalog, or NOT_FOUND saying which ids there are. */
export function existing(s: CliServices, id: string | undefined, command: string): Job {
  if (id === undefined)
    throw new StrataError('INVALID_ARGUMENT', `give the job's id: strata job ${command} ID`);
  const job = s.catalog.getJob(id);
  if (job) return job;
  const ids = s.catalog.listJobs().map((j) => j.id);
  throw new StrataError(
    'NOT_FOUND',
    `there is no job "${id}"` +
      (ids.length > 0 ? ` (jobs: ${ids.join(', ')})` : ' (there are no jobs yet)'),
  );
}
