/**
 * Session markers and the prune lock, stored in `locks/`.
 *
 * Backups never lock the repository: they announce themselves with a session marker, refreshed
 * while they run, that records which generation of prune marks their view of the index was
 * built from (see marks.ts). A prune defers deleting what a live session might still use. Only
 * prunes exclude each other: a prune lock is a session marker of kind 'prune', and a prune that
 * finds another live one gives up (REPO_LOCKED, exit 11).
 *
 * Files are never overwritten, so a refresh writes a new marker and then removes the old one:
 * at every moment at least one marker of a live session is visible. A marker is stale when it
 * was not refreshed for `staleAfterMs()` (default 30 minutes, by the reader's clock), or when
 * it names this host and a process that no longer exists.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isStrataError, StrataError } from '../../../shared/errors';
import type { LoadProblem, Repository } from './repository';
import { whoAmI } from './repository';

export type SessionKind = 'prune' | 'backup' | 'restore' | 'check' | 'verify';

export interface LockRecord {
  readonly version: 1;
  readonly kind: SessionKind;
  /** Random id of the session: a refresh keeps it, the file name changes. */
  readonly session: string;
  readonly host: string;
  readonly username: string;
  readonly pid: number;
  readonly started: string;
  readonly refreshed: string;
  /** The marks generation the session's index view excludes; null until it has loaded one. */
  readonly seenGeneration: number | null;
}

export interface LoadedLock {
  readonly name: string;
  readonly lock: LockRecord;
}

const DEFAULT_STALE_SECONDS = 30 * 60;

/** How long a marker lives without a refresh (STRATA_LOCK_STALE_SECONDS overrides, for tests). */
export function staleAfterMs(): number {
  const env = Number(process.env.STRATA_LOCK_STALE_SECONDS);
  return (Number.isFinite(env) && env > 0 ? env : DEFAULT_STALE_SECONDS) * 1000;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/** True when the marker's session is surely gone. */
export function isStale(lock: LockRecord, now = Date.now(), staleAfter = staleAfterMs()): boolean {
  if (Date.parse(lock.refreshed) + staleAfter < now) return true;
  return lock.host === hostname() && lock.pid !== process.pid && !processAlive(lock.pid);
}

function validate(value: unknown, what: string): LockRecord {
  const l = value as LockRecord;
  if (
    !l ||
    typeof l.kind !== 'string' ||
    typeof l.session !== 'string' ||
    typeof l.pid !== 'number' ||
    Number.isNaN(Date.parse(l.refreshed)) ||
    !(l.seenGeneration === null || typeof l.seenGeneration === 'number')
  ) {
    throw new Error(`${what}: malformed`);
  }
  if (l.version > 1)
    throw new Error(`${what}: written by a newer Strata (lock version ${l.version})`);
  return l;
}

/** Every marker in the repository; vanished ones are skipped, damaged ones are problems. */
export async function listLocks(
  repo: Repository,
): Promise<{ locks: LoadedLock[]; problems: LoadProblem[] }> {
  const locks: LoadedLock[] = [];
  const problems: LoadProblem[] = [];
  for (const { name } of await repo.backend.list('locks')) {
    try {
      const bytes = await repo.loadFile('locks', name);
      locks.push({ name, lock: validate(JSON.parse(bytes.toString()), `lock ${name}`) });
    } catch (err) {
      if (isStrataError(err, 'NOT_FOUND')) continue; // refreshed or ended meanwhile
      if (isStrataError(err) && err.code !== 'REPO_CORRUPT') throw err;
      problems.push({ kind: 'lock', name, message: (err as Error).message });
    }
  }
  return { locks, problems };
}

/** Describes a marker for messages. */
export function describeLock(l: LockRecord): string {
  return `${l.kind} by ${l.username}@${l.host} (pid ${l.pid}), started ${l.started}, last seen ${l.refreshed}`;
}

/**
 * A running operation's marker. Refreshed on a timer; `lost()` tells whether it may have gone
 * stale (the process was stopped, the machine slept, or the storage was unreachable for longer
 * than the stale timeout), in which case a prune may have ignored it.
 */
export class Session {
  readonly id = randomBytes(16).toString('hex');
  private name: string | undefined;
  private record: LockRecord;
  private timer: NodeJS.Timeout | undefined;
  private lastOkWall = Date.now();
  private lastOkMono = performance.now();
  private maxGap = 0;
  private ended = false;
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly repo: Repository,
    kind: SessionKind,
  ) {
    const now = new Date().toISOString();
    this.record = {
      version: 1,
      kind,
      session: this.id,
      ...whoAmI(),
      pid: process.pid,
      started: now,
      refreshed: now,
      seenGeneration: null,
    };
  }

  /** Writes the marker (before the caller reads anything) and starts refreshing it. */
  static async start(repo: Repository, kind: SessionKind): Promise<Session> {
    const s = new Session(repo, kind);
    await s.write();
    const every = Math.max(1000, Math.floor(staleAfterMs() / 3));
    s.timer = setInterval(() => void s.refresh().catch(() => {}), every);
    s.timer.unref();
    return s;
  }

  get kind(): SessionKind {
    return this.record.kind;
  }

  /** Records the marks generation the session's index view was built from. */
  async setSeenGeneration(generation: number | null): Promise<void> {
    this.record = { ...this.record, seenGeneration: generation };
    await this.refresh();
  }

  /** Writes a fresh marker, then removes the previous one. Serialised. */
  refresh(): Promise<void> {
    const next = this.chain.then(() => this.write());
    this.chain = next.catch(() => {});
    return next;
  }

  private async write(): Promise<void> {
    if (this.ended) return;
    this.noteGap();
    // Prunes judge the marker by this stamp: the time a slow (or paused) write takes counts
    // against it, so the last good refresh is when the stamp was taken, not when it landed.
    const wall = Date.now();
    const mono = performance.now();
    this.record = { ...this.record, refreshed: new Date(wall).toISOString() };
    const old = this.name;
    this.name = await this.repo.saveFile('locks', Buffer.from(JSON.stringify(this.record)));
    this.lastOkWall = wall;
    this.lastOkMono = mono;
    if (old && old !== this.name) await this.removeFile(old);
  }

  /** The longest time between good refreshes, by both clocks (the monotonic one stops in sleep). */
  private noteGap(): void {
    const gap = Math.max(Date.now() - this.lastOkWall, performance.now() - this.lastOkMono);
    this.maxGap = Math.max(this.maxGap, gap);
  }

  /** True if the marker may have been stale at some point: a prune may have ignored it. */
  lost(): boolean {
    this.noteGap();
    return this.maxGap > staleAfterMs() * 0.9;
  }

  /** Stops refreshing and removes the marker. */
  async end(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    this.ended = true;
    if (this.name) await this.removeFile(this.name);
    this.name = undefined;
  }

  private async removeFile(name: string): Promise<void> {
    await this.repo.backend.remove({ kind: 'locks', name }).catch((err: unknown) => {
      if (!isStrataError(err, 'NOT_FOUND')) throw err;
    });
  }
}

