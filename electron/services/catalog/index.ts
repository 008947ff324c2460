/** The catalog: local cache of jobs, runs, snapshots and the path index (see docs/catalog.md). */
export { Catalog, type OpenRepo } from './catalog';
export { SCHEMA_VERSION } from './migrations';
export { MAX_LOG_LINES } from './runs';
export type { TreeSource } from './path-index';
export * from './types';
export { CatalogClient } from './client';
export type { CatalogApi, RepoAccess } from './protocol';
