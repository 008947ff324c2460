/**
 * CatalogClient: the catalog in a worker thread, with the Catalog's methods made async. The
 * app's main process uses this so a big listing or a sync never stalls the UI; the CLI may use
 * Catalog directly.
 *
 * If the worker dies, the requests in flight fail (a write such as startRun is not safely
 * repeatable, so nothing is retried) and the next request starts a new worker.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ERROR_CODES, StrataError, type ErrorCode } from '../../../shared/errors';
import type { CatalogApi, Down, Method, Up, WireError, WorkerInit } from './protocol';

/** The compiled worker; under a TypeScript test runner, the built copy in dist/. */
function workerEntry(): string {
  const candidates = [
    join(__dirname, 'worker.js'),
    resolve(__dirname, '../../../dist/electron/services/catalog/worker.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`the catalog worker is not built (looked for ${candidates[0]})`);
  return found;
}

function revive(e: WireError): Error {
  if (e.code && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return new StrataError(e.code as ErrorCode, e.message);
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: Error) => void;
}

type Ready = Extract<Up, { kind: 'ready' }>;

class Connection {
  readonly ready: Promise<Ready>;
  readonly pending = new Map<number, Pending>();
  readonly worker: Worker;
  dead = false;

  constructor(file: string, onExit: () => void) {
    this.worker = new Worker(workerEntry(), { workerData: { file } satisfies WorkerInit });
    this.ready = new Promise<Ready>((done, fail) => {
      this.worker.on('message', (m: Up) => {
        if (m.kind === 'ready') return done(m);
        if (m.kind === 'failed') return fail(revive(m.error));
        const p = this.pending.get(m.seq);
        if (!p) return;
        this.pending.delete(m.seq);
        if (m.kind === 'result') p.resolve(m.result);
        else p.reject(revive(m.error));
      });
      const stop = (why: Error): void => {
        this.dead = true;
        fail(why);
        for (const p of this.pending.values()) p.reject(why);
        this.pending.clear();
        onExit();
      };
      this.worker.on('error', stop);
      this.worker.on('exit', (code) =>
        stop(new StrataError('IO_ERROR', `the catalog worker stopped (exit code ${code})`)),
      );
    });
    this.ready.catch(() => undefined);
  }
}

export class CatalogClient implements CatalogApi {
  private connection: Connection;
  private seq = 0;

  private constructor(private readonly file: string) {
    this.connection = this.connect();
  }

  /** Starts the worker and opens the catalog at `file`; fails as Catalog.open would. */
  static async open(file: string): Promise<CatalogClient & { readonly opened: Ready }> {
    const client = new CatalogClient(file);
    const opened = await client.connection.ready;
    return Object.assign(client, { opened });
  }

  private connect(): Connection {
    const c: Connection = new Connection(this.file, () => {
      if (this.connection === c && !this.closed) this.connection = this.connect();
    });
    return c;
  }

  private closed = false;

  private async call<M extends Method>(method: M, args: readonly unknown[]): Promise<never> {
    if (this.closed) throw new StrataError('INVALID_ARGUMENT', 'the catalog is closed');
    const c = this.connection;
    await c.ready;
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      c.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      c.worker.postMessage({ seq, method, args } satisfies Down);
    });
  }

  listJobs: CatalogApi['listJobs'] = (...a) => this.call('listJobs', a);
  getJob: CatalogApi['getJob'] = (...a) => this.call('getJob', a);
  putJob: CatalogApi['putJob'] = (...a) => this.call('putJob', a);
  removeJob: CatalogApi['removeJob'] = (...a) => this.call('removeJob', a);
  startRun: CatalogApi['startRun'] = (...a) => this.call('startRun', a);
  finishRun: CatalogApi['finishRun'] = (...a) => this.call('finishRun', a);
  getRun: CatalogApi['getRun'] = (...a) => this.call('getRun', a);
  listRuns: CatalogApi['listRuns'] = (...a) => this.call('listRuns', a);
  appendLog: CatalogApi['appendLog'] = (...a) => this.call('appendLog', a);
  runLog: CatalogApi['runLog'] = (...a) => this.call('runLog', a);
  destinations: CatalogApi['destinations'] = (...a) => this.call('destinations', a);
  snapshots: CatalogApi['snapshots'] = (...a) => this.call('snapshots', a);
  listFolder: CatalogApi['listFolder'] = (...a) => this.call('listFolder', a);
  fileVersions: CatalogApi['fileVersions'] = (...a) => this.call('fileVersions', a);
  search: CatalogApi['search'] = (...a) => this.call('search', a);
  stats: CatalogApi['stats'] = (...a) => this.call('stats', a);
  syncSnapshots: CatalogApi['syncSnapshots'] = (...a) => this.call('syncSnapshots', a);
  rebuild: CatalogApi['rebuild'] = (...a) => this.call('rebuild', a);

  /** Closes the database and stops the worker. */
  close: CatalogApi['close'] = async () => {
    if (this.closed) return;
    await this.call('close', []).catch(() => undefined);
    this.closed = true;
    await this.connection.worker.terminate();
  };
}
