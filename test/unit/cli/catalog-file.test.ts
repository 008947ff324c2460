import { describe, expect, it } from 'vitest';
import { defaultCatalogFile } from '../../../electron/cli/catalog-file';

describe('defaultCatalogFile', () => {
  const home = '/home/ann';
  it('uses XDG_DATA_HOME (absolute only), else ~/.local/share, on Linux', () => {
    expect(defaultCatalogFile({ XDG_DATA_HOME: '/d' }, 'linux', home)).toBe('/d/strata/catalog.db');
    expect(defaultCatalogFile({ XDG_DATA_HOME: 'rel' }, 'linux', home)).toBe(
      '/home/ann/.local/share/strata/catalog.db',
    );
    expect(defaultCatalogFile({}, 'linux', home)).toBe('/home/ann/.local/share/strata/catalog.db');
  });
  it("uses the platform's application data folder on macOS and Windows", () => {
    expect(defaultCatalogFile({}, 'darwin', home)).toBe(
      '/home/ann/Library/Application Support/Strata/catalog.db',
    );
    expect(defaultCatalogFile({ APPDATA: '/appdata' }, 'win32', home)).toMatch(
      /^[/\\]appdata[/\\]Strata[/\\]catalog\.db$/,
    );
  });
});
