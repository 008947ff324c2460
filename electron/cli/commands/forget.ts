import { StrataError } from '../../../shared/errors';
import {
  describeGroup,
  describePolicy,
  formatInZone,
  isEmptyPolicy,
  RETENTION_PRESETS,
  type PolicyDecision,
} from '../../../shared/retention';
import {
  planExplicitForget,
  planPolicyForget,
  removeSnapshots,
  type ForgetCandidate,
} from '../../engine/maintenance/forget';
import type { LoadProblem } from '../../engine/repository/repository';
import type { SnapshotRecord } from '../../engine/repository/snapshot';
import { printableName } from '../../engine/restore/sanitize';
import { emitJson, flag, openRepo, parse, say, str, FILTER_OPTIONS, filterFrom } from '../context';
import { table } from '../format';
import { RETENTION_OPTIONS, groupByFrom, policyFrom, timeZoneFrom } from '../retention-options';
import type { Command } from './command';
import { PRUNE_OPTIONS, parseDelay, parseMaxUnused, pruneAndReport } from './prune';

export const forget: Command = {
  name: 'forget',
  summary: 'remove snapshots by a retention policy or by id (their data stays until prune)',
  usage:
    'strata forget [SNAPSHOT...] [--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] ' +
    '[--keep-monthly N] [--keep-yearly N] [--keep-within DURATION] [--keep-tag TAG]... [--preset ID] ' +
    "[--group-by host,paths,tags|''] [--host HOST] [--tag TAG]... [--path PATH]... [--time-zone TZ] [--dry-run] [--prune [--max-unused 5%] [--delay 1h]] [--json]",
  details:
    'With SNAPSHOT ids, forgets just those. Otherwise snapshots are grouped (default by host and paths) and the ' +
    'policy is applied to each group as restic does: N is a count or "unlimited"; DURATION is like 1y2m3d4h, ' +
    'counted back from the newest snapshot; hours, days, weeks (ISO) and months are those of --time-zone ' +
    '(default the system zone). Pinned snapshots are always kept (strata pin). --dry-run lists every ' +
    `snapshot with the reasons it is kept. --prune then runs "strata prune" (see its help). Presets: ${RETENTION_PRESETS.map((p) => `${p.id} (${p.description.replace(/\.$/, '')})`).join('; ')}. ` +
    'Details: docs/retention.md.',
  async run(args) {
    const p = parse(args, {
      ...RETENTION_OPTIONS,
      ...FILTER_OPTIONS,
      ...PRUNE_OPTIONS,
      prune: { type: 'boolean' },
    });
    const refs = p.positionals;
    const policy = policyFrom(p);
    const groupBy = groupByFrom(p);
    const timeZone = timeZoneFrom(p);
    const filter = filterFrom(p);
    const dryRun = flag(p, 'dry-run');
    const json = flag(p, 'json');
    if (refs.length > 0 && !isEmptyPolicy(policy)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        'give snapshot ids or a policy (--keep-*, --preset), not both; nothing was forgotten',
      );
    }
    if (refs.length === 0 && isEmptyPolicy(policy)) {
      throw new StrataError(
        'INVALID_ARGUMENT',
        'no policy and no snapshot ids: give --keep-* options, a --preset, or snapshot ids. Nothing was forgotten.',
      );
    }

    if (flag(p, 'prune')) {
      // Checked before anything is forgotten, so a typo costs nothing.
      parseMaxUnused(str(p, 'max-unused'));
      parseDelay(str(p, 'delay'));
    }
    const repo = await openRepo(p);
    // No lock, unlike restic: here only prunes exclude each other (locks.ts), and removing
    // snapshot files is safe beside backups and a prune. A pin made while this runs, after the
    // pins were read, is not seen.
    const explicit = refs.length > 0;
    let remove: readonly SnapshotRecord[];
    let problems: readonly LoadProblem[];
    let groups: Awaited<ReturnType<typeof planPolicyForget>>['groups'] = [];
    if (explicit) {
      ({ remove, problems } = await planExplicitForget(repo, refs, filter));
    } else {
      ({ remove, problems, groups } = await planPolicyForget(repo, {
        policy,
        groupBy,
        filter,
        timeZone,
      }));
    }
    for (const pr of problems) {
      process.stderr.write(`error: snapshot ${pr.name}: ${pr.message} (left alone)\n`);
    }

    const when = (time: string) => formatInZone(Date.parse(time), timeZone);
    if (!json && !explicit) {
      say(p, `Policy: ${describePolicy(policy)} Time zone: ${timeZone}.`);
      for (const g of groups) {
        const kept = g.decisions.filter((d) => d.keep).length;
        say(p, `\n${printableName(describeGroup(g.key))}`);
        say(p, indent(table(g.decisions.map((d) => row(d, when)))));
        say(p, `  ${kept} kept, ${g.decisions.length - kept} to remove`);
      }
      say(p, '');
    }
    if (!json && explicit) {
      for (const r of remove) say(p, `remove  ${r.id.slice(0, 8)}  ${when(r.snapshot.time)}`);
    }

    let removed: string[] = [];
    if (!dryRun && remove.length > 0) {
      removed = await removeSnapshots(
        repo,
        remove.map((r) => r.id),
        (id) => {
          if (!json) say(p, `removed snapshot ${id.slice(0, 8)}`);
        },
      );
    }

    if (json) {
      emitJson({
        dry_run: dryRun,
        time_zone: timeZone,
        policy: explicit ? null : policy,
        description: explicit ? null : describePolicy(policy),
        groups: groups.map((g) => ({
          host: g.key.host ?? null,
          paths: g.key.paths ?? null,
          tags: g.key.tags ?? null,
          keep: g.decisions.filter((d) => d.keep).map(jsonSnapshot),
          remove: g.decisions.filter((d) => !d.keep).map(jsonSnapshot),
        })),
        remove: remove.map((r) => r.id),
        removed,
      });
    } else if (dryRun) {
      say(p, `Dry run: would remove ${remove.length} snapshot(s); nothing was changed.`);
    } else if (removed.length === 0) {
      say(p, 'Nothing to remove.');
    } else {
      say(
        p,
        `Removed ${removed.length} snapshot(s). Their data stays in the repository until prune.`,
      );
    }
    // --prune: give the space back (a dry run shows what a prune would do now).
    if (flag(p, 'prune')) await pruneAndReport(p, repo);
    return problems.length > 0 ? 1 : 0;
  },
};

function row(d: PolicyDecision<ForgetCandidate>, when: (time: string) => string): string[] {
  return [
    d.keep ? 'keep' : 'remove',
    d.item.id.slice(0, 8),
    when(d.item.time),
    d.reasons.join(', '),
  ];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`.trimEnd())
    .join('\n');
}

function jsonSnapshot(d: PolicyDecision<ForgetCandidate>) {
  const s = d.item.record.snapshot;
  return {
    id: d.item.id,
    short_id: d.item.id.slice(0, 8),
    time: s.time,
    host: s.host,
    paths: s.paths,
    tags: s.tags,
    pinned: d.item.pinned === true,
    reasons: d.reasons,
  };
}