/** Runs `body` inside a session of `kind`; the marker is removed however it ends. */
export async function withSession<T>(
  repo: Repository,
  kind: SessionKind,
  body: (session: Session) => Promise<T>,
): Promise<T> {
  const session = await Session.start(repo, kind);
  try {
    return await body(session);
  } finally {
    await session.end().catch(() => {});
  }
}

/** Takes the prune lock, or fails with REPO_LOCKED naming the prune that holds it. */
export async function acquirePruneLock(repo: Repository): Promise<Session> {
  const session = await Session.start(repo, 'prune');
  try {
    const { locks } = await listLocks(repo);
    const others = locks.filter((l) => l.lock.kind === 'prune' && l.lock.session !== session.id);
    const other = others.find((l) => !isStale(l.lock));
    if (!other) {
      // Locks of prunes that died would otherwise pile up until someone runs unlock.
      for (const l of others)
        await repo.backend.remove({ kind: 'locks', name: l.name }).catch(() => undefined);
    }
    if (other) {
      throw new StrataError(
        'REPO_LOCKED',
        `another prune is running: ${describeLock(other.lock)}. Wait for it to finish; if it died, "strata unlock" removes its lock once it is stale.`,
      );
    }
  } catch (err) {
    await session.end().catch(() => {});
    throw err;
  }
  return session;
}

/** Live sessions other than prunes (what a prune must not pull the rug from under). */
export async function liveSessions(repo: Repository): Promise<LockRecord[]> {
  const { locks } = await listLocks(repo);
  const now = Date.now();
  return locks.map((l) => l.lock).filter((l) => l.kind !== 'prune' && !isStale(l, now));
}

/** Removes stale markers only; returns what it removed and what is still live. */
export async function removeStaleLocks(
  repo: Repository,
): Promise<{ removed: LockRecord[]; live: LockRecord[]; problems: LoadProblem[] }> {
  const { locks, problems } = await listLocks(repo);
  const removed: LockRecord[] = [];
  const live: LockRecord[] = [];
  const now = Date.now();
  for (const l of locks) {
    if (!isStale(l.lock, now)) {
      live.push(l.lock);
      continue;
    }
    await repo.backend.remove({ kind: 'locks', name: l.name }).catch((err: unknown) => {
      if (!isStrataError(err, 'NOT_FOUND')) throw err;
    });
    removed.push(l.lock);
  }
  return { removed, live, problems };
}
