/**
 * What the channel handlers share: the services, the host's native pieces (folder picker,
 * browser, login item), the settings file, "pause all", the latest progress per job, and the
 * app events that do not come from the core (restores, state changes).
 *
 * "Pause all" is kept in its own small file beside the settings (pause-all.json), not in the
 * settings (a strict schema of the user's choices) nor in the catalog (a cache that may be
 * rebuilt): a restart must not forget "paused until resumed", and a timed pause that ended
 * while the app was closed is over when it starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
  /** Where "pause all" is kept; default pause-all.json beside the settings file. */
  readonly pauseFile?: string;
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
  pauseAll: PauseAllState;
  readonly progress = new Map<string, RunProgress>();
  readonly restores = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<Listener>();
  private readonly unsubscribe: () => void;
  private readonly pauseFile: string | undefined;
  /** Pause-file writes, one after the other (they share the temporary file). */
  private pauseWrites: Promise<void> = Promise.resolve();

  constructor(readonly o: ApiOptions) {
    this.s = o.services;
    this.host = o.host;
    this.now = o.now ?? Date.now;
    this.settings = readSettings(o.settingsFile);
    this.pauseFile =
      o.pauseFile ??
      (o.settingsFile === undefined ? undefined : join(dirname(o.settingsFile), 'pause-all.json'));
    this.pauseAll = readPauseAll(this.pauseFile, this.now());
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
    await writeAtomic(file, JSON.stringify(next, null, 2) + '\n');
  }

  /**
   * Sets "pause all" now and keeps it in the pause file; resolves once written. A failed write
   * rejects (the caller reports it) but the pause holds in memory for this session anyway.
   */
  setPauseAll(next: PauseAllState): Promise<void> {
    this.pauseAll = next;
    const file = this.pauseFile;
    if (file === undefined) return Promise.resolve();
    const write = this.pauseWrites.then(() => writeAtomic(file, JSON.stringify(next) + '\n'));
    this.pauseWrites = write.catch(() => undefined);
    return write;
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

/** Written aside then renamed: a crash never leaves half a file. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/**
 * "Pause all" as kept in `file`: not paused when the file is missing or unreadable (never
 * fatal: the schedule going on is the safe side), or when its `until` has passed.
 */
export function readPauseAll(file: string | undefined, now: number): PauseAllState {
  if (file === undefined || !existsSync(file)) return { paused: false };
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { paused?: unknown; until?: unknown };
    if (v.paused !== true) return { paused: false };
    if (v.until === undefined) return { paused: true };
    if (typeof v.until !== 'string' || Number.isNaN(Date.parse(v.until))) return { paused: false };
    return Date.parse(v.until) <= now ? { paused: false } : { paused: true, until: v.until };
  } catch {
    return { paused: false };
  }
}
