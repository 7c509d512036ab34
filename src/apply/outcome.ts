/**
 * What happened to each user in a run, and the exit code that follows (pure).
 */
import type { StampDifference } from '../exchange/mailbox-attributes.js';
import { getsAdObject } from '../plan/reasons.js';
import { ExitCode } from '../errors.js';
import type { PlanAction } from '../plan/types.js';

export type UserOutcomeKind =
  /** AD user created and its immutableId written (or stamped, in recovery). */
  | 'anchored'
  /** Already complete in an earlier run: nothing to do. */
  | 'unchanged'
  | 'skipped'
  | 'blocked'
  | 'failed';

export interface UserOutcome {
  cloudId: string;
  userPrincipalName: string;
  action: PlanAction;
  outcome: UserOutcomeKind;
  dn?: string;
  objectGuid?: string;
  immutableId?: string;
  reason: string;
  message: string;
  /** Set once the manager attribute was written. */
  managerDn?: string;
  /** The Exchange stamp of an existing object (src/apply/stamp-pass.ts): attributes added, and those that differ (never overwritten). */
  exchange?: { added: string[]; differences: StampDifference[]; lostAddresses: string[] };
}

export function summariseApply(outcomes: readonly UserOutcome[]): Record<UserOutcomeKind, number> {
  const counts: Record<UserOutcomeKind, number> = { anchored: 0, unchanged: 0, skipped: 0, blocked: 0, failed: 0 };
  for (const o of outcomes) counts[o.outcome]++;
  return counts;
}

/** The reason of users a run could not get to because the DC stayed away (src/directory/session.ts). */
export const DC_UNAVAILABLE = 'DC_UNAVAILABLE';

/** 0 all done, 5 stopped because the DC stayed away (resumable), 3 some failed, 1 there was work and none of it could be done. */
export function exitCodeFor(outcomes: readonly UserOutcome[]): ExitCode {
  const counts = summariseApply(outcomes);
  if (counts.failed === 0) return ExitCode.Ok;
  if (outcomes.some((o) => o.outcome === 'failed' && o.reason === DC_UNAVAILABLE)) return ExitCode.DcUnavailable;
  return counts.anchored + counts.unchanged > 0 ? ExitCode.Partial : ExitCode.Failure;
}

/**
 * How many users of a plan still have work according to the journal: not yet
 * anchored, or created without the manager link the plan asks for. 0 means a
 * re-run has nothing to do and needs no network.
 */
export function pendingWork(
  entries: readonly { cloudId: string; action: PlanAction; managerCloudId?: string; dn?: string; exchange?: { planned?: unknown } }[],
  done: ReadonlyMap<string, { anchored?: unknown; managerDn?: string; exchangeStamped?: boolean }>,
): number {
  let pending = 0;
  for (const entry of entries) {
    const progress = done.get(entry.cloudId);
    // The Exchange stamp of an object an earlier run anchored (src/apply/stamp-pass.ts), until this run folder has checked it.
    if (entry.action === 'skip' && entry.dn !== undefined && entry.exchange?.planned !== undefined && !progress?.exchangeStamped) pending++;
    if (!getsAdObject(entry)) continue;
    const managerPending = entry.action === 'create' && entry.managerCloudId !== undefined && progress?.managerDn === undefined;
    const stampPending = entry.action === 'adopt' && entry.exchange?.planned !== undefined && !progress?.exchangeStamped;
    if (!progress?.anchored || managerPending || stampPending) pending++;
  }
  return pending;
}
