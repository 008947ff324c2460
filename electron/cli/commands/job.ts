import { StrataError } from '../../../shared/errors';
import { SCHEDULE_HELP } from '../schedule-help';
import type { Command } from './command';

type Sub = (args: readonly string[]) => Promise<number>;

/** A module loaded on first use (CommonJS require: synchronous, typed by the caller). */
const load = <T>(path: string): T => require(path) as T;

// Loaded when used: the catalog, SQLite and the job schemas cost every other command ~0.1 s
// of start-up (a no-change backup is a second or so in all).
const SUBCOMMANDS: Readonly<Record<string, Sub>> = {
  add: (a) => load<typeof import('../jobs/write')>('../jobs/write').jobAdd(a),
  list: (a) => load<typeof import('../jobs/view')>('../jobs/view').jobList(a),
  show: (a) => load<typeof import('../jobs/view')>('../jobs/view').jobShow(a),
  edit: (a) => load<typeof import('../jobs/write')>('../jobs/write').jobEdit(a),
  remove: (a) => load<typeof import('../jobs/write')>('../jobs/write').jobRemove(a),
  run: (a) => load<typeof import('../jobs/run')>('../jobs/run').jobRun(a),
  export: (a) => load<typeof import('../jobs/transfer')>('../jobs/transfer').jobExport(a),
  import: (a) => load<typeof import('../jobs/transfer')>('../jobs/transfer').jobImport(a),
};

const JOB_FLAGS =
  '--name NAME --source PATH... [--exclude P]... --destination PATH... [--destination-id ID]... ' +
  '[--label TEXT]... [--password-file FILE]... [--init] --schedule SCHEDULE ' +
  '[--retention time-machine|keep-many|keep-some|keep-all] [--rpo-hours N] [--before CMD]... ' +
  '[--after CMD]... [--hook-timeout SECONDS] [--notify-success|--no-notify-success] [--from-json FILE]';

export const job: Command = {
  name: 'job',
  summary: 'backup jobs: add, list, show, edit, remove, run, export, import',
  usage:
    `strata job add [--id ID] ${JOB_FLAGS}\n` +
    '       strata job list | show ID | remove ID\n' +
    `       strata job edit ID [flags of add]\n` +
    '       strata job run ID [--prune | --verify]\n' +
    '       strata job export [ID...] [--output FILE] | import FILE [--replace]\n' +
    '       (all: [--catalog FILE] [--json])',
  details:
    'Jobs live in the catalog: --catalog FILE, else STRATA_CATALOG, else ~/.local/share/strata/catalog.db ' +
    '(macOS ~/Library/Application Support/Strata, Windows %APPDATA%\\Strata). ' +
    `${SCHEDULE_HELP} (wall-clock times in the system time zone). ` +
    'add: --id defaults to a slug of the name; destination ids are the job id plus an index unless ' +
    '--destination-id is given; --label and --destination-id go with the destination in the same position; ' +
    'one --password-file serves every destination, or give one per destination. Each destination must hold a ' +
    'repository (--init creates one where there is none; --kdf-log-n N sets its scrypt cost). The password comes ' +
    'from --password-file (only its path is kept in the job), STRATA_PASSWORD or a prompt, and is then saved in ' +
    'the OS keychain (scheduled runs need the keychain or a password file). --from-json reads a whole job. ' +
    "edit: each flag given replaces that field (--before '' clears the hooks). remove: the catalog entry and its " +
    'history only; repositories are never touched. run: exit 0 ok, 3 warnings, 1 failed, 130 interrupted. ' +
    'export: the jobs as JSON (no passwords) to stdout or --output; import: all or nothing, --replace overwrites.',
  async run(args) {
    const [sub, ...rest] = args;
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!run)
      throw new StrataError(
        'INVALID_ARGUMENT',
        `${sub === undefined ? 'no job command given' : `unknown job command "${sub}"`}: use ${Object.keys(SUBCOMMANDS).join(', ')} (strata job --help)`,
      );
    return run(rest);
  },
};
