/**
 * Is there somewhere to show a tray icon? On Linux, Electron's Tray is a StatusNotifierItem and
 * shows only when a StatusNotifier host runs: the session bus name
 * org.kde.StatusNotifierWatcher has an owner (KDE, most other desktops, GNOME with the
 * AppIndicator extension). Plain GNOME has none, and the icon would silently never appear; then
 * notifications carry the state (tray-fallback.ts). Other systems always have a tray.
 */
import { askFirst, parseDbusBoolean, type AskOptions, type DbusCommand } from './dbus';

export const STATUS_NOTIFIER_WATCHER = 'org.kde.StatusNotifierWatcher';

/** The ways to ask the session bus whether `name` has an owner, most common tool first. */
export function nameHasOwnerCommands(name: string): DbusCommand<boolean>[] {
  return [
    {
      program: 'gdbus',
      args: [
        'call',
        '--session',
        '--dest',
        'org.freedesktop.DBus',
        '--object-path',
        '/org/freedesktop/DBus',
        '--method',
        'org.freedesktop.DBus.NameHasOwner',
        name,
      ],
      parse: parseDbusBoolean,
    },
    {
      program: 'dbus-send',
      args: [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus.NameHasOwner',
        `string:${name}`,
      ],
      parse: parseDbusBoolean,
    },
  ];
}

export interface TrayHostOptions extends AskOptions {
  /** Default process.platform. */
  readonly platform?: NodeJS.Platform;
  /** The bus name to look for; default the StatusNotifier watcher (tests ask for others). */
  readonly name?: string;
}

/**
 * True when a tray icon can be seen. On Linux, false also when the bus cannot be asked (no
 * session bus, no tool): an extra notification is better than a state nobody sees.
 */
export async function hasTrayHost(o: TrayHostOptions = {}): Promise<boolean> {
  if ((o.platform ?? process.platform) !== 'linux') return true;
  const owned = await askFirst(nameHasOwnerCommands(o.name ?? STATUS_NOTIFIER_WATCHER), o);
  return owned === true;
}
