/**
 * The wizard's helpers: sources.preview (size the sources, suggest exclusions), destinations.check
 * and retention.preview.
 */
import { constants } from 'node:fs';
import { access, readdir, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiHandlers, RetentionPreview } from '../../../shared/contract';
import { assertNever } from '../../../shared/errors';
import type { RetentionPolicySchema, RetentionSchema } from '../../../shared/jobs';
import {
  applyPolicy,
  describePolicy,
  findPreset,
  groupSnapshots,
  type GroupItem,
  type PolicyItem,
  type RetentionPolicy,
} from '../../../shared/retention';
import type { z } from 'zod';
import { LocalBackend } from '../../engine/backends/local';
import type { ApiContext } from './context';
import { previewSources } from './sources';

type WizardHandlers = Pick<
  ApiHandlers,
  'sources.preview' | 'destinations.check' | 'retention.preview'
>;

type AnyRetention = z.output<typeof RetentionSchema> | z.output<typeof RetentionPolicySchema>;

/** A job's retention (or a bare policy) as the policy applyPolicy takes. */
export function policyOf(r: AnyRetention): RetentionPolicy {
  if (!('kind' in r)) return r;
  switch (r.kind) {
    case 'preset':
      return findPreset(r.preset).policy;
    case 'custom':
      return r.policy;
    case 'keep-all':
      return {};
    default:
      return assertNever(r);
  }
}

/** A plausible history: hourly for 3 days, then daily back two years. */
function sampleTimes(now: number): string[] {
  const out: string[] = [];
  const hour = 3_600_000;
  for (let h = 0; h < 72; h++) out.push(new Date(now - h * hour).toISOString());
  for (let d = 3; d < 730; d++) out.push(new Date(now - d * 24 * hour).toISOString());
  return out;
}

async function check(path: string) {
  const s = await stat(path).catch(() => undefined);
  const isFolder = s?.isDirectory() ?? false;
  const entries = isFolder ? await readdir(path).catch(() => undefined) : undefined;
  const repository =
    isFolder &&
    (await new LocalBackend(path).stat({ kind: 'config', name: 'config' }).then(
      () => true,
      () => false,
    ));
  // A missing folder is fine when we may create it in its parent.
  const where = s ? path : dirname(path);
  const writable = await access(where, constants.W_OK).then(
    () => (s ? isFolder : true),
    () => false,
  );
  const fs = await statfs(s ? path : dirname(path)).catch(() => undefined);
  return {
    path,
    exists: s !== undefined,
    isFolder,
    empty: entries?.length === 0,
    repository,
    writable,
    freeBytes: fs ? fs.bavail * fs.bsize : null,
  };
}

export function wizardHandlers(c: ApiContext): WizardHandlers {
  return {
    'sources.preview': (args) => previewSources(args.paths, args.excludes),
    'destinations.check': ({ path }) => check(path),
    async 'retention.preview'({ retention, snapshots, destinationId, timeZone }) {
      const policy = policyOf(retention);
      const zone = timeZone ?? c.s.timeZone;
      const now = c.now();
      type Item = PolicyItem & GroupItem;
      let source: RetentionPreview['source'] = 'given';
      let items: Item[] | undefined = snapshots?.map((s, i) => ({
        ...s,
        id: s.id ?? `sample-${i}`,
        host: '',
        paths: [],
      }));
      if (!items && destinationId !== undefined) {
        source = 'destination';
        items = c.s.catalog.snapshots(destinationId);
      }
      if (!items) {
        source = 'sample';
        const times = sampleTimes(now);
        items = times.map((time, i) => ({
          id: `sample-${i}`,
          time,
          tags: [],
          host: '',
          paths: [],
        }));
      }
      // Judged per group (host and paths), like forget does; given times are one group.
      const groups = groupSnapshots(items, ['host', 'paths']);
      const verdicts = groups
        .flatMap((g) => applyPolicy(g.items, policy, { timeZone: zone, now }))
        .map((d) => ({ id: d.item.id, time: d.item.time, keep: d.keep, reasons: d.reasons }))
        .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
      const kept = verdicts.filter((v) => v.keep).length;
      return {
        verdicts,
        kept,
        removed: verdicts.length - kept,
        source,
        description: describePolicy(policy),
      };
    },
  };
}
