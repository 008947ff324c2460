/**
 * RemoteApi's own rules, against a scripted child (a fake ServicePort in this process): a
 * malformed message from the child is logged and ignored, a host call with bad arguments is
 * refused without reaching the host, and a child that keeps crashing is restarted with a growing
 * delay, never in a hot loop. The real child is exercised in remote.test.ts and
 * remote-crash.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { MemoryNotifier } from '../../electron/services/notify/memory-notifier';
import type { ExitInfo, ServicePort } from '../../electron/services/remote/port';
import { RemoteApi, type RemoteApiOptions } from '../../electron/services/remote/remote-api';
import type { ToChild } from '../../electron/services/remote/protocol';

/** A child scripted by the test: what it receives, and a way to speak and to die. */
class FakePort implements ServicePort {
  readonly received: ToChild[] = [];
  private listener: (msg: unknown) => void = () => undefined;
  private readonly exits: ((info: ExitInfo) => void)[] = [];
  dead = false;

  constructor(private readonly script: (port: FakePort, msg: ToChild) => void) {}

  post(msg: unknown): void {
    if (this.dead) return;
    this.received.push(msg as ToChild);
    queueMicrotask(() => this.script(this, msg as ToChild));
  }
  onMessage(fn: (msg: unknown) => void): void {
    this.listener = fn;
  }
  onExit(fn: (info: ExitInfo) => void): void {
    this.exits.push(fn);
  }
  kill(): void {
    this.die(null, 'SIGKILL');
  }
  say(msg: unknown): void {
    if (!this.dead) this.listener(msg);
  }
  die(code: number | null, signal: string | null = null): void {
    if (this.dead) return;
    this.dead = true;
    for (const fn of this.exits) fn({ code, signal });
  }
}

function options(spawn: () => ServicePort, extra: Partial<RemoteApiOptions> = {}) {
  const logs: string[] = [];
  const picked: unknown[] = [];
  const notifier = new MemoryNotifier();
  const o: RemoteApiOptions = {
    spawn,
    init: { catalogPath: '/nowhere/catalog.db', timeZone: 'UTC', secrets: 'memory' },
    host: {
      pickFolder: async (a) => {
        picked.push(a);
        return '/picked';
      },
      openExternal: async () => undefined,
    },
    notifier,
    log: (line) => logs.push(line),
    closeTimeoutMs: 200,
    ...extra,
  };
  return { o, logs, picked, notifier };
}

