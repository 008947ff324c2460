/**
 * Typed errors with stable codes.
 *
 * The CLI maps codes to exit codes and the UI maps them to messages; the code is the contract,
 * the message is for people and says what to do.
 */
export const ERROR_CODES = [
  'WRONG_PASSWORD',
  'REPO_NOT_FOUND',
  'REPO_EXISTS',
  'REPO_VERSION_UNSUPPORTED',
  'REPO_CORRUPT',
  'REPO_LOCKED',
  'SESSION_EXPIRED',
  'BACKEND_UNAVAILABLE',
  'NO_SPACE',
  'PERMISSION_DENIED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_ARGUMENT',
  'SNAPSHOT_NOT_FOUND',
  'AMBIGUOUS_ID',
  'LAST_KEY',
  'KEY_IN_USE',
  'INTERRUPTED',
  'IO_ERROR',
  /** The OS keychain cannot be used (no D-Bus session or Secret Service, locked, no module). */
  'KEYCHAIN_UNAVAILABLE',
  /** A password or credential was needed and none was stored, chosen or entered. */
  'SECRET_MISSING',
  /** The services process ended unexpectedly and was restarted; the call did not complete. */
  'SERVICES_RESTARTED',
] as const;

/** One of the stable error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error that carries a stable code and a message that says what to do. */
export class StrataError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StrataError';
    this.code = code;
  }
}

/** True when `err` is a StrataError, optionally with the given code. */
export function isStrataError(err: unknown, code?: ErrorCode): err is StrataError {
  return err instanceof StrataError && (code === undefined || err.code === code);
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
