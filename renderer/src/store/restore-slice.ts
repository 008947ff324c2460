/** Restores started from this window: their live progress and, once done, their summary. */
import type { StateCreator } from 'zustand';
import type { RestoreEvent, RestoreProgress, RestoreSummary } from '../../../shared/contract';
import type { StoreState } from './store';

export interface RestoreSlice {
  readonly restoreProgress: Readonly<Record<string, RestoreProgress>>;
  readonly restoreSummaries: Readonly<Record<string, RestoreSummary>>;
  applyRestoreEvent(event: RestoreEvent): void;
}

export const createRestoreSlice: StateCreator<StoreState, [], [], RestoreSlice> = (set, get) => ({
  restoreProgress: {},
  restoreSummaries: {},
  applyRestoreEvent: (event) => {
    if (event.type === 'restore-progress') {
      const p = event.progress;
      set({ restoreProgress: { ...get().restoreProgress, [p.restoreId]: p } });
    } else {
      const s = event.summary;
      set({ restoreSummaries: { ...get().restoreSummaries, [s.restoreId]: s } });
    }
  },
});
