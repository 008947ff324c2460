/**
 * Exclusion patterns, gitignore-style, matched against paths relative to each backup source:
 * `*.tmp` matches at any depth, `/build` only at the top of a source, `cache/` only folders,
 * `!keep.tmp` re-includes. An excluded folder is not entered at all. Matching folds case only
 * where file systems usually do (Windows, macOS), like git's core.ignorecase: on Linux `*.tmp`
 * must not exclude `REPORT.TMP`.
 */
import { readFile } from 'node:fs/promises';
import ignore from 'ignore';
import { StrataError } from '../../../shared/errors';

/** True when the entry at `rel` (relative to its source, '/'-separated) is excluded. */
export type Excluder = (rel: string, isDir: boolean) => boolean;

/** True where file names are usually case-insensitive. */
export const EXCLUDES_IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

export function makeExcluder(patterns: readonly string[]): Excluder {
  if (patterns.length === 0) return () => false;
  const ig = ignore({ allowRelativePaths: true, ignorecase: EXCLUDES_IGNORE_CASE }).add(
    patterns as string[],
  );
  return (rel, isDir) => rel !== '' && ig.ignores(isDir ? `${rel}/` : rel);
}

/** Reads patterns from files: one per line, blank lines and `#` comments skipped. */
export async function readExcludeFiles(files: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        `cannot read exclude file ${file}: ${(err as Error).message}`,
      );
    }
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() !== '' && !line.startsWith('#')) out.push(line);
    }
  }
  return out;
}
