/**
 * The IPC contract: every channel with its argument schema (validated in main) and its result
 * type. Channels are operations ("restore these paths there"), never primitives ("write this
 * file"). Every channel takes one object; `StrataApi` is what the preload exposes as
 * window.strata: `strata.jobs.runNow({ jobId })`, one method per channel.
 */
import type { z } from 'zod';
import type { Job } from '../jobs';
import { Empty, OpenExternalArgs, PickFolderArgs, SettingsSetArgs } from './app';
import * as B from './browse';
import type { AppEvent } from './events';
import { CHANNEL_NAMES } from './names';
import * as J from './jobs';
import * as R from './restore';
import type { AppState, Settings } from './state';
import * as W from './wizard';

/** Argument schemas by channel. The keys are the channel names. */
export const CHANNEL_ARGS = {
  'state.get': Empty,
  'jobs.create': J.JobsCreateArgs,
  'jobs.update': J.JobsUpdateArgs,
  'jobs.remove': J.JobsRemoveArgs,
  'jobs.runNow': J.JobIdArgs,
  'jobs.cancel': J.JobIdArgs,
  'jobs.pause': J.JobIdArgs,
  'jobs.resume': J.JobIdArgs,
  'jobs.pauseAll': J.JobsPauseAllArgs,
  'jobs.resumeAll': Empty,
  'jobs.history': J.JobsHistoryArgs,
  'jobs.export': J.JobsExportArgs,
  'jobs.import': J.JobsImportArgs,
  'jobs.setPassword': J.SetPasswordArgs,
  'sources.preview': W.SourcesPreviewArgs,
  'destinations.check': W.DestinationsCheckArgs,
  'retention.preview': W.RetentionPreviewArgs,
  'repository.inspect': W.RepositoryInspectArgs,
  'snapshots.list': B.SnapshotsListArgs,
  'snapshots.refresh': B.SnapshotsRefreshArgs,
  'browse.folder': B.BrowseFolderArgs,
  'browse.versions': B.BrowseVersionsArgs,
  'browse.search': B.BrowseSearchArgs,
  'browse.diff': B.BrowseDiffArgs,
  'restore.preview': R.RestoreArgs,
  'restore.start': R.RestoreArgs,
  'settings.get': Empty,
  'settings.set': SettingsSetArgs,
  'dialog.pickFolder': PickFolderArgs,
  'shell.openExternal': OpenExternalArgs,
} as const;

/** Result types by channel. */
export interface ChannelResults {
  'state.get': AppState;
  'jobs.create': J.JobSaved;
  'jobs.update': J.JobSaved;
  'jobs.remove': { readonly removed: boolean };
  /** Starts the run and answers at once; progress and the result arrive as events. */
  'jobs.runNow': { readonly started: boolean };
  /** `changed`: false when there was nothing to cancel / pause / resume. */
  'jobs.cancel': { readonly changed: boolean };
  /** Pauses the job: its running backup holds, scheduled runs wait until jobs.resume. */
  'jobs.pause': { readonly changed: boolean };
  'jobs.resume': { readonly changed: boolean };
  'jobs.pauseAll': { readonly paused: true; readonly until?: string };
  'jobs.resumeAll': { readonly paused: false };
  'jobs.history': { readonly runs: readonly J.RunView[] };
  'jobs.export': { readonly text: string; readonly jobs: readonly string[] };
  'jobs.import': J.JobsImported;
  'jobs.setPassword': J.PasswordOutcome;
  'sources.preview': W.SourcesPreview;
  'destinations.check': W.DestinationCheck;
  'retention.preview': W.RetentionPreview;
  /** WRONG_PASSWORD when the password does not open it; REPO_NOT_FOUND when there is none. */
  'repository.inspect': W.RepositoryContents;
  'snapshots.list': { readonly snapshots: readonly B.SnapshotView[] };
  'snapshots.refresh': { readonly added: number; readonly removed: number };
  'browse.folder': { readonly entries: readonly B.FolderEntryView[] };
  'browse.versions': { readonly versions: readonly B.FileVersionView[] };
  'browse.search': { readonly hits: readonly B.SearchHitView[] };
  'browse.diff': B.DiffResult;
  'restore.preview': R.RestorePreview;
  'restore.start': { readonly restoreId: string };
  'settings.get': Settings;
  'settings.set': Settings;
  /** null when the user cancelled. */
  'dialog.pickFolder': { readonly path: string | null };
  'shell.openExternal': { readonly opened: boolean };
}

export type Channel = keyof typeof CHANNEL_ARGS;
/** The channel names, for the bridge to build its methods from (no zod needed to read them). */
export const CHANNELS: readonly Channel[] = CHANNEL_NAMES;
// Both ways: every name has a schema and every schema a name.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatch: Same<(typeof CHANNEL_NAMES)[number], Channel> = true;
void namesMatch;

/** What the renderer passes (defaults may be left out). */
export type ArgsIn<C extends Channel> = z.input<(typeof CHANNEL_ARGS)[C]>;
/** What the service receives after validation (defaults filled in). */
export type ArgsOut<C extends Channel> = z.output<(typeof CHANNEL_ARGS)[C]>;
export type Result<C extends Channel> = ChannelResults[C];

type Group<C extends string> = C extends `${infer G}.${string}` ? G : never;
type MethodName<C extends string, G extends string> = C extends `${G}.${infer M}` ? M : never;
/** Channels whose arguments may all be left out take an optional argument. */
type Method<C extends Channel> =
  Record<string, never> extends ArgsIn<C>
    ? (args?: ArgsIn<C>) => Promise<Result<C>>
    : (args: ArgsIn<C>) => Promise<Result<C>>;

/** window.strata: one method per channel, grouped by the name before the dot, and onEvent. */
export type StrataApi = {
  readonly [G in Group<Channel>]: {
    readonly [C in Channel as MethodName<C, G>]: Method<C>;
  };
} & {
  /** Subscribes to pushed events; returns the function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
};

/** The services' side: one async function per channel, taking validated arguments. */
export type ApiHandlers = { [C in Channel]: (args: ArgsOut<C>) => Promise<Result<C>> };

export type { Job };
