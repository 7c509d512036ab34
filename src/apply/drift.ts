/**
 * Has the world changed since the plan was reviewed, in ways that matter? (pure)
 *
 * apply executes exactly the reviewed plan, so it must refuse when a planned
 * user's inputs moved: the cloud user is gone, renamed, synced now, or carries
 * another immutableId; or a name we planned to use is now taken in AD by an
 * object this run did not create; or the AD user to adopt changed. Users this
 * run already completed are not re-checked: their own objects are expected.
 * "Taken" is asked of the planner's own index (src/plan/directory-index.ts), so a
 * name counts as taken here exactly when planning would have avoided it.
 */
import { getsAdObject } from '../plan/reasons.js';
import type { GraphUser } from '../graph/user.js';
import { dnKeyOrText, parentDnOrEmpty } from '../directory/dn.js';
import { protectionOf } from '../directory/protection.js';
import type { SnapshotScope } from '../directory/scope.js';
import type { DirectorySnapshot } from '../directory/types.js';
import { DirectoryIndex } from '../plan/directory-index.js';
import { isRecoveryEntry } from '../plan/guards.js';
import type { Plan, PlanEntry } from '../plan/types.js';
import type { RunState } from '../journal/state.js';

export interface Drift {
  cloudId: string;
  userPrincipalName: string;
  reason: 'CLOUD_USER_GONE' | 'UPN_CHANGED' | 'IMMUTABLE_ID_CHANGED' | 'NOW_SYNCED' | 'NAME_TAKEN' | 'ADOPT_TARGET_CHANGED' | 'BLOCKED_PROTECTED_ACCOUNT';
  message: string;
}

export function findDrift(
  plan: Plan,
  cloudUsers: ReadonlyMap<string, GraphUser>,
  directory: DirectorySnapshot | undefined,
  state: RunState,
  /** plan.adoptProtectedUpns of the config apply runs with (lower-cased UPNs). */
  adoptProtectedUpns: ReadonlySet<string> = new Set(),
): Drift[] {
  const taken = directory ? new DirectoryIndex(directory) : undefined;
  const drift: Drift[] = [];
  for (const entry of plan.entries) {
    if (!getsAdObject(entry)) continue;
    const progress = state.users.get(entry.cloudId);
    if (progress?.anchored) continue;
    const say = (reason: Drift['reason'], message: string) =>
      drift.push({ cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, reason, message });

    const user = cloudUsers.get(entry.cloudId);
    if (!user) {
      say('CLOUD_USER_GONE', 'the cloud user no longer exists (or is no longer listed)');
      continue;
    }
    if (user.userPrincipalName.toLowerCase() !== entry.userPrincipalName.toLowerCase()) {
      say('UPN_CHANGED', `userPrincipalName is now ${user.userPrincipalName}`);
    }
    if ((user.onPremisesImmutableId ?? null) !== entry.currentImmutableId && user.onPremisesImmutableId !== progress?.anchorStarted) {
      say('IMMUTABLE_ID_CHANGED', `onPremisesImmutableId is now ${user.onPremisesImmutableId ?? 'empty'}, was ${entry.currentImmutableId ?? 'empty'}`);
    }
    // Recovery entries are synced users by nature (the cloud still says so after losing the DC).
    if (user.onPremisesSyncEnabled === true && !isRecoveryEntry(entry)) say('NOW_SYNCED', 'the user is synced from AD now (onPremisesSyncEnabled true)');
    if (!taken) continue;

    if (entry.action === 'adopt') {
      const existing = taken.byUpn(entry.userPrincipalName);
      if (!existing || existing.objectGuid !== entry.existingObjectGuid) {
        say('ADOPT_TARGET_CHANGED', `the AD user with this UPN is ${existing ? `now ${existing.dn}` : 'gone'}`);
      } else if (entry.reason === 'ADOPT_EXISTING_UPN') {
        // Checked again at apply: the account may have joined a protected group since the review.
        // Adopted only when the reviewed plan said so (WARN_ADOPT_PROTECTED_ACCOUNT) and the config still allows it.
        const protection = protectionOf(existing);
        const reviewed = entry.warnings?.some((w) => w.code === 'WARN_ADOPT_PROTECTED_ACCOUNT') === true;
        if (protection.length > 0 && !(reviewed && adoptProtectedUpns.has(entry.userPrincipalName.toLowerCase()))) {
          say(
            'BLOCKED_PROTECTED_ACCOUNT',
            `${existing.dn} is a protected account (${protection.join('; ')}) ${reviewed ? 'and plan.adoptProtectedUpns of this config does not name the user' : 'now; the plan did not say so'}: add the UPN to plan.adoptProtectedUpns, plan again and review`,
          );
        }
      }
    } else if (progress?.createStartedDn === undefined) {
      for (const conflict of nameConflicts(entry, taken, plan.targetOu)) say('NAME_TAKEN', conflict);
    }
  }
  return drift;
}

function nameConflicts(entry: PlanEntry, taken: DirectoryIndex, targetOu: string): string[] {
  const conflicts: string[] = [];
  const sam = entry.sAMAccountName && taken.bySam(entry.sAMAccountName);
  if (sam) conflicts.push(`sAMAccountName ${entry.sAMAccountName} is now taken by ${sam.dn}`);
  const upn = taken.byUpn(entry.userPrincipalName);
  if (upn) conflicts.push(`userPrincipalName is now on ${upn.dn}`);
  const inTargetOu = entry.dn !== undefined && dnKeyOrText(parentDnOrEmpty(entry.dn)) === dnKeyOrText(targetOu);
  const dnHolder = entry.dn ? taken.byDn(entry.dn) : undefined;
  if (inTargetOu && entry.cn && taken.isCnTakenInTargetOu(entry.cn)) conflicts.push(`CN "${entry.cn}" is now taken in the target OU`);
  else if (dnHolder) conflicts.push(`the DN ${entry.dn} is now taken by ${dnHolder.dn}`);
  return conflicts;
}

/**
 * What findDrift looks up in AD, as a scope for a scoped read (src/directory/scoped-snapshot.ts):
 * the UPN, sAMAccountName and DN of every user it checks. It reads nothing else from
 * the snapshot (byUpn, bySam, the target OU's CNs, the DNs), so a snapshot of the
 * objects holding these gives the same findings as the whole domain.
 */
export function driftScope(plan: Plan, state: RunState): SnapshotScope {
  const scope = { userPrincipalNames: [] as string[], samAccountNames: [] as string[], dns: [] as string[] };
  for (const entry of plan.entries) {
    if (!getsAdObject(entry) || state.users.get(entry.cloudId)?.anchored) continue;
    scope.userPrincipalNames.push(entry.userPrincipalName);
    if (entry.sAMAccountName) scope.samAccountNames.push(entry.sAMAccountName);
    if (entry.dn) scope.dns.push(entry.dn);
  }
  return scope;
}
