/**
 * The flags of `strata job add` and `strata job edit`, turned into job JSON for parseJob
 * (shared/jobs.ts): the schema says what is valid, so a bad value is reported with the field
 * it belongs to. Each flag given replaces its field; fields not named keep what they had.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { StrataError } from '../../../shared/errors';
import type { Destination, Job } from '../../../shared/jobs';
import { RETENTION_PRESETS } from '../../../shared/retention';
import { flag, list, str, type Options, type Parsed } from '../context';
import { parseScheduleOption } from '../schedule-option';

export const JOB_OPTIONS: Options = {
  id: { type: 'string' },
  name: { type: 'string' },
  source: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true, short: 'e' },
  destination: { type: 'string', multiple: true },
  'destination-id': { type: 'string', multiple: true },
  label: { type: 'string', multiple: true },
  // Repeatable here (one per destination), unlike the other commands' single password file.
  'password-file': { type: 'string', multiple: true },
  schedule: { type: 'string' },
  retention: { type: 'string' },
  'rpo-hours': { type: 'string' },
  before: { type: 'string', multiple: true },
  after: { type: 'string', multiple: true },
  'hook-timeout': { type: 'string' },
  'notify-success': { type: 'boolean' },
  'no-notify-success': { type: 'boolean' },
  'from-json': { type: 'string' },
  init: { type: 'boolean' },
  'kdf-log-n': { type: 'string' },
};

const RETENTIONS = [...RETENTION_PRESETS.map((p) => p.id), 'keep-all'];

/** Job JSON before validation: a plain object whose fields the flags replace. */
export type JobDraft = Record<string, unknown>;

/** A job id from a name: "My Documents!" -> "my-documents". */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s === '' ? 'job' : s;
}

/** The object in a --from-json file (validated later, with the flags applied). */
export async function readJobFile(file: string): Promise<JobDraft> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new StrataError('NOT_FOUND', `cannot read ${file}: ${(err as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StrataError('INVALID_ARGUMENT', `${file} is not JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new StrataError('INVALID_ARGUMENT', `${file} must hold one job (a JSON object)`);
  return value as JobDraft;
}

function number(p: Parsed, name: string): number | undefined {
  const text = str(p, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new StrataError('INVALID_ARGUMENT', `--${name}: "${text}" is not a number`);
  return n;
}

function retention(text: string): unknown {
  if (text === 'keep-all') return { kind: 'keep-all' };
  if (!RETENTIONS.includes(text))
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--retention "${text}": choose one of ${RETENTIONS.join(', ')}`,
    );
  return { kind: 'preset', preset: text };
}

function hooks(commands: string[], timeout: number | undefined): unknown[] {
  // `--before ''` clears the list.
  return commands
    .filter((c) => c !== '')
    .map((command) => ({ command, ...(timeout === undefined ? {} : { timeoutSeconds: timeout }) }));
}

/** A destination id not taken yet: the job id plus the first free index. */
function freshId(jobId: string, taken: Set<string>): string {
  for (let i = 1; ; i++) {
    const id = `${jobId}-${i}`;
    if (!taken.has(id)) return id;
  }
}

function destinations(p: Parsed, jobId: string, current: readonly Destination[]): unknown {
  const paths = list(p, 'destination').map((x) => resolve(x));
  const ids = list(p, 'destination-id');
  const labels = list(p, 'label');
  const files = list(p, 'password-file').map((x) => resolve(x));
  const count = paths.length > 0 ? paths.length : current.length;
  if (ids.length > 0 && paths.length === 0)
    throw new StrataError('INVALID_ARGUMENT', '--destination-id goes with --destination');
  for (const [name, n] of [
    ['--destination-id', ids.length],
    ['--label', labels.length],
  ] as const) {
    if (n > count)
      throw new StrataError(
        'INVALID_ARGUMENT',
        `${name} is given ${n} times for ${count} destination(s)`,
      );
  }
  if (files.length > 1 && files.length !== count)
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--password-file: give one for every destination, or one for all (${files.length} for ${count})`,
    );
  const fileFor = (i: number) => (files.length === 1 ? files[0] : files[i]);
  if (paths.length === 0) {
    if (labels.length === 0 && files.length === 0) return undefined;
    return current.map((d, i) => ({
      ...d,
      ...(labels[i] === undefined ? {} : { label: labels[i] }),
      ...(fileFor(i) === undefined ? {} : { passwordFile: fileFor(i) }),
    }));
  }
  const taken = new Set(ids);
  return paths.map((path, i) => {
    // The same folder keeps its id: its keychain entry and cached snapshots are filed under it.
    const same = current.find((d) => d.path === path);
    const id = ids[i] ?? same?.id ?? freshId(jobId, taken);
    taken.add(id);
    const label = labels[i] ?? same?.label;
    const passwordFile = fileFor(i) ?? same?.passwordFile;
    return {
      id,
      type: 'local',
      path,
      ...(label === undefined ? {} : { label }),
      ...(passwordFile === undefined ? {} : { passwordFile }),
    };
  });
}

/** The draft with every given flag applied (the id is settled by the caller). */
export function applyFlags(base: JobDraft, p: Parsed, jobId: string): JobDraft {
  const job: JobDraft = { ...base, id: jobId };
  const name = str(p, 'name');
  if (name !== undefined) job.name = name;
  const sources = list(p, 'source');
  if (sources.length > 0) job.sources = sources.map((s) => resolve(s));
  if (p.values.exclude !== undefined) job.excludes = list(p, 'exclude').filter((x) => x !== '');
  const current = Array.isArray(base.destinations) ? (base.destinations as Destination[]) : [];
  const dests = destinations(p, jobId, current);
  if (dests !== undefined) job.destinations = dests;
  const schedule = str(p, 'schedule');
  if (schedule !== undefined) job.schedule = parseScheduleOption(schedule);
  const kept = str(p, 'retention');
  if (kept !== undefined) job.retention = retention(kept);
  const rpo = number(p, 'rpo-hours');
  if (rpo !== undefined) job.rpoHours = rpo;
  const timeout = number(p, 'hook-timeout');
  const old = (base.hooks ?? {}) as {
    before?: Job['hooks']['before'];
    after?: Job['hooks']['after'];
  };
  const retime = (h: readonly { command: string }[] | undefined) =>
    timeout === undefined ? h : h?.map((x) => ({ ...x, timeoutSeconds: timeout }));
  job.hooks = {
    before: p.values.before !== undefined ? hooks(list(p, 'before'), timeout) : retime(old.before),
    after: p.values.after !== undefined ? hooks(list(p, 'after'), timeout) : retime(old.after),
  };
  if (flag(p, 'notify-success') && flag(p, 'no-notify-success'))
    throw new StrataError(
      'INVALID_ARGUMENT',
      'give --notify-success or --no-notify-success, not both',
    );
  if (flag(p, 'notify-success') || flag(p, 'no-notify-success'))
    job.notify = { ...((base.notify as object) ?? {}), onSuccess: flag(p, 'notify-success') };
  return job;
}
