/**
 * Errors from the bridge, turned into words for people: what happened and what to do next.
 *
 * The bridge rethrows main's errors with their stable code (ApiError). We read the code by
 * shape, not by class, because the bridge's copy of the class may not be ours.
 */
import type { ErrorCode } from '../../../shared/errors';

export interface ShownError {
  readonly code?: ErrorCode;
  /** What went wrong, from main: it names the file or folder at fault. */
  readonly message: string;
  /** What the user can do about it. */
  readonly action?: string;
  /** The argument at fault, e.g. "job.sources", when main says. */
  readonly field?: string;
}

const ACTIONS: Partial<Record<ErrorCode, string>> = {
  WRONG_PASSWORD:
    'Type the password again. It is the one chosen when this backup was created; letters are case-sensitive.',
  REPO_NOT_FOUND:
    'Check that the drive is connected and the folder is where it was, or choose the folder again.',
  REPO_LOCKED:
    'Another backup or cleanup is using this destination. Try again when it has finished.',
  BACKEND_UNAVAILABLE:
    'Connect the drive or network share, then try again. Your existing backups are not affected.',
  NO_SPACE: 'Free some space on the destination, or choose a larger one.',
  PERMISSION_DENIED: 'Choose a folder you can write to, or change its permissions.',
  NOT_FOUND: 'Check the path: it may have been moved or deleted.',
  KEYCHAIN_UNAVAILABLE:
    'Strata will ask for the password when it needs it. Unlock or set up the system keychain to save it.',
  SECRET_MISSING: 'Enter the backup password so Strata can open the destination.',
  REPO_CORRUPT:
    'Run a check of this destination from the command line (strata check) and keep the drive as it is.',
};

/** Any thrown value as something to show. */
export function toShownError(err: unknown): ShownError {
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; field?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(err);
    const code = typeof e.code === 'string' ? (e.code as ErrorCode) : undefined;
    const shown: ShownError = { message: capitalise(message) };
    return {
      ...shown,
      ...(code ? { code } : {}),
      ...(code && ACTIONS[code] ? { action: ACTIONS[code] } : {}),
      ...(typeof e.field === 'string' ? { field: e.field } : {}),
    };
  }
  return { message: capitalise(String(err)) };
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}
