import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STRATA_VERSION } from '../../shared/version';

describe('version', () => {
  it('shared/version.ts matches package.json (bin/strata.js answers --version from the latter)', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(STRATA_VERSION).toBe(pkg.version);
  });
});
