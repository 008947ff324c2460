/**
 * What the scheduler and the status need to know about a job's past, derived from the catalog's
 * runs and cached snapshots every time (never stored, so never stale).
 *
 * A job run writes one backup row per destination, one after the other; rows of one job run
 * are told apart by each destination appearing once in it (a before-hook failure writes one row
 * without a destination).
 */
import type { Job } from '../../shared/jobs';
import type { Catalog } from './catalog/catalog';
import type { Run, RunOutcome as CatalogOutcome } from './catalog/types';
import type { JobRunState, RunOutcome } from './scheduler/types';
import type { DestinationHistory } from './status/types';

/** How many recent runs are read: enough for failure streaks and the last maintenance. */
const RECENT = 500;

export function schedulerOutcome(run: Run, running: boolean): RunOutcome {
  if (run.finished === null) return running ? 'success' : 'interrupted';
  const map: Record<CatalogOutcome, RunOutcome> = {
    ok: 'success',
    warning: 'warning',
    failed: 'failure',
    cancelled: 'cancelled',
  };
  return map[run.outcome as CatalogOutcome] ?? 'failure';
}

const ORDER: readonly RunOutcome[] = ['success', 'warning', 'cancelled', 'interrupted', 'failure'];
const worse = (a: RunOutcome, b: RunOutcome) => (ORDER.indexOf(a) >= ORDER.indexOf(b) ? a : b);
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : undefined);

/** Backup rows grouped into job runs, newest first. */
function jobRuns(runs: readonly Run[]): Run[][] {
  const groups: Run[][] = [];
  let current: Run[] = [];
  const seen = new Set<string | null>();
  for (const r of runs) {
    if (r.kind !== 'backup') continue;
    if (r.destinationId === null) {
      // A run that failed before any destination (a before-hook): a job run of its own.
      if (current.length > 0) groups.push(current);
      groups.push([r]);
      current = [];
      seen.clear();
      continue;
    }
    if (seen.has(r.destinationId)) {
      groups.push(current);
      current = [];
      seen.clear();
    }
    current.push(r);
    seen.add(r.destinationId);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** The scheduler's view of a job's runs. */
export function runStateOf(
  catalog: Catalog,
  job: Job,
  running: boolean,
  createdAt?: number,
): JobRunState {
  const runs = catalog.listRuns(job.id, RECENT);
  const groups = jobRuns(runs);
  const last = groups[0];
  let lastOutcome: RunOutcome | undefined;
  for (const r of last ?? []) {
    const o = schedulerOutcome(r, running);
    lastOutcome = lastOutcome ? worse(lastOutcome, o) : o;
  }
  let consecutiveFailures = 0;
  for (const g of groups) {
    if (!g.every((r) => schedulerOutcome(r, false) === 'failure')) break;
    consecutiveFailures++;
  }
  const good = runs.find(
    (r) => r.kind === 'backup' && (r.outcome === 'ok' || r.outcome === 'warning') && r.finished,
  );
  const finishedOf = (kind: Run['kind'], okOnly: boolean) =>
    ms(
      runs.find(
        (r) =>
          r.kind === kind &&
          r.finished !== null &&
          (!okOnly || r.outcome === 'ok' || r.outcome === 'warning'),
      )?.finished,
    );
  return {
    lastStarted: last ? Math.min(...last.map((r) => Date.parse(r.started))) : undefined,
    lastFinished: last
      ? Math.max(...last.map((r) => ms(r.finished) ?? Date.parse(r.started)))
      : undefined,
    lastOutcome,
    running,
    consecutiveFailures,
    createdAt,
    lastGoodBackup: ms(good?.finished),
    lastPrune: finishedOf('prune', true),
    lastVerify: finishedOf('verify', false),
  };
}

/** The status's view of each destination of a job. */
export function historyOf(
  catalog: Catalog,
  job: Job,
  running: boolean,
): Record<string, DestinationHistory> {
  const runs = catalog.listRuns(job.id, RECENT);
  const out: Record<string, DestinationHistory> = {};
  for (const d of job.destinations) {
    // A run that failed before reaching any destination (a before-hook) counts for each.
    const mine = runs.filter(
      (r) => r.destinationId === d.id || (r.destinationId === null && r.kind === 'backup'),
    );
    const backups = mine.filter((r) => r.kind === 'backup');
    const last = backups[0];
    let failures = 0;
    for (const r of backups) {
      if (schedulerOutcome(r, false) !== 'failure') break;
      failures++;
    }
    const good = backups.find((r) => (r.outcome === 'ok' || r.outcome === 'warning') && r.finished);
    const verifies = mine.filter((r) => r.kind === 'verify' && r.finished);
    const proven = verifies.find((r) => r.outcome === 'ok');
    const snapshotTime = ms(catalog.newestSnapshotTime(d.id));
    const goodTime = ms(good?.finished);
    out[d.id] = {
      lastRun: last && {
        started: Date.parse(last.started),
        finished: ms(last.finished),
        outcome: schedulerOutcome(last, running),
        message: last.error ?? undefined,
        consecutiveFailures: failures,
      },
      lastGoodSnapshotTime:
        goodTime === undefined ? snapshotTime : Math.max(goodTime, snapshotTime ?? 0),
      lastVerify: verifies[0] && {
        time: Date.parse(verifies[0].finished!),
        ok: verifies[0].outcome === 'ok',
        message: verifies[0].error ?? undefined,
      },
      lastProvenRestore: ms(proven?.finished),
    };
  }
  return out;
}
