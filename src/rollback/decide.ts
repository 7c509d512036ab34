/**
 * The cloud side of rolling back one user (pure): given what the journal says
 * this run wrote and what the cloud user holds now, clear, leave alone, or
 * stop. The rule: undo only what is still exactly as this run left it;
 * anything someone else changed since is left for a person to decide.
 */
import { guidToImmutableId } from '../anchor/index.js';
import type { RollbackTarget } from './targets.js';

/** The cloud user as rollback reads it (GET /users/{id}); undefined when it is gone (404). */
export interface CloudAnchorState {
  immutableId: string | null;
  /** Graph: null = never synced, true = synced, false = was synced. */
  syncEnabled: boolean | null;
  lastSyncAt: string | null;
}

export type CloudDecision =
  /** PATCH onPremisesImmutableId: null, then the AD step. */
  | { action: 'clear'; immutableId: string }
  /** The cloud is already as rollback wants it; go on to the AD step. */
  | { action: 'none'; cloud: 'already-clear' | 'not-written' | 'cleared-earlier'; journal: boolean; immutableId?: string }
  /** Leave this user alone, cloud and AD. */
  | { action: 'skip'; reason: 'CLOUD_USER_NOT_FOUND' | 'NOW_SYNCED' | 'IMMUTABLE_ID_CHANGED'; message: string };

export function decideCloud(target: RollbackTarget, cloud: CloudAnchorState | undefined): CloudDecision {
  if (!cloud) {
    return {
      action: 'skip',
      reason: 'CLOUD_USER_NOT_FOUND',
      message: 'the cloud user no longer exists (it may be in deleted items, still holding its immutableId); the AD object was left in place: remove it by hand once the cloud user is gone for good',
    };
  }
  if (syncedSinceApply(target, cloud)) {
    return {
      action: 'skip',
      reason: 'NOW_SYNCED',
      message: `Entra Connect has synced this user since apply (onPremisesSyncEnabled ${String(cloud.syncEnabled)}): the AD object is its source now, and deleting or disabling it would reach the cloud user at the next sync. Left in place.`,
    };
  }
  const current = cloud.immutableId;
  if (target.writtenImmutableId !== undefined) {
    if (current === target.writtenImmutableId) return { action: 'clear', immutableId: current };
    if (current === null) return { action: 'none', cloud: 'already-clear', journal: true, immutableId: target.writtenImmutableId };
    return changed(`onPremisesImmutableId is now ${current}, not ${target.writtenImmutableId} as this run wrote`);
  }
  if (target.clearedImmutableId !== undefined) {
    if (current === null) return { action: 'none', cloud: 'cleared-earlier', journal: false };
    return changed(`onPremisesImmutableId was set again (${current}) after an earlier rollback cleared it`);
  }
  // This run never wrote an anchor for this user (recovery path, or apply stopped before the write).
  if (current !== null && target.objectGuid !== undefined && !target.recovery && current === guidToImmutableId(target.objectGuid)) {
    return changed(`onPremisesImmutableId (${current}) points at this AD object, but this run did not write it`);
  }
  return { action: 'none', cloud: 'not-written', journal: false };
}

function changed(message: string): CloudDecision {
  return { action: 'skip', reason: 'IMMUTABLE_ID_CHANGED', message: `${message}; the user was left alone (cloud and AD)` };
}

/**
 * A cloud user apply found cloud-only and that is synced now has been matched
 * by Entra Connect. On the recovery path the user was synced already (from the
 * lost DC), so only a sync AFTER apply created the object counts.
 */
function syncedSinceApply(target: RollbackTarget, cloud: CloudAnchorState): boolean {
  if (cloud.syncEnabled === null) return false;
  if (!target.recovery) return true;
  if (cloud.lastSyncAt === null || target.createdAt === undefined) return false;
  return Date.parse(cloud.lastSyncAt) > Date.parse(target.createdAt);
}
