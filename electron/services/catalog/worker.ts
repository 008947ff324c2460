/**
 * The catalog worker: owns the SQLite connection so queries never block the app's main
 * process (as Signal Desktop runs its SQL in a worker). Requests are answered in order; the
 * async ones (sync, rebuild) are serialized by the Catalog itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Catalog } from './catalog';
import { openRepository } from '../destinations';
import {
  DIRECT_METHODS,
  type Down,
  type RepoAccess,
  type Up,
  type WireError,
  type WorkerInit,
} from './protocol';

function wire(err: unknown): WireError {
  const e = err as { name?: string; message?: string; code?: unknown };
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(err),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

function serve(catalog: Catalog, request: Down): unknown {
  const { method, args } = request;
  if ((DIRECT_METHODS as readonly string[]).includes(method)) {
    const fn = catalog[method as (typeof DIRECT_METHODS)[number]] as (...a: unknown[]) => unknown;
    return fn.apply(catalog, [...args]);
  }
  switch (method) {
    case 'syncSnapshots': {
      const access = args[0] as RepoAccess;
      return openRepository(access.destination, access.password).then((repo) =>
        catalog.syncSnapshots(access.destination.id, repo),
      );
    }
    case 'rebuild': {
      const all = args[0] as readonly RepoAccess[];
      return catalog.rebuild(
        all.map((a) => a.destination.id),
        (id) => {
          const a = all.find((x) => x.destination.id === id)!;
          return openRepository(a.destination, a.password);
        },
      );
    }
    case 'close':
      catalog.close();
      return undefined;
    default:
      throw new Error(`the catalog worker has no method ${String(method)}`);
  }
}

function main(): void {
  const port = parentPort!;
  const post = (m: Up): void => port.postMessage(m);
  let catalog: Catalog;
  try {
    catalog = Catalog.open((workerData as WorkerInit).file);
  } catch (err) {
    post({ kind: 'failed', error: wire(err) });
    return;
  }
  post({
    kind: 'ready',
    fresh: catalog.fresh,
    ...(catalog.setAside ? { setAside: catalog.setAside } : {}),
  });
  port.on('message', (request: Down) => {
    Promise.resolve()
      .then(() => serve(catalog, request))
      .then(
        (result) => post({ kind: 'result', seq: request.seq, result }),
        (err: unknown) => post({ kind: 'error', seq: request.seq, error: wire(err) }),
      );
  });
}

main();
