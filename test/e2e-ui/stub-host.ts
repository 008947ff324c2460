/**
 * A host with no services, for the smoke test: it proves the build, the bridge and the shell
 * work without a backup engine (an empty first run; every other channel says NOT_FOUND).
 */
import { DEFAULT_SETTINGS, type AppState } from '../../shared/contract';
import type { UiHost } from './ui-host';

export function createStubHost(): UiHost {
  const state: AppState = {
    jobs: [],
    tray: 'idle',
    pauseAll: { paused: false },
    settings: DEFAULT_SETTINGS,
    keychain: { available: false, reason: 'no keychain in this test' },
    restores: [],
    platform: 'linux',
    version: 'test',
  };
  return {
    pickFolderQueue: [],
    invoke: async (channel) =>
      channel === 'state.get'
        ? { ok: true, value: state }
        : { ok: false, error: { code: 'NOT_FOUND', message: `${channel}: not in the stub host` } },
    subscribe: () => () => undefined,
    close: async () => undefined,
  };
}
