/**
 * The typed IPC contract between the renderer and main (GitHub Desktop's request/response maps):
 * argument schemas and result types per channel, the events, errors as plain data, and the
 * StrataApi type of window.strata. Split by area under shared/contract/; this is the one import.
 */
export * from './contract/app';
export * from './contract/browse';
export * from './contract/channels';
export * from './contract/common';
export * from './contract/events';
export * from './contract/jobs';
export * from './contract/restore';
export * from './contract/state';
export * from './contract/wizard';
export * from './contract/names';
