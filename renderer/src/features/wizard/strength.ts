/**
 * A password strength estimate for the meter: rough entropy from length and character classes,
 * with penalties for repeats, runs ("abcd", "4321", "aaaa") and common words. It guides, it does
 * not forbid: the backup is as safe as the password, and the words say so.
 */
export interface Strength {
  /** 0 (very weak) to 4 (very strong). */
  readonly score: 0 | 1 | 2 | 3 | 4;
  readonly label: string;
  readonly hint: string;
}

const COMMON = ['password', '123456', 'qwerty', 'letmein', 'admin', 'welcome', 'strata', 'backup'];

/**
 * The characters that count: each common word counts as one, and a run of three or more
 * characters stepping by 0 or 1 either way ("aaa", "abc", "321") counts as its first two.
 */
function effectiveLength(password: string): number {
  let text = password.toLowerCase();
  for (const word of COMMON) text = text.split(word).join('\u0000');
  let length = 0;
  let lastStep: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const step = i > 0 ? text.charCodeAt(i) - text.charCodeAt(i - 1) : undefined;
    const inRun = step !== undefined && Math.abs(step) <= 1 && step === lastStep;
    if (!inRun) length++;
    lastStep = step;
  }
  return length;
}

/** How hard `password` is to guess, as a score, a label and a hint for the meter. */
export function estimateStrength(password: string): Strength {
  if (password.length === 0) return { score: 0, label: 'Empty', hint: 'Choose a password.' };
  let pool = 0;
  if (/[a-z]/.test(password)) pool += 26;
  if (/[A-Z]/.test(password)) pool += 26;
  if (/[0-9]/.test(password)) pool += 10;
  if (/[^A-Za-z0-9]/.test(password)) pool += 33;
  const unique = new Set(password).size;
  const bits = Math.log2(Math.max(pool, 2)) * Math.min(effectiveLength(password), unique * 2);
  if (bits < 28)
    return { score: 0, label: 'Very weak', hint: 'Anyone with the drive could guess it quickly.' };
  if (bits < 40) return { score: 1, label: 'Weak', hint: 'Add words or characters.' };
  if (bits < 60) return { score: 2, label: 'Fair', hint: 'A few more words make it strong.' };
  if (bits < 80) return { score: 3, label: 'Strong', hint: 'Good.' };
  return { score: 4, label: 'Very strong', hint: 'Excellent.' };
}
