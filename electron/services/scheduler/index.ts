/** The scheduler: pure decisions about when jobs and their maintenance run. */
export { DEFAULT_BACKOFF, backoffDelay, type BackoffPolicy } from './backoff';
export { checkConditions, destinationName } from './conditions';
export { type CronSpec, nextCronTime, parseCron } from '../../../shared/cron';
export { planPrune, planVerify } from './maintenance';
export { DEFAULT_POLICY, type PlanInput, planJob, planJobs } from './plan';
export {
  nextScheduledTime,
  scheduleGap,
  scheduleSpec,
  upcomingTimes,
} from '../../../shared/schedule-times';
export type * from './types';
export { formatAgo, formatClock, formatSpan, formatWhen } from './words';
