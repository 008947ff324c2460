/**
 * The card's size line: how much the newest backup covers, and what all the versions take on
 * the destination against what plain copies of each would take (the saving deduplication and
 * compression give). With several destinations the first that has been measured speaks; each
 * holds the same versions.
 */
import type { DestinationUsage } from '../../../../shared/contract';
import { formatBytes, formatCount } from '../../components/format';

/** One sentence for the dashboard; "no backup yet" before the first sync. */
export function sizeText(usage: readonly DestinationUsage[]): string {
  const u = usage.find((x) => x.snapshots > 0 && x.storedBytes !== null);
  if (!u || u.storedBytes === null) return 'no backup yet';
  const versions = formatCount(u.snapshots, 'version', 'versions');
  const head = `${formatBytes(u.newestBytes)} in the newest backup; ${versions} ${u.snapshots === 1 ? 'takes' : 'take'} ${formatBytes(u.storedBytes)} here`;
  if (u.allBytes <= 0 || u.storedBytes >= u.allBytes) return head;
  const saved = Math.floor((1 - u.storedBytes / u.allBytes) * 100);
  return saved >= 1
    ? `${head} (${saved}% less than ${formatBytes(u.allBytes)} of plain copies)`
    : head;
}
