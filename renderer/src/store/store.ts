/**
 * The app's one zustand store, made of small slices (state from main, route, restores).
 * Components read it through narrow selectors; display components take props instead.
 */
import { create } from 'zustand';
import { api } from '../api';
import { createAppSlice, type AppSlice } from './app-slice';
import { createRestoreSlice, type RestoreSlice } from './restore-slice';
import { createRouteSlice, type RouteSlice } from './route-slice';

export type StoreState = AppSlice & RouteSlice & RestoreSlice;

export const useStore = create<StoreState>()((...a) => ({
  ...createAppSlice(...a),
  ...createRouteSlice(...a),
  ...createRestoreSlice(...a),
}));

/** Loads the state, then follows pushed events; returns the function that stops following. */
export function startSync(): () => void {
  // Subscribe first, so nothing that happens while state.get is answered is missed.
  const stop = api().onEvent((event) => useStore.getState().applyEvent(event));
  void useStore.getState().load();
  return stop;
}
