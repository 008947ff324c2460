/** `--schedule` in one line, for help texts (kept apart so help does not load the job schemas). */
export const SCHEDULE_HELP =
  'SCHEDULE: manual | hourly | every 30m|2h|1d | daily 02:30 | weekly mon,wed 21:00 | cron "*/30 * * * *"';
