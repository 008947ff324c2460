/**
 * Window defaults in one function (ARCHITECTURE.md section 3): sandboxed, isolated, no Node in
 * the renderer, a strict CSP on every response, no new windows, no navigation away; http(s)
 * links open in the user's browser instead.
 */
import { shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';

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

export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 740,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Strata',
    webPreferences: {
      preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

const isHttp = (url: string) => /^https?:\/\//i.test(url) && URL.canParse(url);

/** Denies new windows and navigation; sends http(s) links to the browser. */
export function harden(contents: WebContents, appUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttp(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url === appUrl) return; // a reload
    event.preventDefault();
    if (isHttp(url)) void shell.openExternal(url);
  });
  contents.session.webRequest.onHeadersReceived((details, done) => {
    done({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
    });
  });
}
