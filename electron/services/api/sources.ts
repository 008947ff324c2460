/**
 * sources.preview: sizes the folders the user picked (so the first backup can show a real time
 * remaining) and finds folders not worth backing up (caches, trash, build output), with what
 * leaving each out would save. The walk stops at a limit and says so: a home folder can hold
 * millions of files and the wizard must answer in seconds.
 */
import type { Dirent } from 'node:fs';
import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExclusionSuggestion, SourcesPreview } from '../../../shared/contract';
import { makeExcluder } from '../../engine/backup/excludes';

interface Known {
  readonly pattern: string;
  readonly names: readonly string[];
  readonly kind: ExclusionSuggestion['kind'];
  readonly reason: string;
}

/** Folders the wizard suggests leaving out, by name. */
const KNOWN: readonly Known[] = [
  {
    pattern: 'node_modules/',
    names: ['node_modules'],
    kind: 'dev',
    reason: 'installed JavaScript packages, put back by npm install',
  },
  {
    pattern: '__pycache__/',
    names: ['__pycache__'],
    kind: 'dev',
    reason: 'compiled Python files, made again when needed',
  },
  {
    pattern: '.cache/',
    names: ['.cache'],
    kind: 'cache',
    reason: 'application caches, rebuilt when needed',
  },
  {
    pattern: 'cache/',
    names: ['Caches', 'Cache', 'cache'],
    kind: 'cache',
    reason: 'caches, rebuilt when needed',
  },
  {
    pattern: '.Trash*/',
    names: ['.Trash', 'Trash'],
    kind: 'trash',
    reason: 'files you deleted',
  },
  { pattern: 'tmp/', names: ['tmp', 'temp', 'Temp'], kind: 'temp', reason: 'temporary files' },
];

const LIMIT = 200_000;

function knownFor(name: string): Known | undefined {
  if (name.startsWith('.Trash-')) return KNOWN.find((k) => k.kind === 'trash');
  return KNOWN.find((k) => k.names.includes(name));
}

interface Tally {
  files: number;
  folders: number;
  bytes: number;
  entries: number;
  unreadable: string[];
}

export async function previewSources(
  paths: readonly string[],
  excludes: readonly string[],
): Promise<SourcesPreview> {
  const excluded = makeExcluder(excludes);
  const total: Tally = { files: 0, folders: 0, bytes: 0, entries: 0, unreadable: [] };
  type Found = { known: Known; examples: string[]; files: number; bytes: number };
  // By pattern: "cache/" and "Caches/" are suggested apart, each matching what was found.
  const found = new Map<string, Found>();
  const missing: string[] = [];

  const walk = async (dir: string, rel: string, within: Found | undefined): Promise<void> => {
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      if (total.unreadable.length < 50) total.unreadable.push(dir);
      return;
    }
    for await (const entry of handle as AsyncIterable<Dirent>) {
      if (++total.entries > LIMIT) return;
      const path = join(dir, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (excluded(childRel, entry.isDirectory())) continue;
      if (entry.isDirectory()) {
        total.folders++;
        let into = within;
        const known = within ? undefined : knownFor(entry.name);
        if (known) {
          const pattern = entry.name.startsWith('.Trash-') ? '.Trash-*/' : `${entry.name}/`;
          into = found.get(pattern) ?? { known, examples: [], files: 0, bytes: 0 };
          if (into.examples.length < 5) into.examples.push(path);
          found.set(pattern, into);
        }
        await walk(path, childRel, into);
      } else if (entry.isFile()) {
        const size = await lstat(path).then(
          (s) => s.size,
          () => 0,
        );
        total.files++;
        total.bytes += size;
        if (within) {
          within.files++;
          within.bytes += size;
        }
      }
    }
  };

  for (const source of paths) {
    const s = await lstat(source).catch(() => undefined);
    if (!s) missing.push(source);
    else if (s.isDirectory()) await walk(source, '', undefined);
    else if (s.isFile()) {
      total.files++;
      total.bytes += s.size;
    }
  }
  const suggestions = [...found.entries()]
    .map(([pattern, { known, examples, files, bytes }]) => ({
      pattern,
      reason: known.reason,
      kind: known.kind,
      examples,
      files,
      bytes,
    }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    files: total.files,
    folders: total.folders,
    bytes: total.bytes,
    unreadable: total.unreadable,
    missing,
    suggestions,
    truncated: total.entries > LIMIT,
  };
}
