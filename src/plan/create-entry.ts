/**
 * The entry of a user to create (pure): its names (src/plan/names/allocate.ts), the
 * attributes it is created with (src/plan/map-attributes.ts, less the aliases another
 * object holds), its mailbox, its manager (linked only when the manager gets an AD
 * object through this plan), and, on the recovery path, the anchor it is created with
 * and what stands between it and the hard match.
 */
import type { GraphUser } from '../graph/user.js';
import { baseEntry } from './base-entry.js';
import type { Decision } from './decide-user.js';
import { FEATURE_OBJECT_IDENTIFIER_BYPASS, featureOn, objectIdentifierOf, objectIdentifierStateOf } from './guards.js';
import { mailboxOf } from './mailbox-entry.js';
import { mapAttributes } from './map-attributes.js';
import type { NameAllocator } from './names/allocate.js';
import { templateContext } from './names/templates.js';
import type { PlanningContext } from './planning-context.js';
import type { PlannedIdentity } from './recovery-names.js';
import { WARNINGS, type ReasonCode } from './reasons.js';
import type { PlanEntry, PlanWarning } from './types.js';

const MANAGER_NOT_IN_AD: PlanWarning = {
  code: 'WARN_MANAGER_NOT_IN_AD',
  message: 'the manager is not created or adopted by this plan; manager left empty',
};

export function createEntry(
  planning: PlanningContext,
  user: GraphUser,
  decision: Extract<Decision, { kind: 'create' }>,
  names: NameAllocator,
  /** Cloud ids of the users that get an AD object through this plan (its first pass). */
  inAd: ReadonlySet<string>,
): PlanEntry {
  const { settings, guards, managers } = planning;
  const { recover, dropAliases, warnings, identity } = decision;
  const ctx = templateContext(user);
  const { sAMAccountName, cn, parentDn: parent, dn, warnings: nameWarnings } = names.allocate(user, ctx, identity);
  warnings.push(...nameWarnings);

  const mapped = mapAttributes(user, {
    rules: planning.rules,
    exchangeSchema: planning.exchangeSchema,
    passwordMode: settings.password.mode,
    context: ctx,
  });
  warnings.push(...mapped.warnings);
  if (dropAliases.size > 0 && Array.isArray(mapped.attributes['proxyAddresses'])) {
    const kept = mapped.attributes['proxyAddresses'].filter((p) => !dropAliases.has(p));
    if (kept.length) mapped.attributes['proxyAddresses'] = kept;
    else delete mapped.attributes['proxyAddresses'];
  }

  const e = baseEntry(user, createReason(recover, identity), createMessage(sAMAccountName, dn, parent, recover, identity));
  if (identity?.oldSamAccountName !== undefined) e.oldSAMAccountName = identity.oldSamAccountName;
  if (identity?.oldDn !== undefined) e.oldDn = identity.oldDn;
  e.sAMAccountName = sAMAccountName;
  e.cn = cn;
  e.dn = dn;
  e.attributes = mapped.attributes;
  e.exchange = mailboxOf(planning, user, mapped.attributes, mapped.notInSchema, warnings);
  e.userAccountControl = mapped.userAccountControl;
  e.mustChangePassword = settings.password.mustChange;
  e.passwordMode = settings.password.mode;
  // Managers read from Graph (planning.managers) are linked only when the manager gets an
  // AD object through this plan: otherwise there is no DN to point to.
  const managerId = managers ? managers.get(user.id) : mapped.managerCloudId;
  if (managerId && (!managers || inAd.has(managerId))) e.managerCloudId = managerId;
  if (recover === undefined && objectIdentifierStateOf(user, guards).kind === 'set' && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) === true) {
    // Only reached when the tenant's bypass is on (guardUser blocks it otherwise).
    warnings.push({ code: 'WARN_OBJECT_IDENTIFIER_BYPASSED', message: WARNINGS.WARN_OBJECT_IDENTIFIER_BYPASSED });
  }
  if (recover === undefined && objectIdentifierStateOf(user, guards).kind === 'unknown') {
    // Only reached when the admin allowed it (guardUser blocks it otherwise).
    warnings.push({ code: 'WARN_OBJECT_IDENTIFIER_UNKNOWN', message: WARNINGS.WARN_OBJECT_IDENTIFIER_UNKNOWN });
  }
  if (recover !== undefined) {
    e.recoverConsistencyGuid = recover;
    const identifier = objectIdentifierOf(user, guards);
    if (identifier !== null && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) === true) {
      warnings.push({
        code: 'WARN_OBJECT_IDENTIFIER_BYPASSED',
        message:
          `the cloud user has onPremisesObjectIdentifier ${identifier} (the lost AD object), and the tenant has ${FEATURE_OBJECT_IDENTIFIER_BYPASS} on: ` +
          'no clearing is needed (do not run apply --clear-object-identifier); sync before the bypass is turned off',
      });
    } else if (identifier !== null)
      warnings.push({
        code: 'WARN_HARD_MATCH_MAY_BE_BLOCKED',
        message:
          `the cloud user has onPremisesObjectIdentifier ${identifier} (the lost AD object); since July 2026 Entra refuses to map it to the new AD object ` +
          'until that mapping is cleared: after apply, run entra2ad apply --plan RUN/plan.json --clear-object-identifier (it cannot be undone), ' +
          'then entra2ad verify (README "Recovery after losing the AD server", step 8)',
      });
  }
  if (managerId && managers && !inAd.has(managerId)) warnings.push({ ...MANAGER_NOT_IN_AD });
  if (warnings.length) e.warnings = warnings;
  return e;
}

function createReason(recover: string | undefined, identity: PlannedIdentity | undefined): ReasonCode {
  if (recover === undefined) return 'CREATE_NEW';
  return identity && identity.fallbacks.length > 0 ? 'RECOVER_TEMPLATE_FALLBACK' : 'RECOVER_CONSISTENCY_GUID';
}

function createMessage(sam: string, dn: string, parent: string, recover: string | undefined, identity: PlannedIdentity | undefined): string {
  if (recover === undefined) return `Create ${sam} in ${parent}, then write its objectGUID as onPremisesImmutableId.`;
  const stamp = 'with mS-DS-ConsistencyGuid set to the existing immutableId; nothing is written to the cloud.';
  if (!identity) return `Create ${sam} in ${parent} ${stamp} (placement target-ou: names from the templates)`;
  const parts = [`Recreate ${sam} as ${dn} ${stamp}`];
  if (identity.oldDn !== undefined) parts.push(`Old DN ${identity.oldDn}${identity.how ? ` (${identity.how})` : ''}.`);
  if (identity.fallbacks.length > 0) parts.push(`Not the whole old identity: ${identity.fallbacks.join('; ')}.`);
  if (identity.renamed.length > 0) parts.push(`Renamed: ${identity.renamed.join('; ')}.`);
  return parts.join(' ');
}
