/**
 * The recovery key: a second key file made when a repository is created, holding the same master
 * key under 200 random bits written as Crockford base32 in groups of five. It is handed back once
 * in jobs.create's result for the user to save or print; Strata keeps it nowhere (not in the
 * catalog, the logs or the keychain). Typed as the password, it opens the repository.
 */
import { randomBytes } from 'node:crypto';
import { addKey } from '../../engine/repository/keys';
import { whoAmI, type Repository } from '../../engine/repository/repository';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 25 random bytes as 40 base32 characters: "XXXXX-XXXXX-...". */
export function newRecoveryKey(): string {
  const bytes = randomBytes(25);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{5}/g)!.join('-');
}

/** Adds a recovery key to `repo` (a key file like any password's); returns the key. */
export async function addRecoveryKey(repo: Repository, kdfLogN?: number): Promise<string> {
  const key = newRecoveryKey();
  const who = whoAmI();
  await addKey(
    repo.backend,
    repo.key,
    key,
    { ...who, username: `${who.username} (recovery key)` },
    kdfLogN,
  );
  return key;
}
