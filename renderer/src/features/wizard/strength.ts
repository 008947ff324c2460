/**
 * A password strength estimate for the meter: rough entropy from length and character classes,
 * with penalties for repeats and common words. It guides, it does not forbid: the backup is as
 * safe as the password, and the words say so.
 */
export interface Strength {
  /** 0 (very weak) to 4 (very strong). */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly label: string;
  readonly hint: string;
}

const COMMON = ['password', '123456', 'qwerty', 'letmein', 'admin', 'welcome', 'strata', 'backup'];

export function estimateStrength(password: string): Strength {
  if (password.length === 0) return { score: 0, label: 'Empty', hint: 'Choose a password.' };
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^A-Za-z0-9]/.test(password)) pool += 33;
  const unique = new Set(password).size;
  let bits = Math.log2(Math.max(pool, 2)) * Math.min(password.length, unique * 2);
  const lower = password.toLowerCase();
  if (COMMON.some((w) => lower.includes(w))) bits -= 20;
  if (bits < 28)
    return { score: 0, label: 'Very weak', hint: 'Anyone with the drive could guess it quickly.' };
  if (bits < 40) return { score: 1, label: 'Weak', hint: 'Add words or characters.' };
  if (bits < 60) return { score: 2, label: 'Fair', hint: 'A few more words make it strong.' };
  if (bits < 80) return { score: 3, label: 'Strong', hint: 'Good.' };
  return { score: 4, label: 'Very strong', hint: 'Excellent.' };
}
