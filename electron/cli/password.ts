/**
 * Where the password comes from: --password-file, --password-command, STRATA_PASSWORD, or a
 * prompt without echo when there is a terminal. Never from a plain command-line argument (it
 * would show in `ps` and shell history).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { StrataError } from '../../shared/errors';

export interface PasswordSources {
  readonly file?: string;
  readonly command?: string;
  readonly envName?: string;
  readonly prompt: string;
  /** Ask twice on a terminal (new passwords). */
  readonly confirm?: boolean;
}

function stripNewline(s: string): string {
  return s.replace(/\r?\n$/, '');
}

export async function getPassword(src: PasswordSources): Promise<string> {
  if (src.file) {
    try {
      return stripNewline(await readFile(src.file, 'utf8'));
    } catch (err) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read the password file ${src.file}: ${(err as Error).message}`,
      );
    }
  }
  if (src.command) {
    const command = src.command;
    return new Promise((resolve, reject) => {
      execFile('/bin/sh', ['-c', command], { maxBuffer: 1024 * 1024 }, (err, stdout) => {
        if (err)
          reject(
            new StrataError('INVALID_ARGUMENT', `the password command failed: ${err.message}`),
          );
        else resolve(stripNewline(stdout));
      });
    });
  }
  const env = process.env[src.envName ?? 'STRATA_PASSWORD'];
  if (env !== undefined && env !== '') return env;
  if (!process.stdin.isTTY) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      'no password given: use --password-file, --password-command or STRATA_PASSWORD, or run on a terminal to be asked',
    );
  }
  const first = await prompt(src.prompt);
  if (src.confirm && (await prompt('Enter it again: ')) !== first) {
    throw new StrataError('INVALID_ARGUMENT', 'the passwords do not match');
  }
  return first;
}

/** Reads a line from the terminal without echoing it. */
function prompt(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let line = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      fn();
    };
    const onData = (data: Buffer) => {
      for (const ch of data.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(line));
        if (ch === '\u0003')
          return done(() => reject(new StrataError('INTERRUPTED', 'interrupted')));
        if (ch === '\u007f' || ch === '\b') line = line.slice(0, -1);
        else line += ch;
      }
    };
    stdin.on('data', onData);
  });
}
