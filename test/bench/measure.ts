/**
 * Runs one command and measures its wall time and peak memory.
 *
 * Wall time: from just before spawn to the child's exit (process start-up included, the same
 * for every tool).
 *
 * Peak RSS (Linux only; null elsewhere): every ~25 ms the harness reads VmRSS from
 * /proc/<pid>/status for the child and all its descendants (found through
 * /proc/<pid>/task/<tid>/children, or by scanning /proc/<n>/stat for parent ids where the kernel
 * lacks that file) and keeps the largest sum: `peakTreeRssBytes`. It also reads the child's VmHWM
 * (the kernel's own high-water mark for that process, which sees peaks between samples). VmHWM
 * cannot be read at exit: the kernel frees a process's memory map when it exits, a zombie's status
 * has no Vm lines, and Node's libuv reaps children itself, so `mainHwmBytes` is the last value read
 * while the child was alive (it misses at most the final ~25 ms). `peakRssBytes`, the figure the
 * report shows, is the larger of the two. Threads share their process's RSS, so worker threads
 * (Strata, Go's runtime) are counted once; separate child processes are summed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface Measurement {
  readonly wallSeconds: number;
  readonly peakRssBytes: number | null;
  readonly peakTreeRssBytes: number | null;
  readonly mainHwmBytes: number | null;
  readonly samples: number;
  readonly maxProcesses: number;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdoutTail: string;
  readonly stderrTail: string;
}

export const SAMPLE_INTERVAL_MS = 25;
const TAIL_BYTES = 16 * 1024;
const HAVE_PROC = existsSync('/proc/self/status');
const HAVE_CHILDREN_FILE = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

function readStatusKb(pid: number): { rss: number; hwm: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return undefined; // exited between listing and reading
  }
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(text);
  const hwm = /^VmHWM:\s+(\d+) kB/m.exec(text);
  if (!rss) return undefined; // a zombie or a kernel thread
  return { rss: Number(rss[1]), hwm: hwm ? Number(hwm[1]) : 0 };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
      if (text) for (const c of text.split(/\s+/)) out.push(Number(c));
    }
  } catch {
    // the process (or a thread) ended while we looked
  }
  return out;
}

/** Parent ids of every process, for kernels without the children file. */
function parentMap(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'latin1');
      // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = map.get(ppid) ?? [];
      list.push(Number(name));
      map.set(ppid, list);
    } catch {
      // gone
    }
  }
  return map;
}

/** The pid and all its descendants. */
export function processTree(root: number): number[] {
  const parents = HAVE_CHILDREN_FILE ? undefined : parentMap();
  const seen: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.includes(pid)) continue;
    seen.push(pid);
    queue.push(...(parents ? (parents.get(pid) ?? []) : childrenOf(pid)));
  }
  return seen;
}

function tail(chunks: Buffer[]): string {
  const all = Buffer.concat(chunks);
  return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('utf8');
}

/** Spawns the command, samples its process tree's memory, and resolves once it has ended. */
export function measure(command: Command): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    let peakTreeKb = 0;
    let mainHwmKb = 0;
    let samples = 0;
    let maxProcesses = 0;
    let wallSeconds = 0;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const keep = (list: Buffer[], chunk: Buffer): void => {
      list.push(chunk);
      if (list.length > 64) list.splice(0, list.length - 32);
    };

    const started = process.hrtime.bigint();
    const child = spawn(command.file, [...command.args], {
      cwd: command.cwd,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const sample = (): void => {
      if (!HAVE_PROC || child.pid === undefined || child.exitCode !== null) return;
      let sum = 0;
      const pids = processTree(child.pid);
      for (const pid of pids) {
        const kb = readStatusKb(pid);
        if (!kb) continue;
        sum += kb.rss;
        if (pid === child.pid) mainHwmKb = Math.max(mainHwmKb, kb.hwm);
      }
      samples++;
      maxProcesses = Math.max(maxProcesses, pids.length);
      peakTreeKb = Math.max(peakTreeKb, sum);
    };
    const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
    sample();

    child.stdout.on('data', (d: Buffer) => keep(out, d));
    child.stderr.on('data', (d: Buffer) => keep(err, d));
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('exit', () => {
      wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
    });
    child.on('close', (code, signal) => {
      const kb = (n: number): number | null => (HAVE_PROC && samples > 0 ? n * 1024 : null);
      resolve({
        wallSeconds,
        peakRssBytes: kb(Math.max(peakTreeKb, mainHwmKb)),
        peakTreeRssBytes: kb(peakTreeKb),
        mainHwmBytes: kb(mainHwmKb),
        samples,
        maxProcesses,
        exitCode: code,
        signal,
        stdoutTail: tail(out),
        stderrTail: tail(err),
      });
    });
  });
}
