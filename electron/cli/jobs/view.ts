/**
 * `strata job list` and `strata job show`: jobs from the catalog with their derived status and
 * the scheduler's plan, and the recent runs with how each ended.
 */
import type { Job } from '../../../shared/jobs';
import type { Run } from '../../services/catalog/types';
import { formatWhen } from '../../services/scheduler/words';
import type { JobPlan } from '../../services/scheduler/types';
import type { JobStatus } from '../../services/status/types';
import { emitJson, flag, say } from '../context';
import { formatBytes, formatTime, table } from '../format';
import { describeSchedule } from '../schedule-option';
import type { CliServices } from '../services';
import { existing, withServices } from './session';

const RECENT_RUNS = 20;

function nextRun(plan: JobPlan | undefined, s: CliServices): string {
  if (!plan) return '';
  if (plan.due) return 'due now';
  if (plan.nextAt !== undefined) return formatWhen(plan.nextAt, Date.now(), s.timeZone);
  return plan.reason.message;
}

function destinationNames(job: Job): string {
  return job.destinations.map((d) => d.label ?? d.path).join(', ');
}

async function overview(s: CliServices): Promise<{ plans: JobPlan[]; statuses: JobStatus[] }> {
  const plans = await s.core.plan();
  return { plans, statuses: s.core.statuses(plans) };
}

export function jobList(args: readonly string[]): Promise<number> {
  return withServices(args, {}, async (s, p) => {
    const jobs = s.core.jobs();
    const { plans, statuses } = await overview(s);
    const plan = (id: string) => plans.find((x) => x.jobId === id);
    const status = (id: string) => statuses.find((x) => x.jobId === id);
    if (flag(p, 'json')) {
      emitJson({
        jobs: jobs.map((job) => ({
          job,
          schedule: describeSchedule(job.schedule),
          status: status(job.id),
          plan: plan(job.id),
        })),
      });
      return 0;
    }
    if (jobs.length === 0) {
      say(p, 'No jobs yet: add one with strata job add (see strata job --help).');
      return 0;
    }
    const rows = jobs.map((job) => [
      job.id,
      job.name,
      describeSchedule(job.schedule),
      destinationNames(job),
      `${status(job.id)?.state ?? ''}: ${status(job.id)?.summary ?? ''}`,
      nextRun(plan(job.id), s),
    ]);
    say(p, table([['ID', 'NAME', 'SCHEDULE', 'DESTINATIONS', 'STATUS', 'NEXT RUN'], ...rows]));
    return 0;
  });
}

function runRow(r: Run): string[] {
  const figures = r.bytes?.added !== undefined ? `+${formatBytes(r.bytes.added)}` : '';
  return [
    String(r.id),
    formatTime(r.started),
    r.kind,
    r.destinationId ?? '-',
    r.outcome ?? (r.finished ? '?' : 'running or interrupted'),
    r.snapshotId ? r.snapshotId.slice(0, 8) : '',
    figures,
    r.error ?? '',
  ];
}

function describe(
  job: Job,
  status: JobStatus | undefined,
  plan: JobPlan | undefined,
  s: CliServices,
): string[] {
  const hook = (h: Job['hooks']['before'][number]) =>
    `${h.command} (timeout ${h.timeoutSeconds} s)`;
  const n = job.notify;
  const notify = [
    n.onFailure && 'failures',
    n.onWarning && 'warnings',
    n.onOverdue && 'overdue',
    n.onSuccess && 'successes',
  ].filter(Boolean);
  const m = job.maintenance;
  const retention =
    job.retention.kind === 'preset'
      ? `preset ${job.retention.preset}`
      : job.retention.kind === 'custom'
        ? `custom ${JSON.stringify(job.retention.policy)}`
        : 'keep all';
  const lines = [
    `Job ${job.id} ("${job.name}")${job.paused ? ' (paused)' : ''}`,
    `  sources:      ${job.sources.join(', ')}`,
    `  excludes:     ${job.excludes.join(', ') || 'none'}`,
    `  schedule:     ${describeSchedule(job.schedule)}`,
    `  retention:    ${retention}`,
    `  RPO:          ${job.rpoHours} hours`,
    `  before hooks: ${job.hooks.before.map(hook).join('; ') || 'none'}`,
    `  after hooks:  ${job.hooks.after.map(hook).join('; ') || 'none'}`,
    `  notify on:    ${notify.join(', ') || 'nothing'}`,
    `  maintenance:  prune every ${m.pruneEveryHours} h; test restore ` +
      (m.verifyEveryHours > 0 ? `of ${m.verifySample} files every ${m.verifyEveryHours} h` : 'off'),
    '  destinations:',
    ...job.destinations.map(
      (d) =>
        `    ${d.id}  ${d.path}${d.label ? `  "${d.label}"` : ''}  password: ` +
        (d.passwordFile ? `file ${d.passwordFile}` : 'keychain (or asked)'),
    ),
    `  status:       ${status ? `${status.state}: ${status.summary}` : 'unknown'}`,
    `  next run:     ${nextRun(plan, s)}${plan && !plan.due ? ` (${plan.reason.message})` : ''}`,
  ];
  return lines;
}

export function jobShow(args: readonly string[]): Promise<number> {
  return withServices(args, {}, async (s, p) => {
    const job = existing(s, p.positionals[0], 'show');
    const { plans, statuses } = await overview(s);
    const plan = plans.find((x) => x.jobId === job.id);
    const status = statuses.find((x) => x.jobId === job.id);
    const runs = s.catalog.listRuns(job.id, RECENT_RUNS);
    if (flag(p, 'json')) {
      emitJson({ job, schedule: describeSchedule(job.schedule), status, plan, runs });
      return 0;
    }
    say(p, describe(job, status, plan, s).join('\n'));
    if (runs.length === 0) {
      say(p, '\nNo runs yet.');
      return 0;
    }
    say(p, `\nRecent runs (newest first):`);
    const head = ['RUN', 'STARTED', 'KIND', 'DESTINATION', 'OUTCOME', 'SNAPSHOT', 'ADDED', 'ERROR'];
    say(p, table([head, ...runs.map(runRow)]));
    return 0;
  });
}
