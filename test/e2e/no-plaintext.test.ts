/**
 * Whoever holds the storage learns nothing readable: after a backup of files whose names,
 * folders, contents, symlink targets, tags and host are unique markers, no byte of any file in
 * the repository (and no file name in it) holds a marker, in UTF-8 or UTF-16LE. Only key files
 * are plaintext JSON, and they hold KDF parameters and base64 blobs, nothing that names anyone.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, initRepo, strata, tempDir } from '../helpers/cli';
import { allFiles } from '../helpers/hostile-repo';

const tag = randomBytes(6).toString('hex');
const M = {
  fileName: `MARKER-NAME-${tag}.txt`,
  dirName: `MARKER-DIR-${tag}`,
  content: `MARKER-CONTENT-${tag}`,
  binName: `MARKER-BIN-${tag}.dat`,
  linkTarget: `MARKER-LINK-TARGET-${tag}`,
  tag: `MARKERTAG${tag}`,
  host: `MARKERHOST${tag}`,
};
const MARKERS = Object.values(M);

let work: string;
let cleanup: () => Promise<void>;
let repo: string;
let src: string;
let files: string[];

function username(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

/** Bytes per byte value: ~8 bits for encrypted data, ~4-5 for text or JSON. */
function entropy(data: Buffer): number {
  const counts = new Array<number>(256).fill(0);
  for (const b of data) counts[b]!++;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / data.length) * Math.log2(c / data.length);
  return h;
}

function encodings(marker: string): [string, Buffer][] {
  return [
    ['utf8', Buffer.from(marker, 'utf8')],
    ['utf16le', Buffer.from(marker, 'utf16le')],
  ];
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-plaintext-'));
  repo = join(work, 'repo');
  src = join(work, 'src');
  const dir = join(src, M.dirName);
  await mkdir(dir, { recursive: true });
  // Compressible: the marker over and over (~2.6 MiB, several chunks).
  await writeFile(join(dir, M.fileName), `${M.content}\n`.repeat(100_000));
  // Incompressible: random bytes with the marker sprinkled in every 4 KiB.
  const random = randomBytes(1024 * 1024);
  for (let at = 0; at + 64 < random.length; at += 4096) random.write(M.content, at);
  await writeFile(join(dir, M.binName), random);
  // Small: stored raw (too short to compress), and once in UTF-16LE.
  await writeFile(join(src, 'small.txt'), M.content);
  await writeFile(join(src, 'utf16.txt'), Buffer.from(M.content, 'utf16le'));
  await symlink(M.linkTarget, join(src, 'link'));
  await initRepo(repo);
  const r = await strata(['backup', '--repo', repo, src, '--tag', M.tag, '--host', M.host]);
  if (r.code !== 0) throw new Error(`backup failed: ${r.stderr}`);
  files = await allFiles(repo);
});

afterAll(async () => {
  await cleanup();
});

