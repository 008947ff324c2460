/**
 * Maps Node filesystem errors (errno codes) to StrataErrors with stable codes and messages that
 * say what to do. Shared by the local backend, backup (reading sources) and restore (writing
 * targets); callers that know more (e.g. "the repository root is gone") check first and only
 * hand the rest to fsErrorToStrata.
 */
import { StrataError } from '../../../shared/errors';

/** The errno code (e.g. 'ENOENT') of a Node system error, or undefined for anything else. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);
/** The drive or share stopped answering: unplugged, network down, stale NFS handle, dying disk. */
const UNAVAILABLE = new Set([
  'EIO',
  'ENOTCONN',
  'ESTALE',
  'ETIMEDOUT',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ENETDOWN',
  'ENETUNREACH',
  'ENETRESET',
  'ECONNABORTED',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENXIO',
  'ENODEV',
  'ENOMEDIUM',
  'EREMOTEIO',
]);

/**
 * Turns a failed filesystem call into a StrataError, keeping the original error as `cause`.
 * `action` is a verb phrase ("read", "write", "delete") and `path` the file it was applied to;
 * both go into the message. A StrataError is returned unchanged.
 */
export function fsErrorToStrata(err: unknown, action: string, path: string): StrataError {
  if (err instanceof StrataError) return err;
  const code = errnoCode(err);
  const what = `cannot ${action} ${path}`;
  const opts = { cause: err };
  if (code === 'ENOENT') return new StrataError('NOT_FOUND', `${what}: it does not exist`, opts);
  if (code === 'EEXIST')
    return new StrataError('ALREADY_EXISTS', `${what}: it already exists`, opts);
  if (code !== undefined && NO_SPACE.has(code)) {
    const why = code === 'EDQUOT' ? 'your disk quota is used up' : 'the drive is full';
    return new StrataError('NO_SPACE', `${what}: ${why}; free some space and try again`, opts);
  }
  if (code !== undefined && PERMISSION.has(code)) {
    const why =
      code === 'EROFS'
        ? 'the drive is mounted read-only; remount it writable'
        : 'permission denied; check the permissions of the folder or run as a user who may access it';
    return new StrataError('PERMISSION_DENIED', `${what}: ${why}`, opts);
  }
  if (code !== undefined && UNAVAILABLE.has(code)) {
    return new StrataError(
      'BACKEND_UNAVAILABLE',
      `${what}: the drive or network share is not responding (${code}); check that it is connected and try again`,
      opts,
    );
  }
  if (code === 'ENOTDIR') {
    return new StrataError('IO_ERROR', `${what}: part of the path is a file, not a folder`, opts);
  }
  if (code === 'EISDIR') {
    return new StrataError('IO_ERROR', `${what}: it is a folder, not a file`, opts);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new StrataError('IO_ERROR', `${what}: ${detail}`, opts);
}