describe('RemoteApi', () => {
  it('ignores malformed messages from the child and still takes the real reply', async () => {
    let port!: FakePort;
    const { o, logs } = options(() => {
      port = new FakePort((p, msg) => {
        if (msg.type === 'init') {
          p.say(null);
          p.say({ type: 'ready', extra: 1 });
          p.say({ type: 'reply', seq: 'one', envelope: { ok: true, value: 1 } });
          p.say({ type: 'event', event: { kind: 'no type' } });
          p.say({ type: 'reply', seq: 1, envelope: { ok: false, error: { code: 'NOPE' } } });
          p.say({ type: 'ready' });
        }
        if (msg.type === 'call') {
          p.say({ type: 'reply', seq: msg.seq, envelope: { ok: 'sure' } });
          p.say({ type: 'reply', seq: msg.seq, envelope: { ok: true, value: { path: '/x' } } });
        }
      });
      return port;
    });
    const api = new RemoteApi(o);
    const events: unknown[] = [];
    api.onEvent((e) => events.push(e));
    expect(await api.invoke('dialog.pickFolder', {})).toEqual({ ok: true, value: { path: '/x' } });
    expect(events).toEqual([]);
    expect(logs.filter((l) => l.includes('ignored a malformed message'))).toHaveLength(6);
    await api.close();
    expect(port.dead).toBe(true);
  });

  it('refuses a host call with bad arguments without reaching the host', async () => {
    let port!: FakePort;
    const answers: ToChild[] = [];
    const { o, picked, notifier, logs } = options(() => {
      port = new FakePort((_p, msg) => {
        if (msg.type === 'answer') answers.push(msg);
      });
      return port;
    });
    const api = new RemoteApi(o);
    port.say({ type: 'host', seq: 1, op: 'pickFolder', arg: { title: 7 } });
    port.say({ type: 'host', seq: 2, op: 'notify', arg: { kind: 'party', jobId: 'x' } });
    port.say({ type: 'host', seq: 3, op: 'formatDisk', arg: {} });
    port.say({ type: 'host', seq: 4, op: 'pickFolder', arg: { title: 'ok' } });
    await new Promise((r) => setTimeout(r, 20));
    expect(answers.map((a) => a.type === 'answer' && [a.seq, a.envelope.ok])).toEqual([
      [1, false],
      [2, false],
      [4, true],
    ]);
    expect(answers[0]!.type === 'answer' && !answers[0]!.envelope.ok).toBe(true);
    expect(picked).toEqual([{ title: 'ok' }]);
    expect(notifier.sent).toEqual([]);
    expect(logs.some((l) => l.includes('ignored a malformed message'))).toBe(true);
    await api.close();
  });

  it('restarts a crashing child with a growing delay and fails its calls clearly', async () => {
    const spawned: number[] = [];
    const start = Date.now();
    const { o } = options(
      () => {
        spawned.push(Date.now() - start);
        // Dies as soon as it is told anything: a child that crashes on start.
        return new FakePort((p) => p.die(1));
      },
      { restartDelaysMs: [50, 200, 5_000], stableMs: 60_000 },
    );
    const api = new RemoteApi(o);
    const first = await api.invoke('state.get', {});
    expect(!first.ok && first.error.code).toBe('SERVICES_RESTARTED');
    await new Promise((r) => setTimeout(r, 800));
    // Spawned at 0, ~50 ms and ~250 ms; the next waits 5 s: three, not a hot loop.
    expect(spawned).toHaveLength(3);
    expect(spawned[2]! - spawned[1]!).toBeGreaterThanOrEqual(150);
    expect(api.restarts).toBe(2);
    await api.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(spawned).toHaveLength(3);
  });

  it('retries with backoff when the child cannot even be started', async () => {
    let attempts = 0;
    const { o, logs } = options(
      () => {
        attempts++;
        if (attempts === 1) throw new Error('services entry not found');
        return new FakePort((p, msg) => {
          if (msg.type === 'init') p.say({ type: 'ready' });
          if (msg.type === 'idle') p.say({ type: 'reply', seq: msg.seq, envelope: { ok: true } });
        });
      },
      { restartDelaysMs: [30] },
    );
    const api = new RemoteApi(o);
    expect(logs.some((l) => l.includes('services entry not found'))).toBe(true);
    await expect(api.idle()).resolves.toBeUndefined();
    expect(attempts).toBe(2);
    await api.close();
  });

  it('announces state-changed once a restarted child is ready, and queues calls meanwhile', async () => {
    const ports: FakePort[] = [];
    const { o } = options(
      () => {
        const port = new FakePort((p, msg) => {
          if (msg.type === 'init') p.say({ type: 'ready' });
          if (msg.type === 'state') p.say({ type: 'reply', seq: msg.seq, envelope: ok(ports) });
        });
        ports.push(port);
        return port;
      },
      { restartDelaysMs: [30] },
    );
    const api = new RemoteApi(o);
    const events: unknown[] = [];
    api.onEvent((e) => events.push(e));
    const pending = api.idle();
    ports[0]!.die(null, 'SIGKILL');
    await expect(pending).rejects.toMatchObject({ code: 'SERVICES_RESTARTED' });
    // Asked while no child runs: waits for the next one and is answered by it.
    expect(await api.state()).toEqual({ answeredBy: 2 });
    expect(events).toEqual([{ type: 'state-changed' }]);
    await api.close();
  });
});

function ok(ports: FakePort[]) {
  return { ok: true, value: { answeredBy: ports.length } };
}
