/**
 * Arguments in, errors out: every channel's arguments are parsed with its schema (INVALID_ARGUMENT
 * naming the field), and anything thrown becomes `{ code, message }` for the bridge. An error
 * without a code is reported as IO_ERROR with its message: the renderer must always get words.
 */
import type { z } from 'zod';
import { isStrataError, StrataError } from '../../../shared/errors';
import type { ApiErrorData } from '../../../shared/contract';

/** A StrataError that also names the argument at fault. */
export class FieldError extends StrataError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Parses `value` with `schema`, or throws INVALID_ARGUMENT naming the first field at fault. */
export function parseArgs<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw new FieldError(field, `${field || 'arguments'}: ${issue.message}${more}`);
}

/** Any thrown value as the plain data that crosses the bridge. */
export function toErrorData(err: unknown): ApiErrorData {
  if (err instanceof FieldError) return { code: err.code, message: err.message, field: err.field };
  if (isStrataError(err)) return { code: err.code, message: err.message };
  const e = err as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(err);
  if (e?.code === 'ENOSPC') return { code: 'NO_SPACE', message };
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return { code: 'PERMISSION_DENIED', message };
  if (e?.code === 'ENOENT') return { code: 'NOT_FOUND', message };
  return { code: 'IO_ERROR', message };
}
