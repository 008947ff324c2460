/** A destination check in words: what the folder means for the backup, and whether to go on. */
import type { DestinationCheck } from '../../../../shared/contract';
import { formatBytes } from '../../components/format';

/** What a check means for the user, and whether they may go on. */
export function describeCheck(c: DestinationCheck): { text: string; ok: boolean } {
  const free = c.freeBytes !== null ? ` ${formatBytes(c.freeBytes)} free.` : '';
  if (c.exists && !c.isFolder) return { text: 'This is a file, not a folder.', ok: false };
  if (!c.writable)
    return c.exists
      ? { text: 'Strata cannot write to this folder. Choose another one.', ok: false }
      : {
          text: 'This folder does not exist and cannot be created there: is the drive connected? Check the path or choose another folder.',
          ok: false,
        };
  if (c.repository)
    return {
      text: `This folder already holds a Strata backup. Enter its password next to add to it.${free}`,
      ok: true,
    };
  if (!c.exists) return { text: `Strata will create this folder.${free}`, ok: true };
  if (!c.empty)
    return {
      text: `This folder is not empty. Strata keeps its backup in its own files beside the others.${free}`,
      ok: true,
    };
  return { text: `An empty folder: ready.${free}`, ok: true };
}
