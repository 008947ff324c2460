/**
 * Smoke test of the catalog benchmark (not a benchmark: no timing is asserted). Runs the
 * harness on a tiny history and checks that it measures what it says and reports it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli';
import { parseCatalogArgs, runCatalogBench } from './catalog-bench';

describe('catalog benchmark harness (smoke)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir('strata-catalog-bench-'));
  });
  afterAll(() => cleanup());

  it('parses its flags', () => {
    const o = parseCatalogArgs(['--files', '20000', '--snapshots', '3', '--change', '0.05']);
    expect(o).toMatchObject({ files: 20_000, snapshots: 3, changeRate: 0.05, bigFolder: 10_000 });
    expect(() => parseCatalogArgs(['--files', 'many'])).toThrow(/positive/);
    expect(() => parseCatalogArgs(['--nope'])).toThrow(/unknown option/);
  });

  it('indexes a tiny history, times the three queries and reports them', async () => {
    const lines: string[] = [];
    const r = await runCatalogBench({
      ...parseCatalogArgs(['--files', '600', '--snapshots', '6', '--big', '150', '--runs', '1']),
      dir,
      log: (l) => void lines.push(l),
    });
    expect(r.timings).toHaveLength(4);
    for (const t of r.timings) expect(t.medianMs).toBeGreaterThanOrEqual(0);
    expect(r.timings[0]!.detail).toMatch(/^15\d entries$/);
    expect(r.timings[2]!.detail).toMatch(/^1 hit\(s\), in [1-6] snapshots$/);
    expect(r.rows.snapshots).toBe(6);
    expect(r.rows.versions).toBeGreaterThan(600);
    expect(r.rows.versions).toBeLessThan(r.naiveRows);
    expect(r.fileBytes).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'bench-results-catalog.json'))).toBe(true);
    expect(lines.some((l) => l.includes('target 100 ms'))).toBe(true);
  });
});
