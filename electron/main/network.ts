/**
 * Is the network metered? On Linux, NetworkManager's global `Metered` property says so for the
 * primary connection (NMMetered: 0 unknown, 1 yes, 2 no, 3 guess-yes, 4 guess-no). It is read
 * through the D-Bus tools (dbus.ts), at most once a minute: the scheduler asks on every tick and
 * every state refresh. Anything that goes wrong means "not metered" (the schedule goes on, as
 * it did before this was known), and nothing here throws. Other systems: not metered (Electron
 * has no API for it; Windows and macOS would need native calls).
 */
import { askFirst, parseDbusUint, type AskOptions, type DbusCommand } from './dbus';

const NM = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';

/** NMMetered: yes (1) and guess-yes (3) are metered; unknown, no and guess-no are not. */
export function isMeteredValue(value: number | undefined): boolean {
  return value === 1 || value === 3;
}

/** The ways to read NetworkManager's Metered property on the system bus, in order. */
export function meteredCommands(): DbusCommand<number>[] {
  return [
    {
      program: 'busctl',
      args: ['--system', 'get-property', NM, NM_PATH, NM, 'Metered'],
      parse: parseDbusUint,
    },
    {
      program: 'gdbus',
      args: [
        'call',
        '--system',
        '--dest',
        NM,
        '--object-path',
        NM_PATH,
        '--method',
        'org.freedesktop.DBus.Properties.Get',
        NM,
        'Metered',
      ],
      parse: parseDbusUint,
    },
    {
      program: 'dbus-send',
      args: [
        '--system',
        '--print-reply',
        `--dest=${NM}`,
        NM_PATH,
        'org.freedesktop.DBus.Properties.Get',
        `string:${NM}`,
        'string:Metered',
      ],
      parse: parseDbusUint,
    },
  ];
}

export interface MeteredNetworkOptions extends AskOptions {
  /** Default process.platform. */
  readonly platform?: NodeJS.Platform;
  /** How long an answer is reused; default a minute. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  /** Reads the NMMetered value; default the D-Bus tools (tests pass their own). */
  readonly read?: () => Promise<number | undefined>;
}

/** NetworkManager's metered flag, cached; `get()` never throws and never waits twice at once. */
export class MeteredNetwork {
  private cached?: { readonly at: number; readonly metered: boolean };
  private pending?: Promise<boolean>;

  constructor(private readonly o: MeteredNetworkOptions = {}) {}

  /** True when the network is (guessed) metered; false when not, unknown or on failure. */
  get(): Promise<boolean> {
    if ((this.o.platform ?? process.platform) !== 'linux') return Promise.resolve(false);
    const now = (this.o.now ?? Date.now)();
    const c = this.cached;
    if (c && now - c.at < (this.o.maxAgeMs ?? 60_000) && now >= c.at)
      return Promise.resolve(c.metered);
    this.pending ??= this.read().then((metered) => {
      this.cached = { at: now, metered };
      this.pending = undefined;
      return metered;
    });
    return this.pending;
  }

  private async read(): Promise<boolean> {
    try {
      const value = await (this.o.read ?? (() => askFirst(meteredCommands(), this.o)))();
      return isMeteredValue(value);
    } catch {
      return false;
    }
  }
}
