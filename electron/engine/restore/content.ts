/**
 * Writes file contents pack by pack: every blob the selected files need is planned as
 * (file, offset), grouped by pack and sorted by offset, so each pack is read once, in a few
 * large ranges. Files were created at their final size, so all-zero blobs are left as holes.
 * A blob that fails to read or authenticate damages only the files that use it.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { BlobEntry } from '../repository/blob';
import { openBlob } from '../repository/blob';
import type { Repository } from '../repository/repository';

export interface FileJob {
  readonly dest: string;
  readonly path: string;
  readonly content: readonly string[];
}

interface Target {
  readonly file: number;
  readonly offset: number;
}

/** Gap between blobs up to which two reads are merged into one. */
const MERGE_GAP = 256 * 1024;
const MAX_READ = 64 * 1024 * 1024;

export interface ContentResult {
  /** Files (by index) that could not be completed, with why. */
  readonly damaged: Map<number, string>;
  readonly bytesWritten: number;
}

export async function writeContents(
  repo: Repository,
  files: readonly FileJob[],
  onFileDone: (file: number) => Promise<void>,
  onBytes: (n: number) => void,
): Promise<ContentResult> {
  const damaged = new Map<number, string>();
  const remaining = files.map((f) => f.content.length);
  const byPack = new Map<string, Map<string, { entry: BlobEntry; targets: Target[] }>>();
  files.forEach((f, file) => {
    let offset = 0;
    for (const id of f.content) {
      const entry = repo.index.get(id);
      if (!entry) {
        damaged.set(file, `blob ${id.slice(0, 12)} is missing from the index`);
        remaining[file]!--;
        continue;
      }
      let blobs = byPack.get(entry.pack);
      if (!blobs) byPack.set(entry.pack, (blobs = new Map()));
      let slot = blobs.get(id);
      if (!slot) blobs.set(id, (slot = { entry, targets: [] }));
      slot.targets.push({ file, offset });
      offset += entry.rawLength;
    }
  });

  const handles = new Map<number, FileHandle>();
  const handle = async (file: number) => {
    let h = handles.get(file);
    if (!h) handles.set(file, (h = await open(files[file]!.dest, 'r+')));
    return h;
  };
  const finish = async (file: number) => {
    await handles.get(file)?.close();
    handles.delete(file);
    await onFileDone(file);
  };
  for (const [file, n] of remaining.entries()) if (n === 0) await finish(file);

  let bytesWritten = 0;
  for (const pack of [...byPack.keys()].sort()) {
    const blobs = [...byPack.get(pack)!.entries()].sort(
      (a, b) => a[1].entry.offset - b[1].entry.offset,
    );
    for (const range of mergeRanges(blobs.map(([, s]) => s.entry))) {
      const group = blobs.slice(range.first, range.last + 1);
      let bytes: Buffer | undefined;
      let readError = '';
      try {
        bytes = await repo.backend.read(
          { kind: 'data', name: pack },
          { offset: range.offset, length: range.length },
        );
      } catch (err) {
        readError = (err as Error).message;
      }
      for (const [id, { entry, targets }] of group) {
        let plain: Buffer | undefined;
        try {
          if (!bytes) throw new Error(`pack ${pack.slice(0, 12)} unreadable: ${readError}`);
          const at = entry.offset - range.offset;
          plain = openBlob(repo.key, id, entry, bytes.subarray(at, at + entry.length));
        } catch (err) {
          for (const t of targets) damaged.set(t.file, (err as Error).message);
        }
        for (const t of targets) {
          if (plain && !damaged.has(t.file) && !isZero(plain)) {
            const h = await handle(t.file);
            await h.write(plain, 0, plain.length, t.offset);
            bytesWritten += plain.length;
          }
          if (plain) onBytes(plain.length);
          if (--remaining[t.file]! === 0) await finish(t.file);
        }
      }
    }
  }
  for (const h of handles.values()) await h.close();
  return { damaged, bytesWritten };
}

const ZERO = Buffer.alloc(64 * 1024);

function isZero(buf: Buffer): boolean {
  for (let at = 0; at < buf.length; at += ZERO.length) {
    const end = Math.min(at + ZERO.length, buf.length);
    if (buf.compare(ZERO, 0, end - at, at, end) !== 0) return false;
  }
  return true;
}

/** Groups blobs sorted by offset into reads: neighbours closer than MERGE_GAP share one read. */
function mergeRanges(
  entries: readonly BlobEntry[],
): { first: number; last: number; offset: number; length: number }[] {
  const out: { first: number; last: number; offset: number; length: number }[] = [];
  entries.forEach((e, i) => {
    const cur = out.at(-1);
    const end = e.offset + e.length;
    if (cur && e.offset - (cur.offset + cur.length) <= MERGE_GAP && end - cur.offset <= MAX_READ) {
      cur.last = i;
      cur.length = Math.max(cur.length, end - cur.offset);
    } else {
      out.push({ first: i, last: i, offset: e.offset, length: e.length });
    }
  });
  return out;
}
