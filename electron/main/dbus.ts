/**
 * Small D-Bus questions asked through the command-line tools every Linux desktop has (gdbus from
 * GLib, dbus-send from dbus, busctl from systemd), so main needs no native D-Bus module. Each
 * question has a short timeout and answers undefined when no tool could answer: callers choose
 * the safe default. Node only; no Electron.
 */
import { execFile } from 'node:child_process';

/** One way to ask: a program, its arguments, and how to read its answer. */
export interface DbusCommand<T> {
  readonly program: string;
  readonly args: readonly string[];
  readonly parse: (stdout: string) => T | undefined;
}

export interface AskOptions {
  /** Per command; default 1500 ms (a hung bus must not hold the app). */
  readonly timeoutMs?: number;
  /** The environment the tools see (DBUS_SESSION_BUS_ADDRESS); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

function run(program: string, args: readonly string[], o: AskOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(
        program,
        [...args],
        { timeout: o.timeoutMs ?? 1500, env: o.env ?? process.env, windowsHide: true },
        (err, stdout) => resolve(err ? undefined : String(stdout)),
      );
    } catch {
      resolve(undefined);
    }
  });
}

/** The first answer any of `commands` gives (tried in order), or undefined. Never throws. */
export async function askFirst<T>(
  commands: readonly DbusCommand<T>[],
  o: AskOptions = {},
): Promise<T | undefined> {
  for (const c of commands) {
    const out = await run(c.program, c.args, o);
    const value = out === undefined ? undefined : c.parse(out);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * A boolean as the tools print it: gdbus `(true,)`, dbus-send `boolean true`, busctl `b true`.
 * Undefined for anything else.
 */
export function parseDbusBoolean(stdout: string): boolean | undefined {
  const m =
    /^\s*\(\s*(true|false)\s*,\s*\)\s*$/m.exec(stdout) ??
    /^\s*(?:boolean|b)\s+(true|false)\s*$/m.exec(stdout);
  return m ? m[1] === 'true' : undefined;
}

/**
 * An unsigned integer property as the tools print it: gdbus `(<uint32 4>,)`, dbus-send
 * `variant       uint32 4`, busctl get-property `u 4`. Undefined for anything else.
 */
export function parseDbusUint(stdout: string): number | undefined {
  const m =
    /\(\s*<\s*uint32\s+(\d+)\s*>\s*,\s*\)/.exec(stdout) ??
    /^\s*(?:variant\s+)?uint32\s+(\d+)\s*$/m.exec(stdout) ??
    /^\s*u\s+(\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : undefined;
}
