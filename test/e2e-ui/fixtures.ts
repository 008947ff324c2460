/**
 * Opens the built renderer in Chromium wired to a host: the page gets window.strata from the
 * preload's bridge builder (page-bridge.ts as an init script) over page.exposeBinding, and the
 * host's events are pushed into the page as main pushes them to the window.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { AppEvent, Channel } from '../../shared/contract';
import { BRIDGE_SCRIPT, RENDERER_DIR, SCREENS_DIR } from './paths';
import { serveFolder } from './static-server';
import type { UiHost } from './ui-host';

export interface OpenedApp {
  readonly page: Page;
  /** Stops pushing events and the static server (the host is closed by its owner). */
  close(): Promise<void>;
}

export async function openApp(page: Page, host: UiHost): Promise<OpenedApp> {
  const server = await serveFolder(RENDERER_DIR);
  await page.exposeBinding('__strataInvoke', (_source, channel: Channel, args: unknown) =>
    host.invoke(channel, args),
  );
  await page.addInitScript({ path: BRIDGE_SCRIPT });
  const push = (event: AppEvent): void => {
    page
      .evaluate((e) => {
        const w = globalThis as unknown as { __strataEvent?: (e: unknown) => void };
        w.__strataEvent?.(e);
      }, event)
      // The page may be navigating or closed; the next state.get catches it up.
      .catch(() => undefined);
  };
  const unsubscribe = host.subscribe(push);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  await page.goto(server.url);
  return {
    page,
    close: async () => {
      unsubscribe();
      await server.close();
      if (errors.length > 0) console.warn(`page errors:\n${errors.join('\n')}`);
    },
  };
}

/** Saves a full-page screenshot of the current screen as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`), fullPage: true });
}
