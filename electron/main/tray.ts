/**
 * The tray's Electron glue: one icon for all jobs (images in resources/tray/), the tooltip and
 * the menu from tray-menu.ts (pure, tested without Electron), rebuilt from state.get whenever an
 * event says something changed. Menu actions become contract calls here.
 */
import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { AppState, TrayState } from '../../shared/contract';
import type { RunProgress } from '../../shared/events';
import type { StrataServiceApi } from '../services/api';
import {
  trayMenu,
  trayTooltip,
  withProgress,
  type TrayAction,
  type TrayMenuItem,
} from './tray-menu';

/** Progress refreshes the tooltip at most this often. */
const PROGRESS_EVERY_MS = 2_000;

export interface TrayActions {
  open(): void;
  quit(): void;
}

export class StrataTray {
  private readonly tray: Tray;
  private shown?: TrayState;
  private last?: AppState;
  private progressShownAt = 0;

  constructor(
    private readonly resources: string,
    private readonly api: StrataServiceApi,
    private readonly actions: TrayActions,
    private readonly timeZone: string,
    private readonly now: () => number = Date.now,
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

  private run(action: TrayAction): void {
    if (action === 'open') return this.actions.open();
    if (action === 'quit') return this.actions.quit();
    // A pause "for 1 hour" counts from the click, not from when the menu was last rebuilt.
    const [channel, args] =
      'pauseForMs' in action
        ? ([
            'jobs.pauseAll',
            { until: new Date(this.now() + action.pauseForMs).toISOString() },
          ] as const)
        : ([action.channel, action.args] as const);
    void this.api.invoke(channel, args);
  }

  private toElectron(items: readonly TrayMenuItem[]): MenuItemConstructorOptions[] {
    return items.map((i): MenuItemConstructorOptions => {
      if (i.type === 'separator') return { type: 'separator' };
      const action = i.action;
      return {
        label: i.label,
        enabled: i.enabled,
        ...(action !== undefined ? { click: () => this.run(action) } : {}),
        ...(i.submenu ? { submenu: this.toElectron(i.submenu) } : {}),
      };
    });
  }

  update(state: AppState): void {
    if (state.tray !== this.shown) {
      this.tray.setImage(this.image(state.tray));
      this.shown = state.tray;
    }
    const now = this.now();
    this.last = state;
    this.tray.setToolTip(trayTooltip(state, now, this.timeZone));
    this.tray.setContextMenu(
      Menu.buildFromTemplate(this.toElectron(trayMenu(state, now, this.timeZone))),
    );
  }

  /** A running job's progress: only the tooltip changes ("Backing up Documents — 42%"). */
  progress(progress: RunProgress): void {
    const now = this.now();
    if (!this.last || now - this.progressShownAt < PROGRESS_EVERY_MS) return;
    this.progressShownAt = now;
    this.last = withProgress(this.last, progress);
    this.tray.setToolTip(trayTooltip(this.last, now, this.timeZone));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
