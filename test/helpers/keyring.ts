/**
 * The real OS keychain for tests: a private D-Bus session (dbus-run-session) with a temporary
 * HOME and gnome-keyring-daemon, the recipe in ENVIRONMENT.md. The built KeychainStore (dist/)
 * runs in a child process inside that session, and `KeychainChild` forwards the SecretStore
 * calls to it, so tests in this process use it like any other store.
 *
 * Sessions: `unlocked` (a keyring unlocked with a known password), `locked` (the daemon runs
 * but the keyring in HOME stays locked, and there is no desktop to ask), `no-service` (a bus on
 * which no Secret Service can be started), `none` (no D-Bus session at all, as on a headless
 * server).
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { StrataError, type ErrorCode } from '../../shared/errors';
import type {
  Availability,
  SecretKey,
  SecretStore,
} from '../../electron/services/secrets/secret-store';

const BUILT = resolve(__dirname, '../../dist/electron/services/secrets/index.js');
const CHILD = resolve(__dirname, 'keyring-child.cjs');
/** The password the test keyring is created and unlocked with. */
export const KEYRING_PASSWORD = 'keyring-test-password';

export type KeyringSession = 'unlocked' | 'locked' | 'no-service' | 'none';

/** What is missing to run the keychain tests, with how to install it; undefined when nothing. */
export function keyringToolsMissing(): string | undefined {
  const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
  );
  if (missing.length === 0) return undefined;
  const verb = missing.length > 1 ? 'are' : 'is';
  return `${missing.join(' and ')} ${verb} not installed: apt-get install -y gnome-keyring dbus dbus-x11`;
}

/** A bus configuration with no service directories, so nothing can provide the Secret Service. */
const BARE_BUS = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/>
  </policy>
</busconfig>
`;

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: Error) => void;
}

/** A SecretStore whose calls run in the built KeychainStore in a child process. */
export class KeychainChild implements SecretStore {
  readonly label: string = 'the OS keychain';
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stderrText = '';
  private exited = false;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stderr.on('data', (d: Buffer) => (this.stderrText += d.toString()));
    child.on('close', () => {
      this.exited = true;
      for (const p of this.pending.values()) {
        p.reject(new Error(`the keychain child ended; its stderr:\n${this.stderrText}`));
      }
      this.pending.clear();
    });
  }

  /** Starts the child in the given session with `home` as HOME. */
  static async start(
    session: KeyringSession,
    home: string,
    options: { service?: string; timeoutMs?: number } = {},
  ): Promise<KeychainChild> {
    if (!existsSync(BUILT)) {
      throw new Error(`${BUILT} is missing: build first (npx tsc -p tsconfig.build.json)`);
    }
    const node = [
      process.execPath,
      CHILD,
      BUILT,
      options.service ?? 'Strata',
      String(options.timeoutMs ?? 20_000),
    ];
    const quoted = node.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    let command: string[];
    switch (session) {
      case 'unlocked':
        command = [
          'dbus-run-session',
          '--',
          'sh',
          '-c',
          `printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${quoted}`,
        ];
        break;
      case 'locked':
        command = [
          'dbus-run-session',
          '--',
          'sh',
          '-c',
          `gnome-keyring-daemon --start --components=secrets >/dev/null && exec ${quoted}`,
        ];
        break;
      case 'no-service': {
        const config = join(home, 'bare-session.conf');
        await writeFile(config, BARE_BUS);
        command = ['dbus-run-session', `--config-file=${config}`, '--', ...node];
        break;
      }
      case 'none':
        command = node;
        break;
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      LANG: 'C.UTF-8',
      HOME: home,
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      KEYRING_PASSWORD,
      // No DBUS_SESSION_BUS_ADDRESS, DISPLAY, WAYLAND_DISPLAY or XDG_RUNTIME_DIR: nothing may
      // lead the child to the caller's own session bus.
    };
    const [program, ...args] = command;
    const child = spawn(program as string, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const store = new KeychainChild(child);
    await store.started();
    return store;
  }

  private started(): Promise<void> {
    return new Promise((done, fail) => {
      const lines = createInterface({ input: this.child.stdout });
      const onClose = () =>
        fail(new Error(`the keychain child ended before it was ready:\n${this.stderrText}`));
      this.child.once('close', onClose);
      lines.on('line', (line) => {
        const message = JSON.parse(line) as {
          ready?: boolean;
          id?: number;
          result?: unknown;
          error?: { name: string; code?: ErrorCode; message: string };
        };
        if (message.ready) {
          this.child.off('close', onClose);
          done();
          return;
        }
        const p = this.pending.get(message.id as number);
        if (!p) return;
        this.pending.delete(message.id as number);
        if (message.error) {
          const { code, message: text, name } = message.error;
          const err = code ? new StrataError(code, text) : new Error(text);
          if (!code) err.name = name;
          p.reject(err);
        } else {
          p.resolve(message.result);
        }
      });
    });
  }

  private call(op: string, key?: unknown, value?: string): Promise<unknown> {
    if (this.exited) return Promise.reject(new Error('the keychain child has ended'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ id, op, key, value }) + '\n');
    });
  }

  available(): Promise<Availability> {
    return this.call('available') as Promise<Availability>;
  }

  async get(key: SecretKey): Promise<string | undefined> {
    return ((await this.call('get', key)) as string | null | undefined) ?? undefined;
  }

  async set(key: SecretKey, value: string): Promise<void> {
    await this.call('set', key, value);
  }

  async delete(key: SecretKey): Promise<boolean> {
    return (await this.call('delete', key)) as boolean;
  }

  /** Reads an entry with keytar itself, by service and account (to check how entries are filed). */
  async rawGet(service: string, account: string): Promise<string | undefined> {
    const found = (await this.call('raw-get', { service, account })) as string | null;
    return found ?? undefined;
  }

  /** What the child and the session wrote to stderr (for failure messages). */
  stderr(): string {
    return this.stderrText;
  }

  /** Ends the child; dbus-run-session then ends the bus and the keyring daemon with it. */
  close(): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((done) => {
      this.child.once('close', () => done());
      this.child.stdin.end();
    });
  }
}
