import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The built renderer (npm run build:renderer). */
export const RENDERER_DIR = path.join(ROOT, 'dist-renderer');
/** The bridge bundle global-setup.ts writes. */
export const BRIDGE_SCRIPT = path.join(ROOT, '.tmp', 'ui-bridge', 'bridge.js');
/** Screenshots of every screen, kept as test artifacts. */
export const SCREENS_DIR = path.join(ROOT, 'test-results', 'screens');
