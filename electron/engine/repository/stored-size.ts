/**
 * What a repository takes on its destination: the sizes its backend lists, every kind of file
 * together. Listing is what the destination itself reports, so this is the figure a user sees
 * in a file manager or a bucket's console (temporary files of writes in progress are never
 * listed, so they do not count).
 */
import { FILE_KINDS, type Backend } from '../backends/backend';

export interface StoredSize {
  readonly bytes: number;
  readonly files: number;
}

/** Sums the listed sizes of every kind of file in the repository. */
export async function storedSize(backend: Backend): Promise<StoredSize> {
  let bytes = 0;
  let files = 0;
  for (const kind of FILE_KINDS) {
    for (const f of await backend.list(kind)) {
      bytes += f.size;
      files++;
    }
  }
  return { bytes, files };
}
