/**
 * The contract every Backend adapter must pass (local now; SFTP, S3, rclone later).
 *
 * Each test gets a fresh, created repository from `setup`. Listing checks go through
 * `eventually()` because object stores may list a file a little after it was written.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../shared/errors';
import type { Backend, FileHandle, FileKind } from '../../electron/engine/backends/backend';

/** Retries `check` a few times with short waits, for listings that lag behind writes. */
export async function eventually(
  check: () => Promise<void>,
  tries = 5,
  waitMs = 200,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await check();
    } catch (err) {
      if (i >= tries) throw err;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** Asserts that `promise` rejects with a StrataError carrying `code`. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  await expect(promise).rejects.toMatchObject({ name: 'StrataError', code });
}

/** A random valid file name, optionally starting with a given prefix. */
export function hexName(prefix = ''): string {
  return prefix + randomBytes(16).toString('hex').slice(prefix.length);
}

const CONFIG: FileHandle = { kind: 'config', name: 'config' };

export function backendContract(
  name: string,
  setup: () => Promise<{ backend: Backend; cleanup: () => Promise<void> }>,
): void {
  describe(`Backend contract: ${name}`, () => {
    let backend: Backend;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ backend, cleanup } = await setup());
      await backend.create();
    });

    afterEach(async () => {
      await backend.close();
      await cleanup();
    });

    const names = async (kind: FileKind) => (await backend.list(kind)).map((f) => f.name).sort();

    it('fails with REPO_EXISTS when creating over a repository', async () => {
      await backend.write(CONFIG, Buffer.from('config'));
      await expectCode(backend.create(), 'REPO_EXISTS');
      expect((await backend.read(CONFIG)).toString()).toBe('config');
    });

    it.each([
      ['empty', 0],
      ['1 byte', 1],
      ['several MiB', 5 * 1024 * 1024 + 123],
    ])('round-trips a %s file', async (_label, size) => {
      const h: FileHandle = { kind: 'data', name: hexName() };
      const data = randomBytes(size);
      await backend.write(h, data);
      expect((await backend.read(h)).equals(data)).toBe(true);
      expect(await backend.stat(h)).toEqual({ name: h.name, size });
      await eventually(async () => {
        expect(await backend.list('data')).toContainEqual({ name: h.name, size });
      });
    });

    it('writes a file given in parts as their concatenation', async () => {
      const h: FileHandle = { kind: 'data', name: hexName() };
      const parts = [
        randomBytes(1000),
        Buffer.alloc(0),
        randomBytes(3 * 1024 * 1024),
        randomBytes(7),
      ];
      await backend.write(h, parts);
      expect((await backend.read(h)).equals(Buffer.concat(parts))).toBe(true);
      const tiny: FileHandle = { kind: 'data', name: hexName() };
      const many = Array.from({ length: 50_000 }, (_, i) => randomBytes(1 + (i % 200)));
      await backend.write(tiny, many);
      expect((await backend.read(tiny)).equals(Buffer.concat(many))).toBe(true);
      expect(
        (await backend.read(h, { offset: 1000, length: 10 })).equals(parts[2]!.subarray(0, 10)),
      ).toBe(true);
    });

    it('writes a data file in pieces (openPartial): invisible until committed, never over a taken name', async () => {
      if (!backend.openPartial) return; // optional: callers fall back to write()
      const h: FileHandle = { kind: 'data', name: hexName() };
      const parts = [randomBytes(1000), randomBytes(3 * 1024 * 1024), randomBytes(7)];
      const file = await backend.openPartial('data');
      await file.append(parts.slice(0, 2));
      await file.append(parts.slice(2));
      expect(await names('data')).toEqual([]);
      await file.commit(h.name);
      expect((await backend.read(h)).equals(Buffer.concat(parts))).toBe(true);
      await eventually(async () => expect(await names('data')).toEqual([h.name]));

      const again = await backend.openPartial('data');
      await again.append([Buffer.from('replacement')]);
      await expectCode(again.commit(h.name), 'ALREADY_EXISTS');
      expect((await backend.read(h)).equals(Buffer.concat(parts))).toBe(true);

      const dropped = await backend.openPartial('data');
      await dropped.append([randomBytes(10)]);
      await dropped.abort();
      await eventually(async () => expect(await names('data')).toEqual([h.name]));
    });

    it('reads ranges at the start, middle and end, and zero-length ranges', async () => {
      const h: FileHandle = { kind: 'data', name: hexName() };
      const data = randomBytes(1000);
      await backend.write(h, data);
      for (const [offset, length] of [
        [0, 10],
        [500, 123],
        [990, 10],
        [999, 1],
        [0, 1000],
        [0, 0],
        [1000, 0],
      ] as const) {
        const got = await backend.read(h, { offset, length });
        expect(got.equals(data.subarray(offset, offset + length))).toBe(true);
      }
    });

    it('readSmallSync, where offered, gives what read gives, or nothing', async () => {
      if (!backend.readSmallSync) return; // optional: remote backends leave it out
      const h: FileHandle = { kind: 'data', name: hexName() };
      const bytes = randomBytes(5000);
      await backend.write(h, bytes);
      const range = { offset: 1000, length: 300 };
      expect(backend.readSmallSync(h, range)?.equals(await backend.read(h, range))).toBe(true);
      expect(backend.readSmallSync(h, { offset: 4990, length: 20 })).toBeUndefined();
      expect(backend.readSmallSync({ kind: 'data', name: hexName() }, range)).toBeUndefined();
    });

    it('fails with REPO_CORRUPT for a range past the end', async () => {
      const h: FileHandle = { kind: 'data', name: hexName() };
      await backend.write(h, randomBytes(100));
      await expectCode(backend.read(h, { offset: 95, length: 10 }), 'REPO_CORRUPT');
      await expectCode(backend.read(h, { offset: 0, length: 101 }), 'REPO_CORRUPT');
      await expectCode(backend.read(h, { offset: 101, length: 0 }), 'REPO_CORRUPT');
    });

    it('lists each kind separately, data across subfolders', async () => {
      const files: Record<Exclude<FileKind, 'config'>, string[]> = {
        data: [hexName('00'), hexName('7f'), hexName('ff'), hexName('ff')],
        keys: [hexName()],
        index: [hexName(), hexName()],
        snapshots: [hexName()],
        locks: [hexName()],
        marks: [hexName()],
        pins: [hexName(), hexName()],
      };
      for (const [kind, list] of Object.entries(files) as [FileKind, string[]][]) {
        for (const [i, n] of list.entries()) await backend.write({ kind, name: n }, randomBytes(i));
      }
      expect(await backend.list('config')).toEqual([]);
      await backend.write(CONFIG, Buffer.from('cfg'));
      await eventually(async () => {
        for (const [kind, list] of Object.entries(files) as [FileKind, string[]][]) {
          expect(await names(kind)).toEqual([...list].sort());
          for (const f of await backend.list(kind)) expect(f.size).toBe(list.indexOf(f.name));
        }
        expect(await backend.list('config')).toEqual([{ name: 'config', size: 3 }]);
      });
    });

    it('fails with ALREADY_EXISTS on a taken name and keeps the original bytes', async () => {
      const h: FileHandle = { kind: 'snapshots', name: hexName() };
      await backend.write(h, Buffer.from('original'));
      await expectCode(backend.write(h, Buffer.from('replacement')), 'ALREADY_EXISTS');
      expect((await backend.read(h)).toString()).toBe('original');
      await backend.write(CONFIG, Buffer.from('config'));
      await expectCode(backend.write(CONFIG, Buffer.from('other')), 'ALREADY_EXISTS');
      expect((await backend.read(CONFIG)).toString()).toBe('config');
    });

    it('removes files; reading, statting or removing them again gives NOT_FOUND', async () => {
      const h: FileHandle = { kind: 'locks', name: hexName() };
      await backend.write(h, Buffer.from('lock'));
      await backend.remove(h);
      await expectCode(backend.read(h), 'NOT_FOUND');
      await expectCode(backend.stat(h), 'NOT_FOUND');
      await expectCode(backend.remove(h), 'NOT_FOUND');
      await eventually(async () => expect(await names('locks')).toEqual([]));
    });

    it('gives NOT_FOUND for files that never existed', async () => {
      const h: FileHandle = { kind: 'data', name: hexName() };
      await expectCode(backend.read(h), 'NOT_FOUND');
      await expectCode(backend.read(h, { offset: 0, length: 1 }), 'NOT_FOUND');
      await expectCode(backend.stat(h), 'NOT_FOUND');
      await expectCode(backend.remove(h), 'NOT_FOUND');
      await expectCode(backend.read(CONFIG), 'NOT_FOUND');
    });

    it('rejects invalid names with INVALID_ARGUMENT', async () => {
      const bad: FileHandle[] = [
        ...['../x', 'a/b', 'ABC', '', '..', '0123abcd/../../0123abcd'].flatMap((n) =>
          (['data', 'keys'] as const).map((kind) => ({ kind, name: n })),
        ),
        { kind: 'config', name: 'x' },
        { kind: 'evil' as FileKind, name: hexName() },
      ];
      for (const h of bad) {
        await expectCode(backend.write(h, Buffer.from('x')), 'INVALID_ARGUMENT');
        await expectCode(backend.read(h), 'INVALID_ARGUMENT');
        await expectCode(backend.stat(h), 'INVALID_ARGUMENT');
        await expectCode(backend.remove(h), 'INVALID_ARGUMENT');
      }
      await expectCode(backend.list('evil' as FileKind), 'INVALID_ARGUMENT');
    });

    it('handles 20 concurrent writes', async () => {
      const written = Array.from({ length: 20 }, () => ({
        name: hexName(),
        data: randomBytes(4096),
      }));
      await Promise.all(written.map((f) => backend.write({ kind: 'data', name: f.name }, f.data)));
      await eventually(async () => {
        expect(await names('data')).toEqual(written.map((f) => f.name).sort());
      });
      for (const f of written) {
        expect((await backend.read({ kind: 'data', name: f.name })).equals(f.data)).toBe(true);
      }
    });
  });
}
