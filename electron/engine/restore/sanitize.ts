/**
 * Names from a snapshot are untrusted input: a tampered or hostile snapshot may hold `..`,
 * absolute names, separators inside names or names Windows reserves. Such an entry is never
 * restored (restic's early path-traversal bug is the lesson); it is reported instead.
 */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
const WINDOWS_BAD_CHARS = /[<>:"|?*\\\x00-\x1f]/;

/** Why `name` cannot be restored on `platform`, or undefined when it is safe. */
export function unsafeNameReason(
  name: string,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  if (name === '') return 'empty name';
  if (name === '.' || name === '..') return `"${name}" is not a name`;
  if (name.includes('/')) return 'name contains a path separator';
  if (name.includes('\0')) return 'name contains a NUL byte';
  if (Buffer.byteLength(name) > 255) return 'name longer than 255 bytes';
  if (platform === 'win32') {
    if (WINDOWS_BAD_CHARS.test(name)) return 'name contains a character Windows forbids';
    if (WINDOWS_RESERVED.test(name)) return 'name is reserved on Windows';
    if (/[. ]$/.test(name)) return 'name ends with a dot or space, which Windows drops';
  }
  return undefined;
}

// C0, DEL and C1 (U+0080-U+009F: U+009B is CSI, which terminals honouring C1 act on).
// eslint-disable-next-line no-control-regex -- control characters are exactly what we escape
const CONTROL = /[\x00-\x1f\x7f-\x9f]/g;

/** Shows a name safely in a terminal: control characters escaped. */
export function printableName(name: string): string {
  return name.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
