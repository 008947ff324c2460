/**
 * Window defaults in one function (ARCHITECTURE.md section 3): sandboxed, isolated, no Node in
 * the renderer, a strict CSP on every response, no new windows, no navigation away; http(s)
 * links open in the user's browser instead.
 */
import { shell, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { CSP } from './csp';

export { CSP } from './csp';

/** The options every Strata window is built with (the security ones are the point). */
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
