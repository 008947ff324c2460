/**
 * Builds the renderer (renderer/) into dist-renderer/ for Electron and for the Playwright UI tests.
 *
 * `base: './'` keeps asset URLs relative, so the same build loads from file:// in Electron and from
 * the tests' small static server.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist-renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
