import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { errnoCode, fsErrorToStrata } from '../../electron/engine/backends/fs-errors';
import { LocalBackend } from '../../electron/engine/backends/local';
import { StrataError, type ErrorCode } from '../../shared/errors';
import { backendContract, expectCode, hexName } from './backend-contract';

async function tempDir(): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), 'strata-local-'));
}

// The repository folder does not exist yet: create() makes it inside the fresh temp dir.
backendContract('LocalBackend', async () => {
  const dir = await tempDir();
  return {
    backend: new LocalBackend(path.join(dir, 'repo')),
    cleanup: () => fsp.rm(dir, { recursive: true, force: true }),
  };
});

describe('LocalBackend', () => {
  let dir: string;
  let root: string;
  let backend: LocalBackend;

  beforeEach(async () => {
    dir = await tempDir();
    root = path.join(dir, 'repo');
    backend = new LocalBackend(root);
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await fsp.chmod(root, 0o755).catch(() => {});
    await fsp.rm(dir, { recursive: true, force: true });
  });

  const tmpFiles = async (folder: string) =>
    (await fsp.readdir(folder)).filter((n) => n.startsWith('.tmp-'));

  it('creates the layout with 256 data subfolders and reports an absolute location', async () => {
    await backend.create();
    expect(path.isAbsolute(backend.location)).toBe(true);
    expect((await fsp.readdir(root)).sort()).toEqual([
      'data',
      'index',
      'keys',
      'locks',
      'marks',
      'pins',
      'snapshots',
    ]);
    const subdirs = await fsp.readdir(path.join(root, 'data'));
    expect(subdirs).toHaveLength(256);
    expect(subdirs).toContain('00');
    expect(subdirs).toContain('ff');
  });

  it('creates a repository in a non-empty folder and leaves its files alone', async () => {
    await fsp.mkdir(root);
    await fsp.writeFile(path.join(root, 'notes.txt'), 'hello');
    await backend.create();
    expect(await fsp.readFile(path.join(root, 'notes.txt'), 'utf8')).toBe('hello');
  });

  it('does not list temp files left by a crash, odd names or misfiled data', async () => {
    await backend.create();
    const keep = hexName('ab');
    await backend.write({ kind: 'data', name: keep }, Buffer.from('x'));
    await fsp.writeFile(path.join(root, 'data', 'ab', '.tmp-0123456789abcdef'), 'partial');
    await fsp.writeFile(path.join(root, 'data', 'ab', hexName('cd')), 'misfiled');
    await fsp.writeFile(path.join(root, 'data', 'ab', 'Thumbs.db'), '');
    await fsp.mkdir(path.join(root, 'data', 'zz'));
    await fsp.writeFile(path.join(root, 'data', 'zz', hexName('00')), '');
    await fsp.writeFile(path.join(root, 'keys', '.tmp-aaaa'), 'partial');
    await fsp.writeFile(path.join(root, 'keys', 'ABCDEF0123'), '');
    await fsp.mkdir(path.join(root, 'keys', hexName()));
    await fsp.writeFile(path.join(root, '.tmp-bbbb'), 'partial config');
    expect(await backend.list('data')).toEqual([{ name: keep, size: 1 }]);
    expect(await backend.list('keys')).toEqual([]);
    expect(await backend.list('config')).toEqual([]);
  });

  it('recreates a missing data subfolder on demand', async () => {
    await backend.create();
    await fsp.rmdir(path.join(root, 'data', 'ab'));
    const h = { kind: 'data', name: hexName('ab') } as const;
    await backend.write(h, Buffer.from('data'));
    expect((await backend.read(h)).toString()).toBe('data');
  });

  it('makes the folders of later kinds on first use, only inside a repository', async () => {
    await backend.create();
    await backend.write({ kind: 'config', name: 'config' }, Buffer.from('cfg'));
    for (const kind of ['marks', 'pins'] as const) {
      await fsp.rmdir(path.join(root, kind)); // a repository made before these kinds existed
      expect(await backend.list(kind)).toEqual([]);
      const h = { kind, name: hexName() };
      await backend.write(h, Buffer.from(kind));
      expect((await backend.read(h)).toString()).toBe(kind);
    }
    // Without a config file the folder is not a repository (an empty mount point): never made.
    await fsp.rm(path.join(root, 'config'), { force: true });
    await fsp.rm(path.join(root, 'pins'), { recursive: true });
    await expectCode(
      backend.write({ kind: 'pins', name: hexName() }, Buffer.from('x')),
      'REPO_NOT_FOUND',
    );
    await expect(fsp.stat(path.join(root, 'pins'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives BACKEND_UNAVAILABLE when the root is missing, and never recreates it', async () => {
    const gone = new LocalBackend(path.join(dir, 'no-such-dir', 'repo'));
    const h = { kind: 'data', name: hexName() } as const;
    const ops: Array<() => Promise<unknown>> = [
      () => gone.create(),
      () => gone.list('data'),
      () => gone.list('config'),
      () => gone.read(h),
      () => gone.read(h, { offset: 0, length: 1 }),
      () => gone.stat(h),
      () => gone.write(h, Buffer.from('x')),
      () => gone.write({ kind: 'config', name: 'config' }, Buffer.from('x')),
      () => gone.remove(h),
    ];
    for (const op of ops) await expectCode(op(), 'BACKEND_UNAVAILABLE');
    await expect(gone.list('keys')).rejects.toThrow(/is not reachable \(is the drive connected/);

    // An unplugged drive after create(): the root disappears.
    await backend.create();
    await fsp.rm(root, { recursive: true });
    await expectCode(backend.write(h, Buffer.from('x')), 'BACKEND_UNAVAILABLE');
    await expectCode(backend.list('snapshots'), 'BACKEND_UNAVAILABLE');
    await expect(fsp.stat(root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('gives REPO_NOT_FOUND for writes into an empty folder (an unmounted mount point)', async () => {
    await fsp.mkdir(root);
    await expectCode(
      backend.write({ kind: 'data', name: hexName() }, Buffer.from('x')),
      'REPO_NOT_FOUND',
    );
    await expectCode(
      backend.write({ kind: 'keys', name: hexName() }, Buffer.from('x')),
      'REPO_NOT_FOUND',
    );
    expect(await backend.list('data')).toEqual([]);
    expect(await fsp.readdir(root)).toEqual([]);
  });

  it('gives REPO_CORRUPT when a file stands where a folder is expected', async () => {
    await backend.create();
    await fsp.rmdir(path.join(root, 'data', 'ab'));
    await fsp.writeFile(path.join(root, 'data', 'ab'), 'not a folder');
    const h = { kind: 'data', name: hexName('ab') } as const;
    await expectCode(backend.write(h, Buffer.from('x')), 'REPO_CORRUPT');
    await expectCode(backend.read(h), 'REPO_CORRUPT');
  });

  it('gives INVALID_ARGUMENT when the destination is a file', async () => {
    await fsp.writeFile(root, 'a file');
    await expectCode(backend.create(), 'INVALID_ARGUMENT');
    await expectCode(backend.list('data'), 'INVALID_ARGUMENT');
  });

  it('gives PERMISSION_DENIED for a read-only folder', async ({ skip }) => {
    skip(process.getuid?.() === 0, 'running as root: chmod does not stop root from writing');
    skip(process.platform === 'win32', 'chmod does not make folders read-only on Windows');
    await backend.create();
    await fsp.chmod(path.join(root, 'keys'), 0o500);
    await expectCode(
      backend.write({ kind: 'keys', name: hexName() }, Buffer.from('x')),
      'PERMISSION_DENIED',
    );
  });

  it.each([
    ['EROFS', 'PERMISSION_DENIED'],
    ['ENOSPC', 'NO_SPACE'],
    ['EIO', 'BACKEND_UNAVAILABLE'],
  ] as const)(
    'maps %s while publishing to %s and removes the temp file',
    async (code, expected) => {
      await backend.create();
      vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error(code), { code }));
      const h = { kind: 'index', name: hexName() } as const;
      await expectCode(backend.write(h, Buffer.from('x')), expected);
      expect(await fsp.readdir(path.join(root, 'index'))).toEqual([]);
    },
  );

  it('falls back to check-then-rename where hard links are unsupported', async () => {
    await backend.create();
    const link = vi
      .spyOn(fsp, 'link')
      .mockRejectedValue(Object.assign(new Error('EPERM'), { code: 'EPERM' }));
    const h = { kind: 'snapshots', name: hexName() } as const;
    await backend.write(h, Buffer.from('first'));
    await expectCode(backend.write(h, Buffer.from('second')), 'ALREADY_EXISTS');
    expect(link).toHaveBeenCalledTimes(2);
    expect((await backend.read(h)).toString()).toBe('first');
    expect(await tmpFiles(path.join(root, 'snapshots'))).toEqual([]);
  });

  it('lets exactly one of several concurrent writers of the same name win', async () => {
    await backend.create();
    const h = { kind: 'locks', name: hexName() } as const;
    const payloads = Array.from({ length: 10 }, (_, i) => Buffer.from(`writer ${i}`));
    const results = await Promise.allSettled(payloads.map((p) => backend.write(h, p)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_EXISTS' });
    }
    expect((await backend.read(h)).equals(payloads[won[0]!]!)).toBe(true);
    expect(await tmpFiles(path.join(root, 'locks'))).toEqual([]);
  });

  it('leaves no temp file after a data file written in pieces is committed, refused or aborted', async () => {
    await backend.create();
    const name = hexName();
    const one = await backend.openPartial('data');
    await one.append([Buffer.from('pack')]);
    // Its data/<xx> folder went missing: made again on commit, as write() does.
    await fsp.rm(path.join(root, 'data', name.slice(0, 2)), { recursive: true });
    await one.commit(name);
    const two = await backend.openPartial('data');
    await two.append([Buffer.from('other')]);
    await expectCode(two.commit(name), 'ALREADY_EXISTS');
    const three = await backend.openPartial('data');
    await three.abort();
    expect((await backend.read({ kind: 'data', name })).toString()).toBe('pack');
    expect(await tmpFiles(path.join(root, 'data'))).toEqual([]);
  });

  it('names the file and sizes when a range runs past the end', async () => {
    await backend.create();
    const h = { kind: 'data', name: hexName() } as const;
    await backend.write(h, Buffer.alloc(10));
    await expect(backend.read(h, { offset: 5, length: 10 })).rejects.toThrow(
      new RegExp(`${h.name} is 10 bytes, but bytes 5 to 15`),
    );
    await expectCode(backend.read(h, { offset: -1, length: 1 }), 'INVALID_ARGUMENT');
  });
});

describe('fsErrorToStrata', () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

  it.each<[string, ErrorCode]>([
    ['ENOENT', 'NOT_FOUND'],
    ['EEXIST', 'ALREADY_EXISTS'],
    ['ENOSPC', 'NO_SPACE'],
    ['EDQUOT', 'NO_SPACE'],
    ['EACCES', 'PERMISSION_DENIED'],
    ['EPERM', 'PERMISSION_DENIED'],
    ['EROFS', 'PERMISSION_DENIED'],
    ['EIO', 'BACKEND_UNAVAILABLE'],
    ['ENOTCONN', 'BACKEND_UNAVAILABLE'],
    ['ESTALE', 'BACKEND_UNAVAILABLE'],
    ['ETIMEDOUT', 'BACKEND_UNAVAILABLE'],
    ['EHOSTDOWN', 'BACKEND_UNAVAILABLE'],
    ['ENOTDIR', 'IO_ERROR'],
    ['EMFILE', 'IO_ERROR'],
  ])('maps %s to %s, naming the path and keeping the cause', (code, expected) => {
    const cause = errno(code);
    const mapped = fsErrorToStrata(cause, 'write', '/mnt/backup/keys/abc');
    expect(mapped).toBeInstanceOf(StrataError);
    expect(mapped.code).toBe(expected);
    expect(mapped.message).toContain('cannot write /mnt/backup/keys/abc');
    expect(mapped.cause).toBe(cause);
  });

  it('maps errors without an errno code to IO_ERROR and passes StrataErrors through', () => {
    expect(fsErrorToStrata(new Error('boom'), 'read', '/x').code).toBe('IO_ERROR');
    expect(fsErrorToStrata('weird', 'read', '/x').code).toBe('IO_ERROR');
    const strata = new StrataError('REPO_LOCKED', 'locked');
    expect(fsErrorToStrata(strata, 'read', '/x')).toBe(strata);
  });

  it('reads errno codes only from system errors', () => {
    expect(errnoCode(errno('ENOSPC'))).toBe('ENOSPC');
    expect(errnoCode({ code: 'ERR_INVALID_ARG_TYPE' })).toBeUndefined();
    expect(errnoCode(null)).toBeUndefined();
    expect(errnoCode(new StrataError('NOT_FOUND', 'x'))).toBeUndefined();
  });
});
