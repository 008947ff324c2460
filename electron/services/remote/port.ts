/**
 * The parent's handle on a services process, whatever started it: Electron's utilityProcess in
 * the app (electron/main/services-process.ts, the only adapter that imports Electron) or Node's
 * child_process.fork in tests and plain-Node hosts (below). RemoteApi speaks only to this.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** How a services process ended: an exit code, or the signal that killed it. */
export interface ExitInfo {
  readonly code: number | null;
  readonly signal: string | null;
}

/** A running services process as the parent sees it. */
export interface ServicePort {
  /** Sends one message (plain, structured-cloneable data). Dropped if the process is gone. */
  post(msg: unknown): void;
  onMessage(fn: (msg: unknown) => void): void;
  /** Called once when the process has ended, for whatever reason. */
  onExit(fn: (info: ExitInfo) => void): void;
  /** Ends the process at once (SIGKILL where there are signals). */
  kill(): void;
}

/** Starts a new services process; RemoteApi calls it again after a crash. */
export type ServiceSpawner = () => ServicePort;

/**
 * The compiled child entry. Next to this file when running compiled code; under a TypeScript
 * test runner, the built copy in dist/ (the engine's worker entry is found the same way).
 */
export function serviceEntry(): string {
  const candidates = [
    join(__dirname, 'entry.js'),
    resolve(__dirname, '../../../dist/electron/services/remote/entry.js'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (found === undefined) throw new Error('services entry not found: run npm run build');
  return found;
}

export interface NodeServicePortOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the child's stderr (its log); default: the child writes to ours. */
  readonly onStderr?: (text: string) => void;
}

/** The services in a Node child process (`child_process.fork`, structured-clone messages). */
export class NodeServicePort implements ServicePort {
  /** The child process, for tests that need its pid or want to kill it with a signal. */
  readonly child: ChildProcess;
  private exited = false;

  constructor(modulePath: string = serviceEntry(), o: NodeServicePortOptions = {}) {
    const stdio = o.onStderr
      ? (['inherit', 'inherit', 'pipe', 'ipc'] as const)
      : (['inherit', 'inherit', 'inherit', 'ipc'] as const);
    this.child = fork(modulePath, [], {
      serialization: 'advanced',
      env: servicesEnv(o.env ?? process.env),
      stdio: [...stdio],
    });
    const onStderr = o.onStderr;
    if (onStderr) this.child.stderr?.on('data', (d: Buffer) => onStderr(d.toString()));
    this.child.once('exit', () => (this.exited = true));
    // A failed send (the child just died) is reported by 'exit'; nothing to do here.
    this.child.on('error', () => undefined);
  }

  post(msg: unknown): void {
    if (this.exited || !this.child.connected) return;
    this.child.send(msg as object, (err) => void err);
  }

  onMessage(fn: (msg: unknown) => void): void {
    this.child.on('message', (m) => fn(m));
  }

  onExit(fn: (info: ExitInfo) => void): void {
    if (this.exited) {
      fn({ code: this.child.exitCode, signal: this.child.signalCode });
      return;
    }
    this.child.once('exit', (code, signal) => fn({ code, signal }));
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/**
 * The services process's environment: the parent's, with glibc's malloc limited to two arenas
 * unless the user set it. Memory is shaped by glibc before the process starts (it cannot be set
 * from inside): with one arena per thread, memory freed by the engine's worker threads stays
 * with their arenas; two arenas measured 25-45 MiB less at the peak of a 1 GiB restore
 * (docs/engine.md "Memory"). Ignored where the C library is not glibc.
 */
export function servicesEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, MALLOC_ARENA_MAX: base.MALLOC_ARENA_MAX ?? '2' };
}
