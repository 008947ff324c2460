/**
 * What every channel shares: errors as plain data and the envelope a result travels in.
 *
 * Electron's ipcRenderer.invoke keeps only an Error's message when main throws, so main never
 * throws across the bridge: it answers `{ ok: false, error: { code, message } }` and the bridge
 * turns that back into a thrown ApiError, code intact, for the renderer to show where it happened.
 */
import { ERROR_CODES, type ErrorCode } from '../errors';

/** An error as it crosses the bridge. `field` names the argument at fault, when one is. */
export interface ApiErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  /** Dotted path of the invalid argument (INVALID_ARGUMENT), e.g. "job.sources". */
  readonly field?: string;
}

/** What main answers on every channel. */
export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorData };

/** The error the renderer catches: a code to branch on, a message to show. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;

  constructor(data: ApiErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    if (data.field !== undefined) this.field = data.field;
  }
}

/** True when `value` is a well-formed ApiErrorData (a known code and a message). */
export function isApiErrorData(value: unknown): value is ApiErrorData {
  const v = value as ApiErrorData;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.message === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code)
  );
}
