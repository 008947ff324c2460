/**
 * Host conditions that postpone a run that is owed: battery power, no network or a metered one,
 * and a destination drive that is not plugged in.
 *
 * An absent drive, no network or a metered network leaves out only the destinations it concerns: a job that
 * copies to a USB drive and a NAS still backs up to the NAS while the drive is away (3-2-1 is
 * about copies, and one current copy beats none). Only when no destination remains is the whole
 * run postponed. Battery power postpones everything.
 */
import type { Destination, Job } from '../../../shared/jobs';
import type { HostConditions, PlanReason, SchedulerPolicy, SkippedDestination } from './types';

/** A destination's name in messages: its label, else its folder. */
export function destinationName(d: Destination): string {
  return d.label ?? d.path;
}

function usesNetwork(d: Destination, conditions: HostConditions): boolean {
  // Every destination type but 'local' reaches over the network; a local one may be a share.
  return d.type !== 'local' || conditions.networkDestinations?.[d.id] === true;
}

/** "A", "A and B", "A, B and C". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export interface ConditionCheck {
  readonly usable: readonly string[];
  readonly skipped: readonly SkippedDestination[];
  /** Set when the run must wait: the first reason, with every reason in its message. */
  readonly postponed?: PlanReason;
}

/** Which of a job's destinations an owed run may use now, and whether it must wait. */
export function checkConditions(
  job: Job,
  conditions: HostConditions,
  policy: SchedulerPolicy,
): ConditionCheck {
  const usable: string[] = [];
  const skipped: SkippedDestination[] = [];
  for (const d of job.destinations) {
    const name = destinationName(d);
    if (conditions.destinationsPresent[d.id] === false) {
      skipped.push({ destinationId: d.id, reason: 'destination-absent', name });
    } else if (conditions.online === false && usesNetwork(d, conditions)) {
      skipped.push({ destinationId: d.id, reason: 'offline', name });
    } else if (conditions.meteredNetwork && !policy.runOnMetered && usesNetwork(d, conditions)) {
      skipped.push({ destinationId: d.id, reason: 'metered-network', name });
    } else {
      usable.push(d.id);
    }
  }
  const reasons: PlanReason[] = [];
  if (usable.length === 0) {
    const absent = skipped.filter((s) => s.reason === 'destination-absent').map((s) => s.name);
    if (absent.length > 0) {
      reasons.push({ code: 'destination-absent', message: `plug in ${listWords(absent)}` });
    }
    if (skipped.some((s) => s.reason === 'offline')) {
      reasons.push({ code: 'offline', message: 'waiting for a network connection' });
    }
    if (skipped.some((s) => s.reason === 'metered-network')) {
      reasons.push({
        code: 'metered-network',
        message: 'waiting for a network that is not metered',
      });
    }
  }
  if (conditions.onBattery && !policy.runOnBattery) {
    reasons.unshift({ code: 'on-battery', message: 'on battery power, waiting for the charger' });
  }
  const first = reasons[0];
  if (!first) return { usable, skipped };
  const message = `Postponed: ${reasons.map((r) => r.message).join('; ')}`;
  return { usable, skipped, postponed: { code: first.code, message } };
}
