import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheBase } from '../../../electron/cli/cache-dir';

describe('defaultCacheBase', () => {
  const home = '/home/ann';
  it('prefers STRATA_CACHE_DIR', () => {
    expect(
      defaultCacheBase({ STRATA_CACHE_DIR: '/x/y', XDG_CACHE_HOME: '/c' }, 'linux', home),
    ).toBe('/x/y');
  });
  it('then XDG_CACHE_HOME (absolute only), then ~/.cache on Linux and other Unixes', () => {
    expect(defaultCacheBase({ XDG_CACHE_HOME: '/c' }, 'linux', home)).toBe('/c/strata');
    expect(defaultCacheBase({ XDG_CACHE_HOME: 'rel' }, 'linux', home)).toBe(
      '/home/ann/.cache/strata',
    );
    expect(defaultCacheBase({}, 'freebsd', home)).toBe('/home/ann/.cache/strata');
  });
  it("uses the platform's cache folder on macOS and Windows", () => {
    expect(defaultCacheBase({}, 'darwin', home)).toBe('/home/ann/Library/Caches/strata');
    expect(defaultCacheBase({ LOCALAPPDATA: '/L' }, 'win32', home)).toBe(
      join('/L', 'strata', 'cache'),
    );
  });
});
