/**
 * Passwords and keys from the outside: wrong passwords change nothing and exit 12, every
 * password source works, a missing repository exits 10, key add / list / remove / passwd behave,
 * and a repository or key file from a newer Strata is refused with a clear message.
 */
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../electron/engine/crypto/aead';
import { CONFIG_AAD } from '../../electron/engine/repository/config';
import { initRepo, jsonLines, strata, tempDir, type CliResult } from '../helpers/cli';
import { fingerprint, openRepository, TEST_PASSWORD } from '../helpers/hostile-repo';

const WRONG = 'definitely-not-the-password-7d1c';

let work: string;
let cleanup: () => Promise<void>;
let base: string;
let src: string;
let copies = 0;

/** A fresh copy of the base repository (one snapshot, one key). */
async function copyRepo(): Promise<string> {
  const dir = join(work, `repo-${++copies}`);
  await cp(base, dir, { recursive: true });
  return dir;
}

async function pwFile(name: string, content: string): Promise<string> {
  const file = join(work, name);
  await writeFile(file, content);
  return file;
}

function expectWrongPassword(r: CliResult): void {
  expect(r.code, r.stderr).toBe(12);
  expect(r.stderr).toMatch(/wrong password/i);
  // The message must not echo the secret that was tried.
  expect(r.stderr + r.stdout).not.toContain(WRONG);
}

interface KeyRow {
  id: string;
  current: boolean;
  host: string;
  username: string;
  created: string;
}

async function keyList(repo: string, password: string): Promise<KeyRow[]> {
  const r = await strata(['key', 'list', '--repo', repo, '--json'], { password });
  expect(r.code, r.stderr).toBe(0);
  const [line] = jsonLines(r.stdout) as unknown as KeyRow[][];
  return line!;
}

async function snapshotIds(repo: string, password: string): Promise<string[]> {
  const r = await strata(['snapshots', '--repo', repo, '--json'], { password });
  expect(r.code, r.stderr).toBe(0);
  const [line] = jsonLines(r.stdout) as unknown as { id: string }[][];
  return line!.map((s) => s.id);
}

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('strata-passwords-'));
  base = join(work, 'base');
  src = join(work, 'src');
  await mkdir(join(src, 'docs'), { recursive: true });
  await writeFile(join(src, 'docs', 'a.txt'), 'alpha\n');
  await writeFile(join(src, 'b.bin'), Buffer.alloc(3000, 7));
  await initRepo(base);
  const r = await strata(['backup', '--repo', base, src]);
  if (r.code !== 0) throw new Error(`backup failed: ${r.stderr}`);
});

afterAll(async () => {
  await cleanup();
});

describe('a wrong password', () => {
  const cases: [string, (repo: string) => Promise<string[]>][] = [
    ['backup', async (repo) => ['backup', '--repo', repo, src]],
    ['snapshots', async (repo) => ['snapshots', '--repo', repo]],
    [
      'restore',
      async (repo) => ['restore', 'latest', '--repo', repo, '--target', join(work, 'never-made')],
    ],
    [
      'key add',
      async (repo) => [
        'key',
        'add',
        '--repo',
        repo,
        '--new-password-file',
        await pwFile('new-for-wrong.txt', 'brand-new-password\n'),
        '--kdf-log-n',
        '10',
      ],
    ],
  ];

  it.each(cases)('%s: exits 12, says so, and leaves the repository untouched', async (_, args) => {
    const repo = await copyRepo();
    const before = await fingerprint(repo);
    const r = await strata(await args(repo), { password: WRONG });
    expectWrongPassword(r);
    expect(r.stdout).toBe('');
    expect(await fingerprint(repo)).toEqual(before);
    // restore must not even create its target before the repository opened.
    await expect(stat(join(work, 'never-made'))).rejects.toThrow();
  });
});

