/**
 * restic's exit codes, so scripts written for restic read ours the same way.
 */
import { isStrataError } from '../../shared/errors';

export const EXIT = {
  ok: 0,
  fatal: 1,
  incomplete: 3,
  repoMissing: 10,
  lockFailed: 11,
  wrongPassword: 12,
  interrupted: 130,
} as const;

export function exitCodeFor(err: unknown): number {
  if (!isStrataError(err)) return EXIT.fatal;
  switch (err.code) {
    case 'REPO_NOT_FOUND':
      return EXIT.repoMissing;
    case 'REPO_LOCKED':
      return EXIT.lockFailed;
    case 'WRONG_PASSWORD':
      return EXIT.wrongPassword;
    case 'INTERRUPTED':
      return EXIT.interrupted;
    default:
      return EXIT.fatal;
  }
}
