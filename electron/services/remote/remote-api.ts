/**
 * RemoteApi: the StrataServiceApi main (and the tray) use, answered by the services running in
 * another process, so that synchronous work there (the catalog's better-sqlite3, the engine's
 * no-change walk) never freezes Electron's main thread, its windows or its IPC.
 *
 * The parent keeps what only it can do and answers the child's host calls: the folder picker,
 * links, applying settings, OS notifications (the Notifier port) and the battery state. If the
 * child dies unexpectedly, the calls it had answer SERVICES_RESTARTED, a new child starts after
 * a backoff (growing while it keeps crashing, so never a hot loop), and a `state-changed` event
 * tells the renderer and tray to load the state again. Calls made while no child is running
 * wait for the next one. close() asks the child to stop cleanly and kills it after a timeout.
 */
import type { AppEvent, AppState, Channel, Envelope, Result } from '../../../shared/contract';
import { StrataError, type ErrorCode } from '../../../shared/errors';
import type { StrataServiceApi } from '../api';
import type { HostPorts } from '../api/context';
import { toErrorData } from '../api/errors';
import type { Notifier } from '../notify/notifier';
import type { HostConditions } from '../scheduler/types';
import type { ExitInfo, ServicePort, ServiceSpawner } from './port';
import {
  HOST_ARGS,
  asAppEvent,
  describeBad,
  parseToParent,
  type InitMessage,
  type ToChild,
  type ToParent,
} from './protocol';

export interface RemoteApiOptions {
  /** Starts a services process (Electron's utilityProcess in the app, Node's fork in tests). */
  readonly spawn: ServiceSpawner;
  /** What the child builds the services from. */
  readonly init: Omit<InitMessage, 'type'>;
  readonly host: HostPorts;
  readonly notifier: Notifier;
  readonly conditions?: () => Promise<Omit<HostConditions, 'destinationsPresent'>>;
  /** Waits before each restart after a crash, by how many crashed in a row (default below). */
  readonly restartDelaysMs?: readonly number[];
  /** A child that lived this long before crashing resets the backoff (default 60 s). */
  readonly stableMs?: number;
  /** How long close() waits for a clean stop before killing the child (default 15 s). */
  readonly closeTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

const RESTART_DELAYS_MS = [200, 1_000, 5_000, 30_000];

const RESTARTED_MESSAGE =
  "Strata's background services stopped unexpectedly and were restarted. A backup or restore " +
  'that was running has stopped; nothing stored was lost. Try again.';

type Listener = (event: AppEvent) => void;
type Pending = (envelope: Envelope<unknown>) => void;

function failure(code: ErrorCode, message: string): Envelope<unknown> {
  return { ok: false, error: { code, message } };
}

/** The services in a child process, behind the same interface as the in-process api. */
export class RemoteApi implements StrataServiceApi {
  private port: ServicePort | undefined;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  /** Requests made while no child runs; sent to the next one. */
  private readonly queue: ToChild[] = [];
  private readonly listeners = new Set<Listener>();
  private crashes = 0;
  private startedAt = 0;
  private restarted = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  private readonly log: (line: string) => void;
  /** How many times the child has been restarted after a crash (for tests and diagnostics). */
  restarts = 0;

  constructor(private readonly o: RemoteApiOptions) {
    this.log = o.log ?? ((line) => console.error(line));
    this.start();
  }

  async invoke(channel: string, args: unknown): Promise<Envelope<unknown>> {
    return this.request({ type: 'call', seq: 0, channel, args });
  }

  async call<C extends Channel>(channel: C, args: unknown): Promise<Result<C>> {
    return unwrap(await this.invoke(channel, args)) as Result<C>;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async tick(): Promise<void> {
    // A tick while the child restarts is skipped: the next one comes within a minute.
    if (this.port === undefined) return;
    unwrap(await this.request({ type: 'tick', seq: 0 }));
  }

  async state(): Promise<AppState> {
    return unwrap(await this.request({ type: 'state', seq: 0 })) as AppState;
  }

  async idle(): Promise<void> {
    unwrap(await this.request({ type: 'idle', seq: 0 }));
  }

  close(): Promise<void> {
    this.closing ??= this.stop();
    return this.closing;
  }

  private async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    const port = this.port;
    if (port === undefined) {
      this.failAll('INTERRUPTED', 'Strata is quitting.');
      return;
    }
    const exited = new Promise<void>((done) => port.onExit(() => done()));
    const timer = setTimeout(() => {
      this.log('strata: the services did not stop in time; ending them');
      port.kill();
    }, this.o.closeTimeoutMs ?? 15_000);
    void this.send({ type: 'close', seq: 0 });
    await exited;
    clearTimeout(timer);
    this.listeners.clear();
  }

