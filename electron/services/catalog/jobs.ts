/**
 * Jobs, stored as the JSON of shared/jobs.ts. Validated on the way in (a bad job never reaches
 * the file) and on the way out (a row written by hand or by an older schema is reported, not
 * passed on to the scheduler as if it were sound).
 */
import type Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import { parseJob, type Job } from '../../../shared/jobs';

export class JobsTable {
  private readonly listAll: Database.Statement<[], { id: string; json: string }>;
  private readonly getOne: Database.Statement<[string], { id: string; json: string }>;
  private readonly upsert: Database.Statement<[string, string, string]>;
  private readonly deleteOne: Database.Statement<[string]>;

  constructor(db: Database.Database) {
    this.listAll = db.prepare('SELECT id, json FROM jobs ORDER BY id');
    this.getOne = db.prepare('SELECT id, json FROM jobs WHERE id = ?');
    this.upsert = db.prepare(
      'INSERT INTO jobs (id, json, updated) VALUES (?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated = excluded.updated',
    );
    this.deleteOne = db.prepare('DELETE FROM jobs WHERE id = ?');
  }

  list(): Job[] {
    return this.listAll.all().map(read);
  }

  get(id: string): Job | undefined {
    const row = this.getOne.get(id);
    return row ? read(row) : undefined;
  }

  /** Adds or replaces a job; returns it as stored (defaults filled in). */
  put(input: unknown): Job {
    const job = parseJob(input);
    this.upsert.run(job.id, JSON.stringify(job), new Date().toISOString());
    return job;
  }

  /** Removes a job and, by cascade, its runs; false when there was none. */
  remove(id: string): boolean {
    return this.deleteOne.run(id).changes > 0;
  }
}

function read(row: { id: string; json: string }): Job {
  try {
    return parseJob(JSON.parse(row.json));
  } catch (err) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `the catalog holds a job (${row.id}) that is no longer valid: ${(err as Error).message}`,
    );
  }
}
