/**
 * The files of a restore plan, column by column: typed arrays and one flat path string a file,
 * not an object graph. A restore holds every selected file to its end, and a million tiny files
 * planned as objects (an entry, a node, an mtime string, a content array and its hex ids:
 * ~350 bytes a file, and as much again for the content phase) took a 1.4 GB peak. Here a file
 * costs its path (~40-60 bytes), 44 bytes of columns and 32 bytes per blob, and the entry or
 * node of a file is built when it is asked for (PlannedEntry), not kept.
 */
import { join } from 'node:path';
import type { RestoreNode } from '../repository/tree';
import type { FileMeta } from '../workers/protocol';
import { seconds } from './metadata';
import type { PlannedEntry } from './planner';

const ID_BYTES = 32;
const HEX_ID = /^[0-9a-fA-F]{64}$/;

type Column = Uint32Array | Int32Array | Float64Array | Uint8Array;

/** `a`, or a copy twice as long (or more) when `need` elements do not fit. */
function room<T extends Column>(a: T, need: number): T {
  if (need <= a.length) return a;
  let n = a.length * 2;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/** An entry of the table, made when asked for. */
class FileEntry implements PlannedEntry {
  constructor(
    private readonly files: PlannedFiles,
    private readonly i: number,
  ) {}

  get path(): string {
    return this.files.path(this.i);
  }

  get dest(): string {
    return this.files.dest(this.i);
  }

  get node(): RestoreNode {
    return this.files.node(this.i);
  }
}

export class PlannedFiles implements Iterable<PlannedEntry> {
  private n = 0;
  private readonly paths: string[] = [];
  private modes = new Uint32Array(64);
  private uids = new Uint32Array(64);
  private gids = new Uint32Array(64);
  private links = new Uint32Array(64);
  /** NaN: the node had no size. */
  private sizes = new Float64Array(64);
  /** mtime in ns = seconds × 10^9 + ns, exactly (a double of the ns would not be). */
  private mtimeS = new Float64Array(64);
  private mtimeNs = new Int32Array(64);
  /** Blob k of file i is blob firstBlob[i] + k; firstBlob[n] is the number of blobs. */
  private firstBlob = new Uint32Array(65);
  private ids = new Uint8Array(64 * ID_BYTES);
  /** Rare, kept as they were: ids that are not 32 bytes of hex, times that are not integers, atimes. */
  private readonly oddIds = new Map<number, string>();
  private readonly oddTimes = new Map<number, string>();
  private readonly atimes = new Map<number, string>();

  constructor(private readonly target: string) {}

  get length(): number {
    return this.n;
  }

  add(path: string, node: Omit<RestoreNode, 'type'>): number {
    const i = this.n++;
    if (this.n > this.modes.length) this.grow();
    this.paths.push(path);
    this.modes[i] = node.mode;
    this.uids[i] = node.uid;
    this.gids[i] = node.gid;
    this.links[i] = node.links;
    this.sizes[i] = node.size ?? NaN;
    this.setMtime(i, node.mtime);
    if (node.atime !== undefined) this.atimes.set(i, node.atime);
    const content = node.content ?? [];
    const first = this.firstBlob[i]!;
    this.ids = room(this.ids, (first + content.length) * ID_BYTES);
    const bytes = Buffer.from(this.ids.buffer);
    content.forEach((id, k) => {
      const at = first + k;
      if (!HEX_ID.test(id)) this.oddIds.set(at, id);
      else bytes.write(id, at * ID_BYTES, ID_BYTES, 'hex');
    });
    this.firstBlob[i + 1] = first + content.length;
    return i;
  }

  /** Twice the room in every per-file column. */
  private grow(): void {
    const need = this.modes.length * 2;
    this.modes = room(this.modes, need);
    this.uids = room(this.uids, need);
    this.gids = room(this.gids, need);
    this.links = room(this.links, need);
    this.sizes = room(this.sizes, need);
    this.mtimeS = room(this.mtimeS, need);
    this.mtimeNs = room(this.mtimeNs, need);
    this.firstBlob = room(this.firstBlob, need + 1);
  }

  private setMtime(i: number, mtime: string): void {
    let ns: bigint;
    try {
      ns = BigInt(mtime);
    } catch {
      this.oddTimes.set(i, mtime);
      return;
    }
    this.mtimeS[i] = Number(ns / 1_000_000_000n);
    this.mtimeNs[i] = Number(ns % 1_000_000_000n);
  }

  private mtime(i: number): string {
    const odd = this.oddTimes.get(i);
    if (odd !== undefined) return odd;
    return (BigInt(this.mtimeS[i]!) * 1_000_000_000n + BigInt(this.mtimeNs[i]!)).toString();
  }

  /** Its path in the snapshot, '/'-separated. */
  path(i: number): string {
    return this.paths[i]!;
  }

  /** Where it goes, inside the target. */
  dest(i: number): string {
    return join(this.target, this.paths[i]!);
  }

  size(i: number): number {
    const s = this.sizes[i]!;
    return Number.isNaN(s) ? 0 : s;
  }

  blobCount(i: number): number {
    return this.firstBlob[i + 1]! - this.firstBlob[i]!;
  }

  /** Blob k of file i: its id's 32 bytes (a view, not a copy), or its text when not hex. */
  blobId(i: number, k: number): Uint8Array | string {
    const at = this.firstBlob[i]! + k;
    return this.oddIds.get(at) ?? this.ids.subarray(at * ID_BYTES, (at + 1) * ID_BYTES);
  }

  /** The content ids of file i, as hex. */
  contentIds(i: number): string[] {
    const out: string[] = [];
    for (let k = 0; k < this.blobCount(i); k++) {
      const id = this.blobId(i, k);
      out.push(typeof id === 'string' ? id : Buffer.from(id).toString('hex'));
    }
    return out;
  }

  /** Owner, mode and times of file i, as a worker applies them (seconds: metadata.ts). */
  meta(i: number): FileMeta {
    const mtime = this.oddTimes.has(i)
      ? seconds(this.oddTimes.get(i)!)
      : this.mtimeS[i]! + this.mtimeNs[i]! / 1e9;
    const atime = this.atimes.get(i);
    return {
      uid: this.uids[i]!,
      gid: this.gids[i]!,
      mode: this.modes[i]!,
      atime: atime === undefined ? mtime : seconds(atime),
      mtime,
    };
  }

  /** The node of file i, made anew (content ids as hex). */
  node(i: number): RestoreNode {
    const s = this.sizes[i]!;
    return {
      type: 'file',
      mode: this.modes[i]!,
      uid: this.uids[i]!,
      gid: this.gids[i]!,
      mtime: this.mtime(i),
      atime: this.atimes.get(i),
      links: this.links[i]!,
      size: Number.isNaN(s) ? undefined : s,
      content: this.contentIds(i),
      target: undefined,
    };
  }

  entry(i: number): PlannedEntry {
    return new FileEntry(this, i);
  }

  *[Symbol.iterator](): Iterator<PlannedEntry> {
    for (let i = 0; i < this.n; i++) yield this.entry(i);
  }
}
