/**
 * The typed protocol between CatalogClient and the catalog worker.
 *
 * Down: `{seq, method, args}`. Up: `{kind: 'ready'}` once the file is open (or `{kind:
 * 'failed'}` when it cannot be), then `{seq, result}` or `{seq, error: {name, message, code}}`
 * per request. Everything is plain data: the methods that take a Repository on the Catalog take
 * a RepoAccess here, and the worker opens the repository itself.
 */
import type { Destination } from '../../../shared/jobs';
import type { Catalog } from './catalog';
import type { SyncResult } from './types';

/** What the worker needs to open a destination's repository. */
export interface RepoAccess {
  readonly destination: Destination;
  readonly password: string;
}

/** Catalog methods that take and return plain data, passed through as they are. */
export const DIRECT_METHODS = [
  'listJobs',
  'getJob',
  'putJob',
  'removeJob',
  'startRun',
  'finishRun',
  'getRun',
  'listRuns',
  'appendLog',
  'runLog',
  'destinations',
  'snapshots',
  'listFolder',
  'fileVersions',
  'search',
  'stats',
] as const satisfies readonly (keyof Catalog)[];
type Direct = Pick<Catalog, (typeof DIRECT_METHODS)[number]>;

/** Everything the worker answers. */
export interface WorkerMethods extends Direct {
  syncSnapshots(access: RepoAccess): Promise<SyncResult>;
  rebuild(access: readonly RepoAccess[]): Promise<SyncResult[]>;
  close(): void;
}
export type Method = keyof WorkerMethods;

/** The async face of every worker method. */
export type CatalogApi = {
  readonly [M in Method]: (
    ...args: Parameters<WorkerMethods[M]>
  ) => Promise<Awaited<ReturnType<WorkerMethods[M]>>>;
};

export interface WorkerInit {
  readonly file: string;
}

export interface Down {
  readonly seq: number;
  readonly method: Method;
  readonly args: readonly unknown[];
}

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type Up =
  | {
      readonly kind: 'ready';
      readonly fresh: boolean;
      readonly setAside?: { readonly path: string; readonly reason: string };
    }
  | { readonly kind: 'failed'; readonly error: WireError }
  | { readonly kind: 'result'; readonly seq: number; readonly result: unknown }
  | { readonly kind: 'error'; readonly seq: number; readonly error: WireError };
