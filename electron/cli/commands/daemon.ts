/**
 * `strata daemon`: the scheduler without a desktop, for servers. It ticks now and then every
 * --tick-seconds (and soon after a run ends, so a retry or the maintenance that follows a
 * backup is not a whole tick late), logs one line per event to stdout, and never prompts: with
 * nobody to ask, a password must come from the keychain or a password file. SIGTERM or SIGINT
 * stops the ticks and cancels running jobs (what they stored is kept and reused next time).
 */
import { StrataError } from '../../../shared/errors';
import type { JobOutcome } from '../../../shared/events';
import { LogNotifier } from '../../services/notify/log-notifier';
import { catalogFile, CATALOG_OPTION } from '../catalog-file';
import { parse, str, flag, workers } from '../context';
import { DaemonLog } from '../daemon-log';
import { EXIT } from '../exit-codes';
import type { Command } from './command';

/** How long after a run ends the next tick comes. */
const SOON_MS = 1000;

function tickSeconds(text: string | undefined): number {
  if (text === undefined) return 60;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 1 || n > 3600)
    throw new StrataError(
      'INVALID_ARGUMENT',
      `--tick-seconds must be from 1 to 3600 (got ${text})`,
    );
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const daemon: Command = {
  name: 'daemon',
  summary: 'run the jobs on their schedules, headless (logs to stdout; stops on SIGTERM)',
  usage: 'strata daemon [--catalog FILE] [--tick-seconds 60] [--once] [--workers N]',
  details:
    'Logs one line per event to stdout: time, level, job, text (progress at most every 30 s per job), and ' +
    'notifications as "notify" lines. It never asks for a password: each destination needs its password in ' +
    'the OS keychain (strata job add saves it there) or a password file (--password-file). SIGTERM or SIGINT ' +
    'cancels running backups (what they stored is kept) and exits 0. --once ticks once, waits for what it ' +
    'started and exits: 0, or 3 if a run had warnings, 1 if one failed (for cron).',
  async run(args) {
    const p = parse(args, {
      ...CATALOG_OPTION,
      'tick-seconds': { type: 'string' },
      once: { type: 'boolean' },
    });
    const tickMs = tickSeconds(str(p, 'tick-seconds')) * 1000;
    const once = flag(p, 'once');
    const file = catalogFile(p);
    const log = new DaemonLog(process.stdout);
    // Loaded here: the services (catalog, SQLite, keychain) are for this command only.
    const { openServices } = require('../services') as typeof import('../services');
    const s = openServices({
      catalogFile: file,
      interactive: false,
      notifier: new LogNotifier(process.stdout),
      workers: workers(p),
      notice: (sentence) => log.line('warning', undefined, sentence),
    });
    let worst = 'ok' as JobOutcome;
    let stopping = false;
    let timer: NodeJS.Timeout | undefined;
    let ticking: Promise<void> | undefined;
    let soon = false;

    const arm = (ms: number) => {
      clearTimeout(timer);
      if (!stopping && !once) timer = setTimeout(tickNow, ms);
    };
    function tickNow(): void {
      if (stopping || ticking) return;
      ticking = s.core
        .tick()
        .then(
          () => undefined,
          (err: unknown) => log.line('error', undefined, `tick failed: ${(err as Error).message}`),
        )
        .finally(() => {
          ticking = undefined;
          arm(soon ? SOON_MS : tickMs);
          soon = false;
        });
    }
    const off = s.bus.on((e) => {
      log.event(e);
      if (e.type !== 'run-finished') return;
      const rank = ['ok', 'cancelled', 'warning', 'failed'];
      if (rank.indexOf(e.result.outcome) > rank.indexOf(worst)) worst = e.result.outcome;
      if (ticking) soon = true;
      else arm(SOON_MS);
    });

    let signalled: (name: string) => void = () => undefined;
    const signal = new Promise<string>((r) => (signalled = r));
    const onTerm = () => signalled('SIGTERM');
    const onInt = () => signalled('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);

    const jobs = s.core.jobs().length;
    log.line(
      'info',
      undefined,
      `strata daemon started: ${jobs} job(s) in ${file}; time zone ${s.timeZone}; ` +
        (once ? 'one tick' : `a tick every ${tickMs / 1000} s`),
    );
    try {
      tickNow();
      const idle = (async () => {
        if (!once) return new Promise<never>(() => undefined);
        await ticking;
        await s.core.idle();
        return 'idle';
      })();
      const why = await Promise.race([signal, idle]);
      stopping = true;
      clearTimeout(timer);
      if (why !== 'idle') {
        const running = s.core.runner.runningJobs();
        log.line(
          'info',
          undefined,
          `${why} received: stopping` +
            (running.length > 0
              ? `; cancelling ${running.join(', ')} (what was stored is kept and reused next time)`
              : ''),
        );
      }
      await ticking;
      await s.core.stop();
      // A cancelled run's last steps (its notification) run just after it settles.
      await sleep(50);
      log.line('info', undefined, 'strata daemon stopped');
      if (why !== 'idle') return EXIT.ok;
      return worst === 'failed' ? EXIT.fatal : worst === 'warning' ? EXIT.incomplete : EXIT.ok;
    } finally {
      off();
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      s.close();
    }
  },
};
