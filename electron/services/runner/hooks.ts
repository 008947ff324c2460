/**
 * Before and after hooks: shell commands with a timeout. A hook runs in a process group of its
 * own so a timeout or a cancel stops everything it started (a `pg_dump | gzip` pipeline), not
 * just the shell. Its output is kept for the run log (the last few KiB).
 */
import { spawn } from 'node:child_process';
import type { Hook } from '../../../shared/jobs';

export interface HookResult {
  readonly ok: boolean;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** The end of what it printed (stdout and stderr interleaved). */
  readonly output: string;
  /** One sentence for the run log and the user. */
  readonly message: string;
}

const OUTPUT_TAIL = 4096;
const KILL_GRACE_MS = 5000;

export function runHook(
  hook: Hook,
  env: Readonly<Record<string, string>>,
  signal?: AbortSignal,
): Promise<HookResult> {
  return new Promise((done) => {
    const child = spawn(hook.command, {
      shell: true,
      detached: process.platform !== 'win32',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    let cancelled = false;
    const kill = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    const stop = () => {
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, hook.timeoutSeconds * 1000);
    const onAbort = () => {
      cancelled = true;
      stop();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode: number | null, error?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const ok = !error && !timedOut && !cancelled && exitCode === 0;
      const what = `"${hook.command.length > 80 ? hook.command.slice(0, 77) + '...' : hook.command}"`;
      const message = ok
        ? `hook ${what} succeeded`
        : error
          ? `hook ${what} could not start: ${error.message}`
          : timedOut
            ? `hook ${what} did not finish within ${hook.timeoutSeconds} s and was stopped`
            : cancelled
              ? `hook ${what} was stopped: the run was cancelled`
              : `hook ${what} failed with exit code ${exitCode}${lastLine(output)}`;
      done({ ok, exitCode, timedOut, cancelled, output, message });
    };
    child.on('error', (err) => finish(null, err));
    child.on('close', (code) => finish(code));
  });
}

function lastLine(output: string): string {
  const line = output.trim().split('\n').at(-1)?.trim();
  return line ? `: ${line.slice(0, 200)}` : '';
}
