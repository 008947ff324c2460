/**
 * A quick concurrent scan of the sources that counts files and bytes, so progress can show an
 * honest ETA on a first backup. It only stats; errors are left for the archiver to report.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Excluder } from './excludes';

export interface ScanTotals {
  files: number;
  bytes: number;
}

export async function scanTotals(
  sources: readonly string[],
  exclude: Excluder,
  signal?: AbortSignal,
): Promise<ScanTotals> {
  const totals: ScanTotals = { files: 0, bytes: 0 };
  const visit = async (path: string, rel: string): Promise<void> => {
    if (signal?.aborted) return;
    let st;
    try {
      st = await lstat(path);
    } catch {
      return;
    }
    if (rel !== '' && exclude(rel, st.isDirectory())) return;
    if (st.isFile()) {
      totals.files++;
      totals.bytes += st.size;
    } else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = await readdir(path);
      } catch {
        return;
      }
      for (const name of names) await visit(join(path, name), rel === '' ? name : `${rel}/${name}`);
    }
  };
  for (const source of sources) await visit(source, '');
  return totals;
}
