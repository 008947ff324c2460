import { StrataError } from '../../../shared/errors';
import { backup as runBackup } from '../../engine/backup/backup';
import { readExcludeFiles } from '../../engine/backup/excludes';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, list, openRepo, parse, say, str, workers } from '../context';
import { EXIT } from '../exit-codes';
import { formatBytes, formatDuration } from '../format';
import { clearLine, drawLine, progressLine } from '../progress-line';
import type { Command } from './command';

export const backup: Command = {
  name: 'backup',
  summary: 'back up files and folders into a new snapshot',
  usage:
    'strata backup PATH... [--exclude PATTERN]... [--exclude-file FILE]... [--tag TAG]... [--host HOST] [--time TIME] [--parent SNAPSHOT] [--ignore-ctime] [--ignore-inode] [--dry-run] [--json]',
  details:
    'Exclude patterns are gitignore-style, relative to each PATH. Exit code 3: the snapshot was written but some files could not be read.',
  async run(args) {
    const p = parse(args, {
      exclude: { type: 'string', multiple: true, short: 'e' },
      'exclude-file': { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      host: { type: 'string' },
      time: { type: 'string' },
      parent: { type: 'string' },
      'ignore-ctime': { type: 'boolean' },
      'ignore-inode': { type: 'boolean' },
      'dry-run': { type: 'boolean', short: 'n' },
    });
    const json = flag(p, 'json');
    const timeArg = str(p, 'time');
    const time = timeArg ? new Date(timeArg) : undefined;
    if (time && Number.isNaN(time.getTime()))
      throw new StrataError('INVALID_ARGUMENT', `--time: cannot read "${timeArg}" as a time`);
    const excludes = [...list(p, 'exclude'), ...(await readExcludeFiles(list(p, 'exclude-file')))];
    const tags = list(p, 'tag')
      .flatMap((t) => t.split(','))
      .filter((t) => t !== '');
    const repo = await openRepo(p);

    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const live = !json && !flag(p, 'quiet') && process.stderr.isTTY;
    try {
      const result = await runBackup(repo, {
        paths: p.positionals,
        excludes,
        tags,
        host: str(p, 'host'),
        time,
        parent: str(p, 'parent'),
        ignoreCtime: flag(p, 'ignore-ctime'),
        ignoreInode: flag(p, 'ignore-inode'),
        dryRun: flag(p, 'dry-run'),
        workers: workers(p),
        signal: controller.signal,
        onProgress: json
          ? (s) => emitJson({ message_type: 'status', ...s })
          : live
            ? (s) => drawLine(progressLine(s))
            : undefined,
        onWarning: (w) => {
          if (json) emitJson({ message_type: 'warning', ...w });
          else {
            if (live) clearLine();
            process.stderr.write(`warning: ${printableName(w.path)}: ${w.message}\n`);
          }
        },
      });
      if (live) clearLine();
      const s = result.summary;
      if (json) {
        emitJson({
          message_type: 'summary',
          snapshot_id: result.snapshotId ?? null,
          parent: result.parent ?? null,
          dry_run: flag(p, 'dry-run'),
          ...s,
          duration_ms: Date.parse(s.finished) - Date.parse(s.started),
        });
      } else {
        say(
          p,
          `Files:   ${s.filesNew} new, ${s.filesChanged} changed, ${s.filesUnchanged} unchanged`,
        );
        say(p, `Folders: ${s.dirsNew} new, ${s.dirsChanged} changed, ${s.dirsUnchanged} unchanged`);
        say(
          p,
          `Added:   ${formatBytes(s.bytesAdded)} (${formatBytes(s.bytesStored)} stored) of ${formatBytes(s.totalBytes)}`,
        );
        say(p, `Took ${formatDuration(Date.parse(s.finished) - Date.parse(s.started))}`);
        if (result.warnings.length > 0) {
          process.stderr.write(`\n${result.warnings.length} warning(s):\n`);
          for (const w of result.warnings)
            process.stderr.write(`  ${printableName(w.path)}: ${w.message}\n`);
        }
        say(
          p,
          result.snapshotId
            ? `snapshot ${result.snapshotId.slice(0, 8)} saved`
            : 'dry run: nothing was written',
        );
      }
      const skipped = result.warnings.some((w) => w.kind === 'skipped');
      return skipped ? EXIT.incomplete : EXIT.ok;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      if (live) clearLine();
    }
  },
};
