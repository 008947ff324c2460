/**
 * The Content-Security-Policy main adds to every response of the window (window.ts), apart so
 * tests can read it without loading Electron. renderer/index.html carries a meta policy as well:
 * the page is then protected whichever way it is loaded (file:// in the app, http in UI tests).
 */

/** The renderer loads only its own files; no eval, no remote code, no plugins. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