  private start(): void {
    let port: ServicePort;
    try {
      port = this.o.spawn();
    } catch (err) {
      // Could not even start (a missing entry file): treated as a crash, retried with backoff.
      this.log(`strata: could not start the services: ${toErrorData(err).message}`);
      this.failAll('SERVICES_RESTARTED', RESTARTED_MESSAGE);
      this.scheduleRestart();
      return;
    }
    this.port = port;
    this.startedAt = Date.now();
    port.onMessage((raw) => {
      if (this.port === port) this.receive(port, raw);
    });
    port.onExit((info) => this.exited(port, info));
    port.post({ type: 'init', ...this.o.init } satisfies ToChild);
    for (const msg of this.queue.splice(0)) port.post(msg);
  }

  private exited(port: ServicePort, info: ExitInfo): void {
    if (this.port !== port) return;
    this.port = undefined;
    if (this.closing !== undefined) {
      this.failAll('INTERRUPTED', 'Strata is quitting.');
      return;
    }
    this.failAll('SERVICES_RESTARTED', RESTARTED_MESSAGE);
    if (Date.now() - this.startedAt >= (this.o.stableMs ?? 60_000)) this.crashes = 0;
    this.log(
      `strata: the services process ended (code ${info.code}, signal ${info.signal}); ` +
        'restarting it',
    );
    this.scheduleRestart();
  }

  /** Starts a new child after the backoff delay for the crashes in a row so far. */
  private scheduleRestart(): void {
    const delays = this.o.restartDelaysMs ?? RESTART_DELAYS_MS;
    const delay = delays[Math.min(this.crashes, delays.length - 1)] ?? 1_000;
    this.crashes++;
    this.restartTimer = setTimeout(() => {
      this.restarts++;
      this.restarted = true;
      this.start();
    }, delay);
  }

  private failAll(code: ErrorCode, message: string): void {
    const answers = [...this.pending.values()];
    this.pending.clear();
    this.queue.length = 0;
    for (const answer of answers) answer(failure(code, message));
  }

  private request(msg: ToChild & { seq: number }): Promise<Envelope<unknown>> {
    if (this.closing !== undefined)
      return Promise.resolve(failure('INTERRUPTED', 'Strata is quitting.'));
    return this.send(msg);
  }

  private send(msg: ToChild & { seq: number }): Promise<Envelope<unknown>> {
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      const full = { ...msg, seq };
      if (this.port !== undefined) this.port.post(full);
      else this.queue.push(full);
    });
  }

  private receive(port: ServicePort, raw: unknown): void {
    const msg = parseToParent(raw);
    if (msg === undefined) {
      this.log(`strata: ignored a malformed message from the services (${describeBad(raw)})`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        if (this.restarted) this.emit({ type: 'state-changed' });
        this.restarted = false;
        return;
      case 'reply': {
        const answer = this.pending.get(msg.seq);
        this.pending.delete(msg.seq);
        answer?.(msg.envelope as Envelope<unknown>);
        return;
      }
      case 'event':
        this.emit(asAppEvent(msg.event));
        return;
      case 'host':
        void this.hostCall(msg).then((envelope) =>
          port.post({ type: 'answer', seq: msg.seq, envelope } satisfies ToChild),
        );
        return;
      case 'fatal':
        this.log(`strata: the services could not start: ${msg.message}`);
        return;
    }
  }

  /** Runs what the child asked of the host, its argument checked first. */
  private async hostCall(msg: Extract<ToParent, { type: 'host' }>): Promise<Envelope<unknown>> {
    const parsed = HOST_ARGS[msg.op].safeParse(msg.arg);
    if (!parsed.success) {
      this.log(`strata: ignored a malformed ${msg.op} request from the services`);
      return failure('INVALID_ARGUMENT', `${msg.op}: ${parsed.error.issues[0]?.message ?? ''}`);
    }
    try {
      return { ok: true, value: await this.runHost(msg.op, parsed.data) };
    } catch (err) {
      return { ok: false, error: toErrorData(err) };
    }
  }

  private async runHost(op: keyof typeof HOST_ARGS, arg: unknown): Promise<unknown> {
    const a = arg as never;
    switch (op) {
      case 'pickFolder':
        return this.o.host.pickFolder(a);
      case 'openExternal':
        return this.o.host.openExternal((arg as { url: string }).url);
      case 'applySettings':
        return this.o.host.applySettings?.(a);
      case 'notify':
        return this.o.notifier.notify(a);
      case 'conditions':
        return this.o.conditions?.() ?? { onBattery: false, meteredNetwork: false };
    }
  }

  private emit(event: AppEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener (a closed window) failing must not stop the others.
      }
    }
  }
}

/** The value of an envelope, or its error thrown as a StrataError with its code. */
function unwrap(e: Envelope<unknown>): unknown {
  if (e.ok) return e.value;
  throw new StrataError(e.error.code, e.error.message);
}
