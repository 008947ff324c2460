/**
 * The `strata` command line: dispatch, help, and the mapping of errors to restic's exit codes.
 */
import { isStrataError } from '../../shared/errors';
import { keepYoungGenerationSmall } from '../engine/memory';
import { STRATA_VERSION } from '../../shared/version';
import { backup } from './commands/backup';
import { check } from './commands/check';
import type { Command } from './commands/command';
import { daemon } from './commands/daemon';
import { diff } from './commands/diff';
import { find } from './commands/find';
import { forget } from './commands/forget';
import { init } from './commands/init';
import { job } from './commands/job';
import { key } from './commands/key';
import { ls } from './commands/ls';
import { prune } from './commands/prune';
import { pin } from './commands/pin';
import { restore } from './commands/restore';
import { snapshots } from './commands/snapshots';
import { unlock } from './commands/unlock';
import { unpin } from './commands/unpin';
import { verify } from './commands/verify';
import { EXIT, exitCodeFor } from './exit-codes';

export const COMMANDS: readonly Command[] = [
  init,
  backup,
  snapshots,
  ls,
  diff,
  find,
  restore,
  check,
  prune,
  unlock,
  verify,
  forget,
  pin,
  unpin,
  key,
  job,
  daemon,
];

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `strata ${STRATA_VERSION}: encrypted, deduplicated backups

Usage: strata COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options:
  -r, --repo PATH            the repository (or STRATA_REPOSITORY)
      --password-file FILE   read the password from FILE
      --password-command CMD run CMD and read the password from its output
                             (or STRATA_PASSWORD; otherwise you are asked on a terminal)
      --json                 machine-readable output
  -q, --quiet                print only errors
      --workers N            worker threads for backup and restore (or
                             STRATA_WORKERS; default one per core, for a
                             restore one fewer; 0 = none)
  -h, --help                 help for a command: strata COMMAND --help
  -V, --version              print the version

Exit codes: 0 ok, 1 error, 3 incomplete (some files skipped), 10 no repository,
11 repository locked, 12 wrong password, 130 interrupted.
`;
}

function commandHelp(c: Command): string {
  return `Usage: ${c.usage}\n\n${c.summary}${c.details ? `\n\n${c.details}` : ''}\n`;
}

export async function run(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(helpText());
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`strata ${STRATA_VERSION}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`strata: unknown command "${name}"\n\n${helpText()}`);
    return EXIT.fatal;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command));
    return EXIT.ok;
  }
  // Before any work: V8 grows the young generation early and never shrinks it during a run.
  keepYoungGenerationSmall();
  try {
    return await command.run(rest);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const code = isStrataError(err) ? ` [${err.code}]` : '';
    process.stderr.write(`strata ${name}: ${message}${code}\n`);
    if (!isStrataError(err) && process.env.STRATA_DEBUG && err instanceof Error)
      process.stderr.write(`${err.stack}\n`);
    return exitCodeFor(err);
  }
}

/**
 * A reader that goes away (`strata ls latest | head`) makes writes fail with EPIPE: the
 * command carries on without printing (a backup still writes its snapshot and removes its
 * lock) instead of dying on an unhandled error. Other stream errors stay fatal.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

/** Entry point for bin/strata.js. */
export function main(args: readonly string[]): void {
  quietOnClosedPipe(process.stdout);
  quietOnClosedPipe(process.stderr);
  run(args).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`strata: ${String(err)}\n`);
      process.exitCode = EXIT.fatal;
    },
  );
}
