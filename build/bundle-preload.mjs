// Bundles electron/preload/index.ts into dist/preload/index.js: a sandboxed preload can only
// require('electron'), so shared/bridge.ts must be inlined. rolldown comes with vite/vitest.
import { build } from 'rolldown';

await build({
  input: 'electron/preload/index.ts',
  external: ['electron'],
  platform: 'node',
  output: { file: 'dist/preload/index.js', format: 'cjs' },
});
