import { describe, expect, it } from 'vitest';
import type { DestinationUsage } from '../../../shared/contract';
import { sizeText } from '../../../renderer/src/features/dashboard/size-text';

const MiB = 1024 * 1024;
const usage = (o: Partial<DestinationUsage>): DestinationUsage => ({
  destinationId: 'usb',
  snapshots: 14,
  newestBytes: 1200 * MiB,
  allBytes: 14 * 1200 * MiB,
  storedBytes: 900 * MiB,
  measured: '2026-11-22T01:00:00.000Z',
  ...o,
});

describe('sizeText', () => {
  it('says no backup yet before a destination was measured or holds anything', () => {
    expect(sizeText([])).toBe('no backup yet');
    expect(sizeText([usage({ storedBytes: null })])).toBe('no backup yet');
    expect(sizeText([usage({ snapshots: 0, allBytes: 0, newestBytes: 0 })])).toBe('no backup yet');
  });

  it('gives the newest backup, what all versions take and the saving against plain copies', () => {
    // 900 MiB stored for 14 x 1200 MiB = 16800 MiB: 94.6% less, floored to 94.
    expect(sizeText([usage({})])).toBe(
      '1.2 GB in the newest backup; 14 versions take 900 MB here (94% less than 16 GB of plain copies)',
    );
  });

  it('claims no saving where there is none (encryption overhead, one small version)', () => {
    expect(
      sizeText([usage({ snapshots: 1, newestBytes: 100, allBytes: 100, storedBytes: 2000 })]),
    ).toBe('100 bytes in the newest backup; 1 version takes 2.0 KB here');
  });

  it('speaks for the first measured destination', () => {
    const text = sizeText([
      usage({ destinationId: 'nas', storedBytes: null }),
      usage({ storedBytes: 1200 * MiB }),
    ]);
    expect(text).toContain('take 1.2 GB here');
  });
});
