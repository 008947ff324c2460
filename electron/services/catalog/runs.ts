/**
 * Runs (one backup, prune, verify or check of a job against a destination) and their log
 * lines. A run's log keeps only its last MAX_LOG_LINES lines: a backup that warns about every
 * file of a huge folder must not grow the catalog without bound; the run's counts still say
 * how many warnings there were.
 */
import type Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import type { Figures, LogLine, Run, RunEnd, RunStart } from './types';

export const MAX_LOG_LINES = 2_000;
/** A log line longer than this is cut (a pasted stack trace, a huge path list). */
const MAX_LINE_CHARS = 4_000;

interface RunRow {
  id: number;
  job_id: string;
  destination_id: string | null;
  kind: Run['kind'];
  started: string;
  finished: string | null;
  outcome: Run['outcome'];
  counts: string | null;
  bytes: string | null;
  warnings: number;
  error: string | null;
  snapshot_id: string | null;
}

const json = (f: Figures | undefined): string | null => (f ? JSON.stringify(f) : null);
const figures = (s: string | null): Figures | null => (s ? (JSON.parse(s) as Figures) : null);

function toRun(r: RunRow): Run {
  return {
    id: r.id,
    jobId: r.job_id,
    destinationId: r.destination_id,
    kind: r.kind,
    started: r.started,
    finished: r.finished,
    outcome: r.outcome,
    counts: figures(r.counts),
    bytes: figures(r.bytes),
    warnings: r.warnings,
    error: r.error,
    snapshotId: r.snapshot_id,
  };
}

export class RunsTable {
  constructor(private readonly db: Database.Database) {}

  /** Records the start of a run; returns its id. The job must exist. */
  start(s: RunStart): number {
    if (!this.db.prepare('SELECT 1 FROM jobs WHERE id = ?').get(s.jobId)) {
      throw new StrataError('NOT_FOUND', `there is no job ${s.jobId} in the catalog`);
    }
    const r = this.db
      .prepare('INSERT INTO runs (job_id, destination_id, kind, started) VALUES (?, ?, ?, ?)')
      .run(s.jobId, s.destinationId ?? null, s.kind, s.started ?? new Date().toISOString());
    return Number(r.lastInsertRowid);
  }

  /** Records how a run ended. */
  finish(id: number, e: RunEnd): Run {
    const r = this.db
      .prepare(
        'UPDATE runs SET finished = ?, outcome = ?, counts = ?, bytes = ?, warnings = ?, ' +
          'error = ?, snapshot_id = ? WHERE id = ?',
      )
      .run(
        e.finished ?? new Date().toISOString(),
        e.outcome,
        json(e.counts),
        json(e.bytes),
        e.warnings ?? 0,
        e.error ?? null,
        e.snapshotId ?? null,
        id,
      );
    if (r.changes === 0) throw new StrataError('NOT_FOUND', `there is no run ${id}`);
    return this.get(id)!;
  }

  get(id: number): Run | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    return row ? toRun(row) : undefined;
  }

  /** Runs newest first, of one job or of all. */
  list(jobId?: string, limit = 100): Run[] {
    const rows = (
      jobId === undefined
        ? this.db.prepare('SELECT * FROM runs ORDER BY started DESC, id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT * FROM runs WHERE job_id = ? ORDER BY started DESC, id DESC LIMIT ?')
            .all(jobId, limit)
    ) as RunRow[];
    return rows.map(toRun);
  }

  /** Appends log lines to a run, dropping its oldest lines past MAX_LOG_LINES. */
  appendLog(runId: number, lines: readonly LogLine[]): void {
    if (lines.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO run_log (run_id, seq, level, time, text) VALUES (?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      const { last } = this.db
        .prepare('SELECT coalesce(max(seq), 0) AS last FROM run_log WHERE run_id = ?')
        .get(runId) as { last: number };
      // Only the tail can survive: don't write lines that would be dropped at once.
      const kept = lines.slice(-MAX_LOG_LINES);
      const base = last + lines.length - kept.length;
      kept.forEach((l, i) =>
        insert.run(runId, base + i + 1, l.level, l.time, l.text.slice(0, MAX_LINE_CHARS)),
      );
      this.db
        .prepare('DELETE FROM run_log WHERE run_id = ? AND seq <= ?')
        .run(runId, base + kept.length - MAX_LOG_LINES);
    })();
  }

  /** A run's log lines, oldest first. */
  log(runId: number): LogLine[] {
    return this.db
      .prepare('SELECT level, time, text FROM run_log WHERE run_id = ? ORDER BY seq')
      .all(runId) as LogLine[];
  }
}
