/**
 * The SecretStore port: where repository passwords and backend credentials live.
 *
 * Secrets live only behind this port (the OS keychain, the session's memory, or a password file
 * the user chose), never in the catalog, job JSON, logs or exports. Everything else names a
 * secret by its key, and a key maps to an account name that contains no secret, so account
 * names may appear in messages and logs while values never do.
 */
import { StrataError, assertNever } from '../../../shared/errors';

/** Which secret: a destination's repository password, or a named credential of its backend. */
export type SecretKey =
  | { readonly kind: 'repository-password'; readonly destinationId: string }
  | {
      readonly kind: 'backend-credential';
      readonly destinationId: string;
      /** What the credential is, e.g. "sftp-password" or "s3-secret-access-key". */
      readonly name: string;
    };

/** Whether a store can be used now, and if not, a reason a person can act on. */
export type Availability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** A place that keeps secrets by key. Implementations never put a value in a message. */
export interface SecretStore {
  /** Names the store in messages: "the OS keychain", "this session's memory", ... */
  readonly label: string;
  /** Whether the store can be used now; the reason says why not in words a user can act on. */
  available(): Promise<Availability>;
  /** The stored value, or undefined when there is none. */
  get(key: SecretKey): Promise<string | undefined>;
  /** Stores the value, replacing any earlier one. */
  set(key: SecretKey, value: string): Promise<void>;
  /** Removes the value; true when there was one. */
  delete(key: SecretKey): Promise<boolean>;
}

/** Destination ids and credential names: short, and free of the account separator "/". */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function checkPart(what: string, value: string): void {
  // The offending text is not echoed: a caller that mixed up arguments may have passed a secret.
  if (!ID_PATTERN.test(value)) {
    throw new StrataError(
      'INVALID_ARGUMENT',
      `a secret's ${what} must be 1 to 128 letters, digits, '.', '_', ':' or '-', starting with a letter or digit`,
    );
  }
}

/**
 * The keychain account name for a key: "repository-password/<destination>" or
 * "backend-credential/<destination>/<name>". It names the secret and never contains it.
 */
export function accountName(key: SecretKey): string {
  checkPart('destination id', key.destinationId);
  switch (key.kind) {
    case 'repository-password':
      return `repository-password/${key.destinationId}`;
    case 'backend-credential':
      checkPart('credential name', key.name);
      return `backend-credential/${key.destinationId}/${key.name}`;
    default:
      return assertNever(key);
  }
}

/** The secret in words for messages, e.g. `the repository password of destination "nas"`. */
export function describeSecret(key: SecretKey): string {
  switch (key.kind) {
    case 'repository-password':
      return `the repository password of destination "${key.destinationId}"`;
    case 'backend-credential':
      return `the credential "${key.name}" of destination "${key.destinationId}"`;
    default:
      return assertNever(key);
  }
}

/**
 * Replaces every occurrence of `secret` in `text`, for messages that quote another library's
 * error: none is known to echo a value, but a message must never carry one.
 */
export function redact(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  return text.split(secret).join('[redacted]');
}
