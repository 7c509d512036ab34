/**
 * Selection: is this cloud user a candidate, and on which path?
 *
 * Checked in this order (the first that applies decides):
 * 1. SKIP_SYNCED: `onPremisesSyncEnabled === true`, already synced from AD. Not with
 *    `recover` when the user carries an immutableId: after losing the DC the cloud
 *    still says synced, and those users are exactly the ones to recover (they go
 *    through rule 4 like previously synced ones).
 * 2. SKIP_GUEST: `userType` Guest, or `#EXT#` in the UPN (B2B accounts belong to
 *    another tenant's directory).
 * 3. scope: SKIP_OUT_OF_SCOPE_DOMAIN, SKIP_EXCLUDED, SKIP_NOT_INCLUDED,
 *    SKIP_NOT_IN_GROUP, SKIP_DISABLED (when includeDisabled is false).
 * 4. the anchor: a user that already carries `onPremisesImmutableId`, or was synced
 *    before (`onPremisesSyncEnabled === false`), cannot get a new immutableId (Graph
 *    refuses the write for objects that originated in an external service; field
 *    notes section 1). Without `recover` it is held back (SKIP_HAS_IMMUTABLE_ID /
 *    SKIP_PREVIOUSLY_SYNCED). With `recover` it takes the recovery path when the id is
 *    base64 of 16 bytes (the AD user gets mS-DS-ConsistencyGuid = those bytes and
 *    NOTHING is written to the cloud), else BLOCKED_RECOVER_NOT_GUID /
 *    BLOCKED_RECOVER_NO_IMMUTABLE_ID.
 * 5. otherwise: the create path.
 */
import { isGuidImmutableId } from '../anchor/index.js';
import type { GraphUser } from '../graph/user.js';
import type { ReasonCode } from './reasons.js';
import type { PlanSettings } from './settings.js';

export type Selection =
  | { selected: true; path: 'create' }
  | { selected: true; path: 'recover'; consistencyGuid: string }
  | { selected: false; reason: ReasonCode; message: string };

/** Settings' scope, pre-indexed once per plan (Sets, not arrays, for 100,000 users). */
export interface ScopeIndex {
  upnDomains: Set<string> | null;
  includeUpns: Set<string> | null;
  excludeUpns: Set<string>;
  groupMemberIds: Set<string> | null;
  includeDisabled: boolean;
  recover: boolean;
}

export function scopeIndex(settings: Pick<PlanSettings, 'scope' | 'recover'>): ScopeIndex {
  const lower = (xs: readonly string[] | undefined): Set<string> | null => (xs ? new Set(xs.map((x) => x.toLowerCase())) : null);
  return {
    upnDomains: lower(settings.scope.upnDomains),
    includeUpns: lower(settings.scope.includeUpns),
    excludeUpns: lower(settings.scope.excludeUpns) ?? new Set(),
    groupMemberIds: settings.scope.groupMemberIds ? new Set(settings.scope.groupMemberIds.map((x) => x.toLowerCase())) : null,
    includeDisabled: settings.scope.includeDisabled,
    recover: settings.recover,
  };
}

export function upnDomain(upn: string): string {
  const at = upn.lastIndexOf('@');
  return at < 0 ? '' : upn.slice(at + 1).toLowerCase();
}

export function isGuest(user: GraphUser): boolean {
  return (user.userType ?? '').toLowerCase() === 'guest' || (user.userPrincipalName ?? '').toUpperCase().includes('#EXT#');
}

const skip = (reason: ReasonCode, message: string): Selection => ({ selected: false, reason, message });

export function selectUser(user: GraphUser, scope: ScopeIndex): Selection {
  const upn = user.userPrincipalName ?? '';
  const upnLower = upn.toLowerCase();
  const immutableId = user.onPremisesImmutableId?.trim() || null;
  if (user.onPremisesSyncEnabled === true && !(scope.recover && immutableId !== null))
    return skip('SKIP_SYNCED', 'Already synchronised from on-premises AD; nothing to do.');
  if (isGuest(user))
    return skip('SKIP_GUEST', 'Guest (B2B) account: it belongs to another directory and is not brought on-premises.');
  if (scope.upnDomains && !scope.upnDomains.has(upnDomain(upn)))
    return skip(
      'SKIP_OUT_OF_SCOPE_DOMAIN',
      `UPN domain "${upnDomain(upn)}" is not in scope.upnDomains; add it there to include this user.`,
    );
  if (scope.excludeUpns.has(upnLower)) return skip('SKIP_EXCLUDED', 'Listed in scope.excludeUpns.');
  if (scope.includeUpns && !scope.includeUpns.has(upnLower))
    return skip('SKIP_NOT_INCLUDED', 'Not listed in scope.includeUpns; add the UPN there to include this user.');
  if (scope.groupMemberIds && !scope.groupMemberIds.has((user.id ?? '').toLowerCase()))
    return skip('SKIP_NOT_IN_GROUP', 'Not a member of the scoping group; add the user to the group to include them.');
  if (user.accountEnabled === false && !scope.includeDisabled)
    return skip('SKIP_DISABLED', 'Disabled in the cloud and scope.includeDisabled is false; set it to true to create them disabled.');

  // false: synced before; true (only reached with recover): synced, its AD object lost.
  const previouslySynced = user.onPremisesSyncEnabled === false || user.onPremisesSyncEnabled === true;
  if (immutableId === null && !previouslySynced) return { selected: true, path: 'create' };

  if (!scope.recover) {
    return immutableId !== null
      ? skip(
          'SKIP_HAS_IMMUTABLE_ID',
          'Already has an onPremisesImmutableId, which Entra Connect would hard-match against a different AD object; run with recover to create the AD user stamped with this id (no cloud write).',
        )
      : skip(
          'SKIP_PREVIOUSLY_SYNCED',
          'Was synchronised from AD before (onPremisesSyncEnabled is false); Graph will not accept a new immutableId. Run with recover, or restore the original AD object.',
        );
  }
  if (immutableId === null)
    return skip(
      'BLOCKED_RECOVER_NO_IMMUTABLE_ID',
      'Was synchronised before but has no onPremisesImmutableId to recover; restore the original AD object (AD Recycle Bin or backup) or open a Microsoft support case to clear the sync state.',
    );
  if (!isGuidImmutableId(immutableId))
    return skip(
      'BLOCKED_RECOVER_NOT_GUID',
      `onPremisesImmutableId "${immutableId}" is not base64 of a 16-byte GUID (another source anchor was used); create the AD user by hand with that anchor attribute.`,
    );
  return { selected: true, path: 'recover', consistencyGuid: immutableId };
}
