/**
 * What the channel handlers share: the services, the host's native pieces (folder picker,
 * browser, login item), the settings file, "pause all", the latest progress per job, and the
 * app events that do not come from the core (restores, state changes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AppEvent, PauseAllState, Settings } from '../../../shared/contract';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../../shared/contract';
import type { RunProgress } from '../../../shared/events';
import type { Services } from '../host';

/** What only the host can do: native dialogs, the browser, the OS login items. */
export interface HostPorts {
  /** A native folder picker; null when cancelled. */
  pickFolder(o: { title?: string; defaultPath?: string }): Promise<string | null>;
  /** Opens an http(s) link in the user's browser (already validated). */
  openExternal(url: string): Promise<void>;
  /** Applies settings the OS owns (start at login). */
  applySettings?(settings: Settings): Promise<void> | void;
}

export interface ApiOptions {
  readonly services: Services;
  readonly host: HostPorts;
  /** The settings JSON file; undefined keeps settings in memory (tests). */
  readonly settingsFile?: string;
  /** scrypt cost for new repositories (tests use a low one). */
  readonly kdfLogN?: number;
  readonly version?: string;
  readonly now?: () => number;
}

type Listener = (event: AppEvent) => void;

export class ApiContext {
  readonly s: Services;
  readonly host: HostPorts;
  readonly now: () => number;
  settings: Settings;
  pauseAll: PauseAllState = { paused: false };
  readonly progress = new Map<string, RunProgress>();
  readonly restores = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribe: () => void;

  constructor(readonly o: ApiOptions) {
    this.s = o.services;
    this.host = o.host;
    this.now = o.now ?? Date.now;
    this.settings = readSettings(o.settingsFile);
    this.unsubscribe = this.s.bus.on((event) => {
      if (event.type === 'progress') this.progress.set(event.progress.jobId, event.progress);
      if (event.type === 'run-finished') this.progress.delete(event.result.jobId);
      this.emit(event);
    });
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: AppEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener (a closed window) failing must not stop a backup or a restore.
      }
    }
  }

  async saveSettings(next: Settings): Promise<void> {
    this.settings = next;
    const file = this.o.settingsFile;
    if (file === undefined) return;
    await mkdir(dirname(file), { recursive: true });
    // Written aside then renamed: a crash never leaves half a settings file.
    await writeFile(`${file}.tmp`, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  close(): void {
    this.unsubscribe();
    this.listeners.clear();
  }
}

/** The settings file, or the defaults when it is missing or unreadable (never fatal). */
function readSettings(file: string | undefined): Settings {
  if (file === undefined || !existsSync(file)) return DEFAULT_SETTINGS;
  try {
    const parsed = SettingsSchema.partial().parse(JSON.parse(readFileSync(file, 'utf8')));
    return { ...DEFAULT_SETTINGS, ...parsed };
  } catch {
    return DEFAULT_SETTINGS;
  }
}
