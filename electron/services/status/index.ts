/** Job status: derived from history each time it is shown, never stored. */
export {
  STATE_PRECEDENCE,
  type StatusInput,
  destinationStatus,
  highestState,
  jobStatus,
} from './job-status';
export { trayState, trayWithPauseAll } from './tray';
export type * from './types';