describe('password sources', () => {
  it('--password-file: the trailing newline (LF or CRLF) is stripped', async () => {
    const noEnv = { STRATA_PASSWORD: undefined };
    for (const content of [`${TEST_PASSWORD}\n`, `${TEST_PASSWORD}\r\n`, TEST_PASSWORD]) {
      const file = await pwFile('pw.txt', content);
      const r = await strata(['snapshots', '--repo', base, '--password-file', file], {
        env: noEnv,
      });
      expect(r.code, `${JSON.stringify(content)}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('1 snapshot(s)');
    }
    const wrong = await pwFile('wrong.txt', `${WRONG}\n`);
    const before = await fingerprint(base);
    expectWrongPassword(
      await strata(['snapshots', '--repo', base, '--password-file', wrong], { env: noEnv }),
    );
    expect(await fingerprint(base)).toEqual(before);
  });

  it('--password-file wins over STRATA_PASSWORD', async () => {
    const wrong = await pwFile('wrong2.txt', `${WRONG}\n`);
    // The environment holds the right password, the file the wrong one: the file is used.
    expectWrongPassword(
      await strata(['snapshots', '--repo', base, '--password-file', wrong], {
        password: TEST_PASSWORD,
      }),
    );
    const right = await pwFile('right2.txt', `${TEST_PASSWORD}\n`);
    const ok = await strata(['snapshots', '--repo', base, '--password-file', right], {
      password: WRONG,
    });
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('an unreadable --password-file is an error (exit 1) that names the file', async () => {
    const missing = join(work, 'no-such-password-file');
    const r = await strata(['snapshots', '--repo', base, '--password-file', missing], {
      env: { STRATA_PASSWORD: undefined },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(missing);
  });

  it('--password-command: its output (trailing newline stripped) is the password', async () => {
    const noEnv = { STRATA_PASSWORD: undefined };
    const ok = await strata(
      ['snapshots', '--repo', base, '--password-command', `echo ${TEST_PASSWORD}`],
      { env: noEnv },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('1 snapshot(s)');

    const before = await fingerprint(base);
    expectWrongPassword(
      await strata(['snapshots', '--repo', base, '--password-command', `printf '${WRONG}\\n'`], {
        env: noEnv,
      }),
    );
    expect(await fingerprint(base)).toEqual(before);

    const failing = await strata(['snapshots', '--repo', base, '--password-command', 'exit 3'], {
      env: noEnv,
    });
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/password command failed/);
  });

  it('STRATA_PASSWORD is used when nothing else is given', async () => {
    const ok = await strata(['snapshots', '--repo', base], { password: TEST_PASSWORD });
    expect(ok.code, ok.stderr).toBe(0);
    expectWrongPassword(await strata(['snapshots', '--repo', base], { password: WRONG }));
  });

  it('no password and no terminal: exit 1 with a message naming the options', async () => {
    for (const env of [{ STRATA_PASSWORD: undefined }, { STRATA_PASSWORD: '' }]) {
      const before = await fingerprint(base);
      const r = await strata(['snapshots', '--repo', base], { env });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('--password-file');
      expect(r.stderr).toContain('--password-command');
      expect(r.stderr).toContain('STRATA_PASSWORD');
      expect(await fingerprint(base)).toEqual(before);
    }
  });
});

describe('a missing repository', () => {
  const commands = (repo: string): string[][] => [
    ['snapshots', '--repo', repo],
    ['backup', '--repo', repo, src],
    ['restore', 'latest', '--repo', repo, '--target', join(work, 'never-made')],
    ['check', '--repo', repo],
    ['key', 'list', '--repo', repo],
  ];

  it('a path that does not exist: exit 10, and nothing is created there', async () => {
    const missing = join(work, 'no-such-repo');
    for (const args of commands(missing)) {
      const r = await strata(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(10);
      expect(r.stderr).toContain(missing);
      await expect(stat(missing)).rejects.toThrow();
    }
    await expect(stat(join(work, 'never-made'))).rejects.toThrow();
  });

  it('an empty folder: exit 10, and the folder stays empty', async () => {
    const empty = join(work, 'empty-folder');
    await mkdir(empty);
    for (const args of commands(empty)) {
      const r = await strata(args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(10);
      expect(r.stderr).toMatch(/no (Strata )?repository/i);
      expect(await readdir(empty)).toEqual([]);
    }
  });
});

describe('keys', () => {
  it('key add, list, remove: both passwords open it until one is removed', async () => {
    const repo = await copyRepo();
    const pwA = TEST_PASSWORD;
    const pwB = 'second-password-for-B';
    const [original] = await keyList(repo, pwA);
    expect(original!.current).toBe(true);

    const added = await strata(
      [
        'key',
        'add',
        '--repo',
        repo,
        '--json',
        '--kdf-log-n',
        '10',
        '--new-password-file',
        await pwFile('pwB.txt', `${pwB}\n`),
      ],
      { password: pwA },
    );
    expect(added.code, added.stderr).toBe(0);
    const keyB = (jsonLines(added.stdout)[0] as { id: string }).id;
    expect(keyB).toMatch(/^[0-9a-f]{32}$/);
    const keyA = original!.id;
    expect(keyB).not.toBe(keyA);

    const snaps = await snapshotIds(repo, pwA);
    expect(await snapshotIds(repo, pwB)).toEqual(snaps);

    const asA = await keyList(repo, pwA);
    expect(asA.map((k) => k.id).sort()).toEqual([keyA, keyB].sort());
    expect(asA.filter((k) => k.current).map((k) => k.id)).toEqual([keyA]);
    const asB = await keyList(repo, pwB);
    expect(asB.filter((k) => k.current).map((k) => k.id)).toEqual([keyB]);

    // The key you opened the repository with cannot be removed.
    let before = await fingerprint(repo);
    const inUse = await strata(['key', 'remove', keyB, '--repo', repo], { password: pwB });
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/refusing to remove the key you opened/);
    expect(await fingerprint(repo)).toEqual(before);

    // An unknown id is an error, not a silent success.
    const unknown = await strata(['key', 'remove', 'ffffffffffff', '--repo', repo], {
      password: pwA,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no key match/);
    expect(await fingerprint(repo)).toEqual(before);

    // Removing the other one works (by a prefix), and its password no longer opens anything.
    const removed = await strata(['key', 'remove', keyB.slice(0, 10), '--repo', repo], {
      password: pwA,
    });
    expect(removed.code, removed.stderr).toBe(0);
    const gone = await strata(['snapshots', '--repo', repo], { password: pwB });
    expect(gone.code).toBe(12);
    expect(gone.stderr).toMatch(/wrong password/i);
    expect((await keyList(repo, pwA)).map((k) => k.id)).toEqual([keyA]);

    // The last key can never be removed.
    before = await fingerprint(repo);
    const last = await strata(['key', 'remove', keyA, '--repo', repo], { password: pwA });
    expect(last.code).toBe(1);
    expect(last.stderr).toMatch(/refusing to remove the last key/);
    expect(await fingerprint(repo)).toEqual(before);
    expect(await snapshotIds(repo, pwA)).toEqual(snaps);
  });

  it('key passwd: the old password stops working, the new one opens the same data', async () => {
    const repo = await copyRepo();
    const [old] = await keyList(repo, TEST_PASSWORD);
    const snaps = await snapshotIds(repo, TEST_PASSWORD);
    const pwC = 'changed-password-C';
    const r = await strata(
      [
        'key',
        'passwd',
        '--repo',
        repo,
        '--kdf-log-n',
        '10',
        '--new-password-file',
        await pwFile('pwC.txt', `${pwC}\n`),
      ],
      { password: TEST_PASSWORD },
    );
    expect(r.code, r.stderr).toBe(0);
    const old2 = await strata(['snapshots', '--repo', repo], { password: TEST_PASSWORD });
    expect(old2.code).toBe(12);
    expect(old2.stderr).toMatch(/wrong password/i);
    expect(await snapshotIds(repo, pwC)).toEqual(snaps);
    const keys = await keyList(repo, pwC);
    expect(keys).toHaveLength(1);
    expect(keys[0]!.current).toBe(true);
    expect(keys[0]!.id).not.toBe(old!.id);
    // The data is still readable with the new password.
    const target = join(work, 'after-passwd');
    const restored = await strata(['restore', 'latest', '--repo', repo, '--target', target], {
      password: pwC,
    });
    expect(restored.code, restored.stderr).toBe(0);
    expect(await readFile(join(target, src, 'docs', 'a.txt'), 'utf8')).toBe('alpha\n');
  });
});

describe('a newer format', () => {
  it('a config with version 2 is refused with a clear message, and nothing is written', async () => {
    const dir = await copyRepo();
    const repo = await openRepository(dir);
    const config = { ...repo.config, version: 2 };
    await writeFile(
      join(dir, 'config'),
      seal(repo.key.encryption, Buffer.from(JSON.stringify(config)), CONFIG_AAD),
    );
    const before = await fingerprint(dir);
    for (const args of [
      ['snapshots', '--repo', dir],
      ['backup', '--repo', dir, src],
    ]) {
      const r = await strata(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/version 2/);
      expect(r.stderr).toMatch(/upgrade/i);
      expect(await fingerprint(dir)).toEqual(before);
    }
  });

  it('a key file with "version": 2 is refused with a clear message', async () => {
    const dir = await copyRepo();
    const [name] = await readdir(join(dir, 'keys'));
    const file = join(dir, 'keys', name!);
    const key = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(key.version).toBe(1);
    await writeFile(file, JSON.stringify({ ...key, version: 2 }));
    const before = await fingerprint(dir);
    const r = await strata(['snapshots', '--repo', dir]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/version 2/);
    expect(r.stderr).toMatch(/upgrade/i);
    expect(await fingerprint(dir)).toEqual(before);
  });
});
