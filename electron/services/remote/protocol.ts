/**
 * The messages between the app's main process (the parent) and the services process (the
 * child), with a runtime schema for each direction.
 *
 * Shaped by two constraints. The messages cross a process boundary by structured clone
 * (Electron's utilityProcess postMessage, Node's fork with `serialization: 'advanced'`), so they
 * are plain data only: no classes, no functions, errors as `{ code, message }`. And either side
 * may receive anything (a stale child, a bug, a hostile module), so every message is parsed here
 * before it is acted on; a message that does not parse is logged and ignored, never fatal.
 * Channel arguments are not checked here: the child's services/api.ts validates them with each
 * channel's own schema, as it does for the renderer. Events are checked by shape only (an
 * object with a `type`), since they come from our own services.
 */
import { z } from 'zod';
import { ERROR_CODES } from '../../../shared/errors';
import { OpenExternalArgs, PickFolderArgs, SettingsSchema } from '../../../shared/contract';
import type { AppEvent } from '../../../shared/contract';
import { NOTIFICATION_KINDS } from '../notify/notifier';

const Seq = z.number().int().nonnegative();

/** An answer as it crosses: `{ ok, value }` or `{ ok: false, error: { code, message } }`. */
export const EnvelopeSchema = z.union([
  // `value` may be absent: a void answer (tick, idle, notify) cloned without its key.
  z.object({ ok: z.literal(true), value: z.unknown().optional() }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      field: z.string().optional(),
    }),
  }),
]);

/** What the child needs to build the services: where the state lives and how to keep secrets. */
export const InitSchema = z.strictObject({
  type: z.literal('init'),
  catalogPath: z.string().min(1),
  /** The settings JSON file; absent keeps settings in the child's memory (tests). */
  settingsFile: z.string().min(1).optional(),
  version: z.string().optional(),
  timeZone: z.string().min(1),
  /** Worker threads for the engine; absent: one per core. */
  workers: z.number().int().nonnegative().optional(),
  /** The OS keychain (the app), or a store in the child's memory (tests, no keychain). */
  secrets: z.enum(['keychain', 'memory']),
  /** scrypt cost for new repositories (tests use a low one). */
  kdfLogN: z.number().int().min(1).max(30).optional(),
});
export type InitMessage = z.infer<typeof InitSchema>;

/** Requests that answer with a reply: a channel call, or one of the service api's own calls. */
export const OPS = ['tick', 'state', 'idle', 'close'] as const;
export type Op = (typeof OPS)[number];

/** Parent -> child. */
export const ToChildSchema = z.discriminatedUnion('type', [
  InitSchema,
  z.strictObject({
    type: z.literal('call'),
    seq: Seq,
    channel: z.string().min(1).max(100),
    args: z.unknown(),
  }),
  z.strictObject({ type: z.enum(OPS), seq: Seq }),
  /** The parent's answer to a host call (`seq` is the child's). */
  z.strictObject({ type: z.literal('answer'), seq: Seq, envelope: EnvelopeSchema }),
]);
export type ToChild = z.infer<typeof ToChildSchema>;

/** What only the parent can do, as the child asks for it; `arg` is checked per op. */
export const NotificationSchema = z.strictObject({
  kind: z.enum(NOTIFICATION_KINDS),
  jobId: z.string(),
  title: z.string(),
  body: z.string(),
  urgency: z.enum(['low', 'normal', 'critical']),
});

export const HOST_ARGS = {
  pickFolder: PickFolderArgs,
  openExternal: OpenExternalArgs,
  applySettings: SettingsSchema,
  notify: NotificationSchema,
  conditions: z.strictObject({}),
} as const;
export type HostOp = keyof typeof HOST_ARGS;

/** The battery and metered-network state main's powerMonitor knows. */
export const ConditionsSchema = z.object({
  onBattery: z.boolean(),
  meteredNetwork: z.boolean(),
  /** Absent: assumed online (HostConditions.online). */
  online: z.boolean().optional(),
});

const HostCallSchema = z.strictObject({
  type: z.literal('host'),
  seq: Seq,
  op: z.enum(Object.keys(HOST_ARGS) as [HostOp, ...HostOp[]]),
  arg: z.unknown(),
});

/** Child -> parent. */
export const ToParentSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('reply'), seq: Seq, envelope: EnvelopeSchema }),
  z.strictObject({ type: z.literal('event'), event: z.looseObject({ type: z.string() }) }),
  HostCallSchema,
  /** The child could not start (e.g. the catalog would not open); it exits after this. */
  z.strictObject({ type: z.literal('fatal'), message: z.string() }),
]);
export type ToParent = z.infer<typeof ToParentSchema>;

/** The event as the parent forwards it (checked by shape only, see the header). */
export function asAppEvent(event: { type: string }): AppEvent {
  return event as AppEvent;
}

/** Parses a message or answers undefined (the caller logs and ignores it). */
export function parseToChild(raw: unknown): ToChild | undefined {
  const r = ToChildSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** Parses a message or answers undefined (the caller logs and ignores it). */
export function parseToParent(raw: unknown): ToParent | undefined {
  const r = ToParentSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** A short description of a rejected message for the log (never its whole content). */
export function describeBad(raw: unknown): string {
  if (raw === null) return 'null';
  if (typeof raw !== 'object') return typeof raw;
  const type = (raw as { type?: unknown }).type;
  return `an object with type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : typeof type}`;
}