describe('the repository on disk', () => {
  it('really holds the markers (a positive control, read back through the CLI)', async () => {
    const snaps = await strata(['snapshots', '--repo', repo, '--json']);
    const [list] = jsonLines(snaps.stdout) as unknown as { host: string; tags: string[] }[][];
    expect(list![0]!.host).toBe(M.host);
    expect(list![0]!.tags).toEqual([M.tag]);
    const ls = await strata(['ls', 'latest', '--repo', repo, '--recursive']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain(M.fileName);
    expect(ls.stdout).toContain(M.dirName);
    expect(ls.stdout).toContain(M.linkTarget);
  });

  it('has only the expected, opaquely named files', () => {
    const patterns = [
      /^config$/,
      /^keys\/[0-9a-f]{32}$/,
      /^data\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/,
      /^index\/[0-9a-f]{64}$/,
      /^snapshots\/[0-9a-f]{64}$/,
    ];
    const rels = files.map((f) => relative(repo, f));
    expect(rels.filter((r) => !patterns.some((p) => p.test(r)))).toEqual([]);
    // Sanity: a backup happened.
    expect(rels.filter((r) => r.startsWith('data/')).length).toBeGreaterThanOrEqual(2);
    expect(rels.filter((r) => r.startsWith('snapshots/'))).toHaveLength(1);
    for (const marker of MARKERS) expect(rels.join('\n')).not.toContain(marker);
  });

  it('holds no marker anywhere in any byte, in UTF-8 or UTF-16LE', async () => {
    const found: string[] = [];
    let bytes = 0;
    for (const file of files) {
      const data = await readFile(file);
      bytes += data.length;
      for (const marker of MARKERS)
        for (const [enc, needle] of encodings(marker))
          if (data.includes(needle)) found.push(`${relative(repo, file)}: ${marker} (${enc})`);
      // Case-folded too: compression or encoding must not leave a readable variant.
      if (data.toString('latin1').toUpperCase().includes(tag.toUpperCase()))
        found.push(`${relative(repo, file)}: the marker tag ${tag}`);
    }
    expect(found).toEqual([]);
    expect(bytes).toBeGreaterThan(1024 * 1024); // the incompressible file is in there
  });

  it('stores nothing but key files as readable text: everything else looks random', async () => {
    const readable: string[] = [];
    for (const file of files) {
      const rel = relative(repo, file);
      if (rel.startsWith('keys/')) continue;
      const data = await readFile(file);
      const text = data.toString('latin1');
      let json = true;
      try {
        JSON.parse(data.toString('utf8'));
      } catch {
        json = false;
      }
      if (json) readable.push(`${rel}: parses as JSON`);
      for (const token of ['"nodes"', '"host"', '"paths"', '"tree"', '"version"', 'SIDX'])
        if (text.includes(token)) readable.push(`${rel}: contains ${token}`);
      if (data.length >= 4096 && entropy(data) < 7.8)
        readable.push(`${rel}: entropy ${entropy(data).toFixed(2)} bits/byte`);
    }
    expect(readable).toEqual([]);
  });

  it('key files hold only KDF parameters and base64 blobs, naming no one', async () => {
    const keyFiles = files.filter((f) => relative(repo, f).startsWith('keys/'));
    expect(keyFiles).toHaveLength(1);
    const user = username();
    for (const file of keyFiles) {
      const raw = await readFile(file, 'utf8');
      const key = JSON.parse(raw) as {
        version: unknown;
        kdf: Record<string, unknown>;
        payload: string;
        info: string;
      };
      expect(Object.keys(key).sort()).toEqual(['info', 'kdf', 'payload', 'version']);
      expect(Object.keys(key.kdf).sort()).toEqual(['logN', 'name', 'p', 'r', 'salt']);
      expect(key.kdf.name).toBe('scrypt');
      for (const n of [key.kdf.logN, key.kdf.r, key.kdf.p, key.version])
        expect(Number.isInteger(n)).toBe(true);
      const blobs = [key.payload, key.info, key.kdf.salt as string];
      for (const b of blobs) {
        expect(b).toMatch(/^[A-Za-z0-9+/]+=*$/);
        expect(Buffer.from(b, 'base64').toString('base64')).toBe(b);
      }
      // The info blob (who made the key, when) is sealed: at least nonce + tag, not JSON.
      const info = Buffer.from(key.info, 'base64');
      expect(info.length).toBeGreaterThanOrEqual(28);
      expect(() => JSON.parse(info.toString('utf8'))).toThrow();
      // What is left once the base64 blobs are blanked out names nobody and no machine.
      let skeleton = raw;
      for (const b of blobs) skeleton = skeleton.replace(b, '');
      const secrets = [...MARKERS, hostname(), ...(user ? [user] : [])];
      for (const s of secrets) expect(skeleton).not.toContain(s);
      // And the whole file (blobs included) holds no marker nor long-enough identity.
      for (const s of secrets.filter((x) => x.length >= 4)) expect(raw).not.toContain(s);
      for (const b of blobs.map((x) => Buffer.from(x, 'base64')))
        for (const s of secrets.filter((x) => x.length >= 4))
          expect(b.includes(Buffer.from(s))).toBe(false);
    }
  });
});
