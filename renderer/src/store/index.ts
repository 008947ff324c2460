export { useStore, startSync } from './store';
export type { Route, RestoreRoute } from './route-slice';
export type { LogEntry } from './app-slice';
