import { describe, expect, it } from 'vitest';
import { printableName, unsafeNameReason } from '../../../../electron/engine/restore/sanitize';

const LONG_ASCII = 'a'.repeat(256);
/** 128 two-byte characters: 128 characters but 256 bytes. */
const LONG_UTF8 = 'é'.repeat(128);

describe('unsafeNameReason on both platforms', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    it(`${platform}: rejects names that are not single path components`, () => {
      expect(unsafeNameReason('', platform)).toBeDefined();
      expect(unsafeNameReason('.', platform)).toBeDefined();
      expect(unsafeNameReason('..', platform)).toBeDefined();
      expect(unsafeNameReason('/', platform)).toBeDefined();
      expect(unsafeNameReason('a/b', platform)).toBeDefined();
      expect(unsafeNameReason('../etc', platform)).toBeDefined();
      expect(unsafeNameReason('/etc', platform)).toBeDefined();
      expect(unsafeNameReason('a\0b', platform)).toBeDefined();
      expect(unsafeNameReason('\0', platform)).toBeDefined();
    });

    it(`${platform}: rejects names over 255 bytes, counting bytes not characters`, () => {
      expect(unsafeNameReason('a'.repeat(255), platform)).toBeUndefined();
      expect(unsafeNameReason(LONG_ASCII, platform)).toMatch(/255 bytes/);
      expect(LONG_UTF8).toHaveLength(128);
      expect(unsafeNameReason(LONG_UTF8, platform)).toMatch(/255 bytes/);
    });

    it(`${platform}: accepts ordinary names`, () => {
      const names = ['a', 'file.txt', '.hidden', '..x', 'naïve café', '日本語', 'with space'];
      // Windows drops trailing dots, so these are only ordinary elsewhere.
      if (platform !== 'win32') names.push('...', 'x..', '.x.');
      for (const name of names) {
        expect(unsafeNameReason(name, platform), name).toBeUndefined();
      }
    });
  }
});

describe('unsafeNameReason on POSIX', () => {
  it('accepts what only Windows forbids', () => {
    for (const name of ['CON', 'nul.txt', 'COM1', 'a.', 'a ', 'a\\b', 'a:b', 'x?', 'tab\there']) {
      expect(unsafeNameReason(name, 'linux'), JSON.stringify(name)).toBeUndefined();
    }
  });
});

describe('unsafeNameReason on Windows', () => {
  const win = (name: string) => unsafeNameReason(name, 'win32');

  it.each([
    'CON',
    'con',
    'Con',
    'PRN',
    'AUX',
    'NUL',
    'nul',
    'nul.txt',
    'NUL.tar.gz',
    'COM1',
    'com9',
    'COM0',
    'LPT1',
    'lpt9.log',
    'COM¹',
    'LPT³',
  ])('rejects the reserved name %s', (name) => {
    expect(win(name)).toMatch(/reserved/);
  });

  it.each(['CONSOLE', 'con_', 'aux1', 'COM10', 'LPT', 'nulx.txt', 'xnul', 'my.con'])(
    'accepts %s, which only looks reserved',
    (name) => {
      expect(win(name)).toBeUndefined();
    },
  );

  it.each(['a.', 'a ', 'file.txt.', 'name  ', 'x. ', '...', 'x..'])(
    'rejects %j: Windows drops a trailing dot or space',
    (name) => {
      expect(win(name)).toMatch(/dot or space/);
    },
  );

  it.each(['a<b', 'a>b', 'a:b', 'a"b', 'a|b', 'a?b', 'a*b', 'a\\b', 'C:', 'file:stream'])(
    'rejects %j: a character Windows forbids',
    (name) => {
      expect(win(name)).toMatch(/character Windows forbids/);
    },
  );

  it('rejects every control character', () => {
    for (let c = 1; c < 0x20; c++) {
      const name = `a${String.fromCharCode(c)}b`;
      expect(win(name), `\\x${c.toString(16)}`).toBeDefined();
    }
  });
});

describe('printableName', () => {
  it('leaves ordinary names alone', () => {
    for (const name of ['file.txt', 'naïve café', '日本語', 'a b', 'a\\b', '~`!@#$%^&*()']) {
      expect(printableName(name)).toBe(name);
    }
  });

  it('escapes C0 control characters and DEL as \\xNN', () => {
    expect(printableName('a\nb')).toBe('a\\x0ab');
    expect(printableName('\r\t')).toBe('\\x0d\\x09');
    expect(printableName('\0')).toBe('\\x00');
    expect(printableName('x\x7f')).toBe('x\\x7f');
    expect(printableName('\x1b[31mred\x1b[0m')).toBe('\\x1b[31mred\\x1b[0m');
    for (let c = 0; c < 0x20; c++) {
      expect(printableName(String.fromCharCode(c))).toBe(`\\x${c.toString(16).padStart(2, '0')}`);
    }
  });

  it('escapes C1 control characters too (U+009B is a one-character CSI)', () => {
    expect(printableName('\u009b31mred')).toBe('\\x9b31mred');
    for (let c = 0x80; c < 0xa0; c++) {
      expect(printableName(String.fromCharCode(c))).toBe(`\\x${c.toString(16)}`);
    }
  });

  it('output never holds a control character', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c);
    // eslint-disable-next-line no-control-regex -- looking for exactly these
    expect(printableName(all)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });
});
