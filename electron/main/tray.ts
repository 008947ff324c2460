/**
 * The tray: one icon for all jobs (idle / running / paused / warning / error / overdue, images in
 * resources/tray/) and a menu: back up now per job, pause all for an hour or until resumed,
 * open, quit. Rebuilt from state.get whenever an event says something changed.
 */
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { AppState, TrayState } from '../../shared/contract';
import type { StrataServiceApi } from '../services/api';

export interface TrayActions {
  open(): void;
  quit(): void;
}

export class StrataTray {
  private readonly tray: Tray;
  private shown?: TrayState;

  constructor(
    private readonly resources: string,
    private readonly api: StrataServiceApi,
    private readonly actions: TrayActions,
  ) {
    this.tray = new Tray(this.image('idle'));
    this.tray.setToolTip('Strata');
    this.tray.on('click', () => actions.open());
  }

  private image(state: TrayState) {
    return nativeImage.createFromPath(join(this.resources, 'tray', `${state}.png`));
  }

  update(state: AppState): void {
    if (state.tray !== this.shown) {
      this.tray.setImage(this.image(state.tray));
      this.shown = state.tray;
    }
    const call = (channel: Parameters<StrataServiceApi['invoke']>[0], args: unknown) =>
      void this.api.invoke(channel, args);
    const hour = () => new Date(Date.now() + 3_600_000).toISOString();
    this.tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: 'Open Strata', click: () => this.actions.open() },
        { type: 'separator' },
        ...state.jobs.map((j) => ({
          label: `Back up “${j.job.name}” now`,
          enabled: j.status.state !== 'running',
          click: () => call('jobs.runNow', { jobId: j.job.id }),
        })),
        { type: 'separator' },
        state.pauseAll.paused
          ? { label: 'Resume backups', click: () => call('jobs.resumeAll', {}) }
          : {
              label: 'Pause backups',
              submenu: [
                { label: 'For 1 hour', click: () => call('jobs.pauseAll', { until: hour() }) },
                { label: 'Until resumed', click: () => call('jobs.pauseAll', {}) },
              ],
            },
        { type: 'separator' },
        { label: 'Quit Strata', click: () => this.actions.quit() },
      ]),
    );
  }

  destroy(): void {
    this.tray.destroy();
  }
}
