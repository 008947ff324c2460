/**
 * The password meter. Bits = log2(pool of character classes) x the characters that count
 * (common words count as one, runs like "abc" or "aaa" as two, at most twice the distinct
 * characters); the scores' bounds are 28, 40, 60 and 80 bits. Each case is worked out below.
 */
import { describe, expect, it } from 'vitest';
import { estimateStrength } from '../../../renderer/src/features/wizard/strength';

describe('estimateStrength', () => {
  it.each([
    // empty: its own label
    ['', 0, 'Empty'],
    // pool 26 (4.70 bits); "abcdefgh" is one run: 2 characters count -> 9.4 bits
    ['abcdefgh', 0, 'Very weak'],
    // "aaaa…" is a run as well -> 9.4 bits
    ['aaaaaaaaaaaa', 0, 'Very weak'],
    // "password" and "123456" count as one character each, "78" as two: pool 36 (5.17) x 4
    ['password12345678', 0, 'Very weak'],
    // pool 26, 7 characters, no runs ("ck" steps by 8): 4.70 x 7 = 32.9
    ['kxmwqzp', 1, 'Weak'],
    // pool 26, 10 characters without runs: 47.0
    ['kxmwqzpfjv', 2, 'Fair'],
    // pool 95 (6.57 bits) x 11 characters ("r" twice, no runs): 72.3
    ['Tr0ub4dor&3', 3, 'Strong'],
    // pool 59 (5.88) x 28 characters (13 distinct, so the cap is 26): 152.9
    ['correct horse battery staple', 4, 'Very strong'],
  ])('%j scores %i (%s)', (password, score, label) => {
    const s = estimateStrength(password);
    expect(s.score).toBe(score);
    expect(s.label).toBe(label);
    expect(s.hint.length).toBeGreaterThan(0);
  });

  it('does not reward a common word padded with more of the same', () => {
    expect(estimateStrength('backupbackupbackup').score).toBe(0);
    expect(estimateStrength('Qwerty123456!').score).toBeLessThanOrEqual(1);
  });
});
