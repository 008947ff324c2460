/** Which screen is shown, and for what: the app has no URL bar, so a route is plain state. */
import type { StateCreator } from 'zustand';
import type { StoreState } from './store';

export interface RestoreRoute {
  readonly jobId: string;
  readonly destinationId: string;
  readonly snapshotId: string;
  readonly snapshotTime: string;
  readonly paths: readonly string[];
}

export type Route =
  | { readonly screen: 'dashboard' }
  | { readonly screen: 'wizard'; readonly intent: 'new' }
  /** `path`: a folder the user already chose (the wizard found a backup in it). */
  | { readonly screen: 'connect'; readonly path?: string }
  | { readonly screen: 'wizard'; readonly intent: 'edit'; readonly jobId: string }
  | { readonly screen: 'timeline'; readonly jobId?: string }
  | { readonly screen: 'restore'; readonly restore: RestoreRoute }
  | { readonly screen: 'settings' };

export interface RouteSlice {
  readonly route: Route;
  go(route: Route): void;
}

export const createRouteSlice: StateCreator<StoreState, [], [], RouteSlice> = (set) => ({
  route: { screen: 'dashboard' },
  go: (route) => set({ route }),
});
