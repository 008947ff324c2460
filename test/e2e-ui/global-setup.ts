/**
 * Before the UI tests: check the renderer was built, and bundle page-bridge.ts (the preload's
 * bridge builder) into one script the pages load as an init script.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { BRIDGE_SCRIPT, RENDERER_DIR } from './paths';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`${RENDERER_DIR} is missing: run npm run build (or npm run build:renderer)`);
  }
  mkdirSync(path.dirname(BRIDGE_SCRIPT), { recursive: true });
  // Vite is ESM-only: loaded with import(), not require().
  const { build } = await import('vite');
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: path.dirname(BRIDGE_SCRIPT),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: path.join(__dirname, 'page-bridge.ts'),
        formats: ['iife'],
        name: 'StrataTestBridge',
        fileName: () => path.basename(BRIDGE_SCRIPT),
      },
    },
  });
}
