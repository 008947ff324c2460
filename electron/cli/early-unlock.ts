/**
 * Starts deriving the password's key before the CLI loads (bin/strata.js calls this first).
 *
 * scrypt runs on libuv's threadpool for ~0.4 s; the CLI's modules (~75 ms) load on the main
 * thread meanwhile. The cost: scrypt's 32 MiB are now held while the CLI is loaded (~11 MiB
 * more peak for a no-change backup, for ~0.15 s less). Everything here before scrypt starts
 * is synchronous on purpose: the CLI's require() blocks the event loop, so a callback-based
 * read would start scrypt only after the CLI had loaded.
 *
 * Best effort and narrow: a local --repo (or STRATA_REPOSITORY) and the password in
 * STRATA_PASSWORD (no --password-file or --password-command, which the CLI would prefer), and
 * the first key file by name (a repository has one unless keys were added; keys.ts derives the
 * others itself). The key is derived whether or not the password is right: it is the scrypt
 * output keys.ts would compute, kept in memory for one use (kdf.ts keepDerived), never written.
 * Anything that fails here fails again, with its proper message, where the CLI opens the
 * repository.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deriveKey, keepDerived, type KdfParams } from '../engine/crypto/kdf';

const NAME_RE = /^[0-9a-f]{8,128}$/;

/** The repository folder the arguments name, if it is a local one. */
function repoOf(args: readonly string[]): string | undefined {
  let repo = process.env.STRATA_REPOSITORY;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (a === '--password-file' || a === '--password-command') return undefined;
    if (a.startsWith('--password-file=') || a.startsWith('--password-command=')) return undefined;
    if (a === '--repo' || a === '-r') repo = args[i + 1];
    else if (a.startsWith('--repo=')) repo = a.slice('--repo='.length);
  }
  if (!repo || (/^[a-z][a-z0-9+]*:/i.test(repo) && !/^[a-z]:[\\/]/i.test(repo))) return undefined;
  return resolve(repo);
}

/** Starts deriving the key of the repository's first key file with STRATA_PASSWORD. */
export function deriveEarly(args: readonly string[]): void {
  const password = process.env.STRATA_PASSWORD;
  const repo = repoOf(args);
  if (!password || !repo || args[0] === 'init') return;
  try {
    const dir = join(repo, 'keys');
    const [first] = readdirSync(dir)
      .filter((n) => NAME_RE.test(n))
      .sort();
    if (!first) return;
    const file = JSON.parse(readFileSync(join(dir, first), 'utf8')) as { kdf?: KdfParams };
    if (!file.kdf) return;
    keepDerived(password, file.kdf, deriveKey(password, file.kdf));
  } catch {
    // Left to the CLI, which reports it properly.
  }
}
