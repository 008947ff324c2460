/**
 * Derives the password's key before the CLI loads, when it can (bin/strata.js calls this first).
 *
 * Shaped by memory: scrypt takes 32 MiB for ~0.1 s, and that lands on top of whatever the
 * process holds at the time. Run after the CLI and the engine have loaded (~23 MiB of code and
 * heap), it set the no-change backup's peak; run here, from a bare Node (~40 MiB), it stays
 * below the peak the rest of the command reaches. So this module imports only the KDF and the
 * AEAD, never the engine.
 *
 * Best effort and narrow: a local --repo (or STRATA_REPOSITORY) and the password in
 * STRATA_PASSWORD (no --password-file or --password-command, which the CLI would prefer).
 * The key file the password opens is found by opening it, as keys.ts does; its derived key is
 * kept for keys.ts (kdf.ts keepDerived), used once, and never written anywhere. Anything that
 * fails here fails again, with its proper message, where the CLI opens the repository.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { open } from '../engine/crypto/aead';
import { deriveKey, keepDerived, type KdfParams } from '../engine/crypto/kdf';

/** More key files than this: leave them to the CLI (each costs a full scrypt here). */
const MAX_TRIES = 4;
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

/** Derives (and keeps) the key of the repository's key file that STRATA_PASSWORD opens. */
export async function deriveEarly(args: readonly string[]): Promise<void> {
  const password = process.env.STRATA_PASSWORD;
  const repo = repoOf(args);
  if (!password || !repo || args[0] === 'init') return;
  try {
    const dir = join(repo, 'keys');
    const names = (await readdir(dir)).filter((n) => NAME_RE.test(n));
    if (names.length > MAX_TRIES) return;
    for (const name of names) {
      const file = JSON.parse(await readFile(join(dir, name), 'utf8')) as {
        kdf: KdfParams;
        payload: string;
      };
      const key = await deriveKey(password, file.kdf);
      try {
        open(key, Buffer.from(file.payload, 'base64'), `strata:key:${name}`).fill(0);
      } catch {
        continue; // not this key file
      }
      keepDerived(password, file.kdf, key);
      return;
    }
  } catch {
    // Left to the CLI, which reports it properly.
  }
}
