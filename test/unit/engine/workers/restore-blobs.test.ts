/**
 * The worker's side of a restore: blobs written into files, and files of one blob created as
 * they are written (O_EXCL, O_NOFOLLOW), whatever happens to the blob.
 */
import { spawnSync } from 'node:child_process';
import {
  chownSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateMasterKey } from '../../../../electron/engine/crypto/master-key';
import { sealBlob } from '../../../../electron/engine/repository/blob';
import type { RestoreBlob, RestoreTarget } from '../../../../electron/engine/workers/protocol';
import { restoreBlobs, type TaskContext } from '../../../../electron/engine/workers/tasks';

const key = generateMasterKey();
const ctx = { key } as TaskContext;

/** One pack range holding the given plaintexts, and a blob list pointing into it. */
function range(
  plains: Buffer[],
  targets: RestoreTarget[][],
): { data: Buffer; blobs: RestoreBlob[] } {
  const parts: Buffer[] = [];
  const blobs: RestoreBlob[] = [];
  let at = 0;
  plains.forEach((plain, i) => {
    const s = sealBlob(key, 'data', plain);
    blobs.push({
      id: s.id,
      type: 'data',
      compressed: s.compressed,
      rawLength: s.rawLength,
      at,
      length: s.sealed.length,
      targets: targets[i]!,
    });
    parts.push(s.sealed);
    at += s.sealed.length;
  });
  return { data: Buffer.concat(parts), blobs };
}

const childScript = (name: string) => join(__dirname, name);

describe('restoreBlobs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'strata-restore-blobs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a file of one blob as it writes it; a zero blob leaves a hole of the right size', async () => {
    const text = Buffer.from('hello, restore\n'.repeat(100));
    const zeros = Buffer.alloc(200_000);
    const a = join(dir, 'a');
    const z = join(dir, 'z');
    const r = range(
      [text, zeros],
      [
        [{ path: a, offset: 0, create: text.length }],
        [{ path: z, offset: 0, create: zeros.length }],
      ],
    );
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs);
    expect(out.failed).toEqual([]);
    expect(out.notCreated).toEqual([]);
    expect(readFileSync(a).equals(text)).toBe(true);
    expect(statSync(a).mode & 0o777).toBe(0o600);
    expect(statSync(z).size).toBe(zeros.length);
    expect(statSync(z).blocks * 512).toBeLessThan(zeros.length); // sparse: nothing written
  });

  it('gives a file it creates its metadata once written, a damaged one too', async () => {
    const text = Buffer.from('with metadata\n'.repeat(50));
    const meta = {
      uid: process.getuid!(),
      gid: process.getgid!(),
      mode: 0o4751,
      atime: 1_600_000_000.25,
      mtime: 1_500_000_000.5,
    };
    const ok = join(dir, 'ok');
    const bad = join(dir, 'bad');
    const r = range(
      [text, Buffer.from('lost')],
      [
        [{ path: ok, offset: 0, create: text.length, meta }],
        [{ path: bad, offset: 0, create: 4, meta: { ...meta, mode: 0o444 } }],
      ],
    );
    r.data[r.blobs[1]!.at + 20]! ^= 1;
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs);
    expect(out.failed.map((f) => f.id)).toEqual([r.blobs[1]!.id]);
    const st = lstatSync(ok); // before reading it: a read may set its access time
    expect(readFileSync(ok).equals(text)).toBe(true);
    // chown before chmod: the setuid bit survives.
    expect(st.mode & 0o7777).toBe(0o4751);
    expect(st.mtimeMs).toBe(1_500_000_000_500);
    expect(st.atimeMs).toBe(1_600_000_000_250);
    expect(lstatSync(bad).mode & 0o7777).toBe(0o444);
    expect(lstatSync(bad).mtimeMs).toBe(1_500_000_000_500);
  });

  it('a retry after a lost worker writes again a file that worker had already made read-only', () => {
    // As root the child runs as nobody: root may open a read-only file for writing.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(dir, 65534, 65534);
    const child = spawnSync(process.execPath, [childScript('retry-readonly-child.cjs'), dir], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(out.uid).not.toBe(0);
    expect(out.first).toEqual([]);
    expect(out.again).toEqual([]);
    expect(out).toMatchObject({ mode: 0o444, mtime: 1.5e12, intact: true });
  });

  it('keeps only a few files open: a range of hundreds of files restores under a low limit', () => {
    // Before: every file of a range stayed open until the range was done, and a 4 MiB range of
    // tiny blobs (tens of thousands) ran out of descriptors; a limit of 256 (macOS' default)
    // failed ordinary restores of small files.
    const child = spawnSync(
      'bash',
      [
        '-c',
        'ulimit -n 48 && exec "$0" "$1" "$2"',
        process.execPath,
        childScript('open-files-child.cjs'),
        dir,
      ],
      { encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const out = JSON.parse(child.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ notCreated: 0, unwritten: 0, oneIntact: 300, twoIntact: 300 });
  });

  it('a file it cannot open to write is reported, and the range goes on', async () => {
    const plain = Buffer.from('shared by two files');
    const gone = join(dir, 'gone'); // a file of several blobs, removed since it was made
    const there = join(dir, 'there');
    writeFileSync(there, Buffer.alloc(plain.length));
    const r = range(
      [plain],
      [
        [
          { path: gone, offset: 0 },
          { path: there, offset: 0 },
        ],
      ],
    );
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs);
    expect(out.failed).toEqual([]);
    expect(out.unwritten).toEqual([
      { path: gone, message: expect.stringMatching(/^cannot write: .*ENOENT/) },
    ]);
    expect(readFileSync(there).equals(plain)).toBe(true);
    expect(out.bytesWritten).toBe(plain.length);
  });

  it('never creates over something already there (a symlink is not followed)', async () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'keep me');
    const link = join(dir, 'link');
    symlinkSync(victim, link);
    const plain = Buffer.from('attacker bytes');
    const r = range([plain], [[{ path: link, offset: 0, create: plain.length }]]);
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs);
    expect(out.notCreated).toEqual([
      { path: link, message: expect.stringMatching(/^cannot create: .*EEXIST/) },
    ]);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(out.bytesWritten).toBe(0);
  });

  it('a retry after a lost worker writes into the file it had created', async () => {
    const plain = Buffer.from('second try');
    const path = join(dir, 'f');
    writeFileSync(path, Buffer.alloc(plain.length)); // what the dead worker left
    const r = range([plain], [[{ path, offset: 0, create: plain.length }]]);
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs, true);
    expect(out.notCreated).toEqual([]);
    expect(readFileSync(path).equals(plain)).toBe(true);
  });

  it('a blob that fails to open still gets its file made, damaged, at its size', async () => {
    const plain = Buffer.from('x'.repeat(5000));
    const path = join(dir, 'damaged');
    const r = range([plain], [[{ path, offset: 0, create: plain.length }]]);
    r.data[r.data.length - 1]! ^= 1; // flip a bit of the tag
    const out = await restoreBlobs(ctx, 'p', r.data, r.blobs);
    expect(out.failed.map((f) => f.id)).toEqual([r.blobs[0]!.id]);
    expect(statSync(path).size).toBe(plain.length);
    expect(readFileSync(path).equals(Buffer.alloc(plain.length))).toBe(true);
  });
});
