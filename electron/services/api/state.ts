/**
 * state.get (everything the renderer loads on start and after a reload), settings, the folder
 * picker and external links.
 */
import type { ApiHandlers, AppState, JobView, TrayState } from '../../../shared/contract';
import { SettingsSchema } from '../../../shared/contract';
import { isStrataError } from '../../../shared/errors';
import type { Job } from '../../../shared/jobs';
import { STRATA_VERSION } from '../../../shared/version';
import { passwordKey } from '../passwords';
import { trayState, trayWithPauseAll } from '../status';
import type { ApiContext } from './context';
import { expirePauseAll } from './jobs';

type StateHandlers = Pick<
  ApiHandlers,
  'state.get' | 'settings.get' | 'settings.set' | 'dialog.pickFolder' | 'shell.openExternal'
>;

/** The one tray state; pause-all shows as paused unless something needs the user. */
export function appTray(c: ApiContext, jobs: readonly JobView[]): TrayState {
  return trayWithPauseAll(trayState(jobs.map((j) => j.status)), c.pauseAll.paused);
}

/** Destinations whose password nothing holds (SECRET_MISSING when resolved without a prompt). */
async function passwordsNeeded(c: ApiContext, jobs: readonly Job[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const d of jobs.flatMap((j) => j.destinations)) {
    if (out.has(d.id)) continue;
    const missing = await c.s.resolver.resolve(passwordKey(d)).then(
      () => false,
      (err: unknown) => isStrataError(err, 'SECRET_MISSING'),
    );
    if (missing) out.add(d.id);
  }
  return out;
}

export async function appState(c: ApiContext): Promise<AppState> {
  expirePauseAll(c);
  const core = c.s.core;
  const runner = core.runner;
  const plans = await core.plan();
  const jobs = core.jobs();
  const statuses = core.statuses(plans);
  const needed = await passwordsNeeded(c, jobs);
  const views: JobView[] = jobs.map((job) => {
    const status = statuses.find((s) => s.jobId === job.id)!;
    const nextRunAt = plans.find((p) => p.jobId === job.id)?.nextAt;
    const progress = c.progress.get(job.id);
    return {
      job,
      status,
      ...(nextRunAt !== undefined ? { nextRunAt } : {}),
      ...(progress && runner.isRunning(job.id) ? { progress } : {}),
      runPaused: runner.isPaused(job.id),
      passwordNeeded: job.destinations.filter((d) => needed.has(d.id)).map((d) => d.id),
      usage: job.destinations.flatMap((d) => c.s.catalog.usage(d.id) ?? []),
    };
  });
  const keychain = await c.s.resolver.keychainStatus();
  return {
    jobs: views,
    tray: appTray(c, views),
    pauseAll: c.pauseAll,
    settings: c.settings,
    keychain: keychain.ok ? { available: true } : { available: false, reason: keychain.reason },
    restores: [...c.restores.keys()],
    platform: process.platform,
    version: c.o.version ?? STRATA_VERSION,
  };
}

export function stateHandlers(c: ApiContext): StateHandlers {
  return {
    'state.get': () => appState(c),
    async 'settings.get'() {
      return c.settings;
    },
    async 'settings.set'(patch) {
      const next = SettingsSchema.parse({ ...c.settings, ...patch });
      await c.host.applySettings?.(next);
      await c.saveSettings(next);
      c.emit({ type: 'state-changed' });
      return next;
    },
    async 'dialog.pickFolder'(o) {
      return { path: await c.host.pickFolder(o) };
    },
    async 'shell.openExternal'({ url }) {
      await c.host.openExternal(url);
      return { opened: true };
    },
  };
}
