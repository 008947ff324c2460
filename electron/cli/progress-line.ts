/**
 * The one-line progress display on a terminal: files, bytes, throughput, ETA, current file.
 */
import type { BackupProgress } from '../engine/backup/progress';
import { formatBytes, formatDuration } from './format';

export function progressLine(p: BackupProgress, width = process.stderr.columns ?? 100): string {
  const files =
    p.filesTotal !== undefined ? `${p.filesDone}/${p.filesTotal} files` : `${p.filesDone} files`;
  const bytes =
    p.bytesTotal !== undefined
      ? `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}`
      : formatBytes(p.bytesDone);
  const eta = p.etaMs !== undefined ? ` ETA ${formatDuration(p.etaMs)}` : '';
  const head = `[${formatDuration(p.elapsedMs)}] ${files} ${bytes} ${formatBytes(p.throughput)}/s${eta}`;
  const room = width - head.length - 2;
  const file = p.currentFile ?? '';
  const tail =
    room > 10 ? (file.length > room ? '…' + file.slice(file.length - room + 1) : file) : '';
  return `${head}${tail ? '  ' + tail : ''}`;
}

/** Redraws a line on stderr in place. */
export function drawLine(line: string): void {
  process.stderr.write(`\r\x1b[K${line}`);
}

export function clearLine(): void {
  process.stderr.write('\r\x1b[K');
}
