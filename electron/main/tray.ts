/**
 * The tray: one icon for all jobs (idle / running / paused / warning / error / overdue, images in
 * resources/tray/) and a menu: back up now per job, pause all for an hour or until resumed,
 * open, quit. Rebuilt from state.get whenever an event says something changed.
 */
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { AppState, TrayState } from '../../shared/contract';
import type { StrataServiceApi } from '../services/api';

const TRAY_WORDS: Record<TrayState, string> = {
  idle: 'all backups up to date',
  running: 'backing up',
  paused: 'paused',
  warning: 'the last backup had warnings',
  error: 'a backup failed',
  overdue: 'a backup is overdue',
};

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

  /**
   * The state's icon: 16 px (and @2x) for macOS and Windows trays, 22 px (and @2x) for Linux
   * panels. Electron picks the @2x file beside it on high-density screens. The states differ
   * by shape (no badge, circular arrow, bars, triangle, octagon, clock), not only by colour.
   */
  private image(state: TrayState) {
    const name = process.platform === 'linux' ? `${state}-22.png` : `${state}.png`;
    return nativeImage.createFromPath(join(this.resources, 'tray', name));
  }

  update(state: AppState): void {
    if (state.tray !== this.shown) {
      this.tray.setImage(this.image(state.tray));
      // The state in words too, for screen readers and anyone who cannot tell the icons apart.
      this.tray.setToolTip(`Strata: ${TRAY_WORDS[state.tray]}`);
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
