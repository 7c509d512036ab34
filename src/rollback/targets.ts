/**
 * Which users a rollback is about, and where each stands (pure, journal only).
 *
 * Only objects this run CREATED are ever touched: a `created` record without
 * `adopted`, with the objectGUID journaled right after. An adopted user's AD
 * object existed before the run and is never touched (nor its cloud anchor).
 * A user whose create was started but never confirmed, or whose objectGUID was
 * never journaled, cannot be proven ours: it is reported, not touched.
 */
import type { RollbackMode } from '../journal/records.js';
import type { RunState, UserProgress, UserRollback } from '../journal/state.js';

export type RollbackTargetKind =
  /** Created by this run and not (fully) rolled back in the requested mode: work to do. */
  | 'pending'
  /** Rolled back by an earlier rollback: nothing to do. */
  | 'done'
  /** Adopted by this run: never touched. */
  | 'adopted'
  /** `created` journaled but not its objectGUID: cannot be proven ours. */
  | 'guid-unknown'
  /** A create was started but not confirmed: the object may or may not exist. */
  | 'create-unconfirmed';

export interface RollbackTarget {
  kind: RollbackTargetKind;
  cloudId: string;
  /** From plan.json when present; else the cloud id. */
  userPrincipalName: string;
  /** Where this run created (or, for adopted users, found) the object. */
  dn?: string;
  objectGuid?: string;
  /** The immutableId this run sent to the cloud (anchor-start) and no rollback has cleared yet. */
  writtenImmutableId?: string;
  /** The immutableId an earlier rollback found cleared. */
  clearedImmutableId?: string;
  /** Created on the recovery path: the cloud already held its immutableId; nothing of ours to clear. */
  recovery: boolean;
  /** When apply journaled the create. */
  createdAt?: string;
  /** What an earlier rollback did to the AD object. */
  removed?: NonNullable<UserRollback['removed']>;
}

export interface PlanNames {
  userPrincipalName: string;
  recoverConsistencyGuid?: string | undefined;
}

export function rollbackTargets(state: RunState, mode: RollbackMode, plan: ReadonlyMap<string, PlanNames> = new Map()): RollbackTarget[] {
  const targets: RollbackTarget[] = [];
  for (const progress of state.users.values()) {
    const target = targetOf(progress, mode, plan.get(progress.cloudId));
    if (target) targets.push(target);
  }
  const order = [...plan.keys()];
  const rank = (id: string) => {
    const index = order.indexOf(id);
    return index < 0 ? order.length : index;
  };
  return targets.sort((a, b) => rank(a.cloudId) - rank(b.cloudId) || a.cloudId.localeCompare(b.cloudId));
}

function targetOf(progress: UserProgress, mode: RollbackMode, names: PlanNames | undefined): RollbackTarget | undefined {
  const base = {
    cloudId: progress.cloudId,
    userPrincipalName: names?.userPrincipalName ?? progress.cloudId,
    recovery: names?.recoverConsistencyGuid !== undefined || progress.anchored?.outcome === 'not-needed',
  };
  const rollback = progress.rollback;
  const cleared = rollback?.cleared ? { clearedImmutableId: rollback.cleared.immutableId } : {};
  const removed = rollback?.removed;
  if (removed) {
    const done = removed.mode === 'delete' || removed.mode === mode;
    // Disabled earlier, deleted now: the cloud step was finished before the disable.
    return { ...base, ...cleared, kind: done ? 'done' : 'pending', dn: removed.dn, objectGuid: removed.objectGuid, removed };
  }
  if (progress.created?.adopted) return { ...base, kind: 'adopted', dn: progress.created.dn };
  if (progress.created) {
    const common = { ...base, ...cleared, dn: progress.created.dn, ...(progress.createdAt ? { createdAt: progress.createdAt } : {}) };
    if (progress.objectGuid === undefined) return { ...common, kind: 'guid-unknown' };
    return {
      ...common,
      kind: 'pending',
      objectGuid: progress.objectGuid,
      ...(progress.anchorStarted !== undefined ? { writtenImmutableId: progress.anchorStarted } : {}),
    };
  }
  if (progress.createStartedDn !== undefined) return { ...base, kind: 'create-unconfirmed', dn: progress.createStartedDn };
  return undefined;
}

/** Targets that need the network (cloud, DC) this time. */
export function needsNetwork(target: RollbackTarget): boolean {
  return target.kind === 'pending' || target.kind === 'create-unconfirmed';
}
