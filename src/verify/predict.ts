/**
 * What the next Entra Connect sync will do with each AD user (pure).
 *
 * Connect's matching, for an AD object it has not seen before
 * (learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant):
 * 1. hard match: the object's sourceAnchor, base64, equals a cloud user's
 *    onPremisesImmutableId. The sourceAnchor is mS-DS-ConsistencyGuid, or objectGUID
 *    when that is empty (Connect >= 1.1.524; it then writes it), or objectGUID
 *    always (older installs, `--source-anchor objectGUID`).
 * 2. else soft match, on the primary SMTP address (`SMTP:`) and then, when the
 *    tenant allows it (softMatchOnUpnEnabled), on userPrincipalName; but only with a
 *    cloud user that has NO immutableId and is not synced already.
 * 3. else a new cloud user: when another cloud user holds the UPN or the address,
 *    that is a duplicate (quarantined UPN such as user1234@tenant.onmicrosoft.com).
 *
 * Blocks in force (src/plan/guards.ts): a cloud-managed user holding a privileged
 * role is not matched (InvalidHardMatch / "Existing Admin Role Conflict"); the
 * tenant flag blockCloudObjectTakeoverThroughHardMatchEnabled refuses hard matches of
 * cloud-managed users; blockSoftMatchEnabled refuses soft matches; from July 2026 a
 * cloud user whose onPremisesObjectIdentifier names another AD object is not
 * remapped. onPremisesObjectIdentifier is compared with the AD object's objectGUID
 * (an assumption: Microsoft documents the property, not its format).
 */
import { canonicalId, guidToImmutableId, isGuidImmutableId } from '../anchor/index.js';
import type { GraphUser } from '../graph/user.js';
import type { DirectoryObject } from '../directory/types.js';
import { isUserObject } from '../plan/directory-index.js';
import {
  cloudManagedMessage,
  sourceOfAuthorityCloud,
  FEATURE_OBJECT_IDENTIFIER_BYPASS,
  FEATURE_SOFT_MATCH_BLOCK,
  FEATURE_SOFT_MATCH_ON_UPN,
  FEATURE_TAKEOVER_BLOCK,
  featureOn,
  isCloudManaged,
  objectIdentifierOf,
  prepareGuards,
  privilegedRoleMessage,
  privilegedRolesOf,
  type PreparedGuards,
  type TenantGuards,
} from '../plan/guards.js';
import { isGuest } from '../plan/select.js';
import { PREDICTION_KINDS, VERIFY_REASONS, type Prediction, type PredictionKind, type SourceAnchor, type VerifyReason, type VerifyResult } from './types.js';

export interface VerifyInput {
  /** AD objects in the scope read (target OU or domain); non-users are ignored. */
  adObjects: readonly DirectoryObject[];
  /** Cloud users, synced ones included (their anchors are what recovery must meet). */
  cloudUsers: readonly GraphUser[];
  guards?: TenantGuards | PreparedGuards | undefined;
  /** Default ms-DS-ConsistencyGuid. */
  sourceAnchor?: SourceAnchor;
  /**
   * Also report cloud users no AD object in `adObjects` matches (not-in-scope). Only
   * meaningful when the whole domain was read: with one OU they may live elsewhere.
   */
  reportUnmatchedCloudUsers?: boolean;
  /** Only these cloud users (apply: the users of the run); AD rows not about them are left out. */
  onlyCloudIds?: ReadonlySet<string> | undefined;
}

interface Anchor {
  value: string;
  source: 'mS-DS-ConsistencyGuid' | 'objectGUID';
  /** ConsistencyGuid mode, but the attribute is empty: Connect falls back to objectGUID. */
  fallback: boolean;
}

function anchorOf(o: DirectoryObject, mode: SourceAnchor): Anchor | undefined {
  if (mode === 'ms-DS-ConsistencyGuid' && o.consistencyGuid) {
    return { value: canonicalId(o.consistencyGuid), source: 'mS-DS-ConsistencyGuid', fallback: false };
  }
  try {
    return { value: guidToImmutableId(o.objectGuid), source: 'objectGUID', fallback: mode === 'ms-DS-ConsistencyGuid' };
  } catch {
    return undefined;
  }
}

const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
const guidKey = (s: string) => lower(s).replace(/^\{|\}$/g, '');

/** The primary SMTP address (lower case): the `SMTP:` proxy address, else mail. */
export function primarySmtp(proxyAddresses: readonly string[] | null | undefined, mail: string | null | undefined): string | undefined {
  const primary = (proxyAddresses ?? []).find((p) => p.startsWith('SMTP:'));
  const address = primary ? primary.slice(5) : mail;
  return address ? lower(address) : undefined;
}

function emptySummary(): Record<PredictionKind, number> {
  return Object.fromEntries(PREDICTION_KINDS.map((k) => [k, 0])) as Record<PredictionKind, number>;
}

export function predictSync(input: VerifyInput): VerifyResult {
  const mode = input.sourceAnchor ?? 'ms-DS-ConsistencyGuid';
  const guards = input.guards ? prepareGuards(input.guards) : undefined;
  const byAnchor = new Map<string, GraphUser>();
  const byUpn = new Map<string, GraphUser>();
  const bySmtp = new Map<string, GraphUser>();
  for (const u of input.cloudUsers) {
    if (u.onPremisesImmutableId && u.onPremisesImmutableId.trim() !== '') byAnchor.set(canonicalId(u.onPremisesImmutableId), u);
    if (u.userPrincipalName) byUpn.set(lower(u.userPrincipalName), u);
    const smtp = primarySmtp(u.proxyAddresses, u.mail);
    if (smtp && !bySmtp.has(smtp)) bySmtp.set(smtp, u);
  }

  const predictions: Prediction[] = [];
  const claimedBy = new Map<string, string>(); // cloud id -> DN that hard-matches it
  const referenced = new Set<string>(); // cloud ids some AD object matches or collides with
  const adUsers = input.adObjects.filter(isUserObject).sort((a, b) => (lower(a.dn) < lower(b.dn) ? -1 : lower(a.dn) > lower(b.dn) ? 1 : 0));

  for (const o of adUsers) {
    const anchor = anchorOf(o, mode);
    const base = {
      userPrincipalName: o.userPrincipalName ?? o.sAMAccountName ?? o.dn,
      adDn: o.dn,
      objectGuid: o.objectGuid,
      ...(anchor ? { anchor: anchor.value, anchorSource: anchor.source } : {}),
    };
    const cloud = (u: GraphUser) => ({ cloudId: u.id, cloudUserPrincipalName: u.userPrincipalName, cloudImmutableId: u.onPremisesImmutableId ?? null });
    const say = (reason: VerifyReason, message: string, u?: GraphUser) =>
      predictions.push({ kind: VERIFY_REASONS[reason], reason, message, ...base, ...(u ? cloud(u) : {}) });
    const anchorText = anchor ? `${anchor.value} (${anchor.source}${anchor.fallback ? ', as mS-DS-ConsistencyGuid is empty' : ''})` : '(none: objectGUID unreadable)';

    const hard = anchor ? byAnchor.get(anchor.value) : undefined;
    if (hard) {
      referenced.add(hard.id);
      const other = claimedBy.get(hard.id);
      if (other !== undefined) {
        say(
          'DUPLICATE_SAME_ANCHOR',
          `${other} carries the same anchor ${anchor!.value}; only one AD object can match ${hard.userPrincipalName}: Connect reports a sourceAnchor conflict ` +
            `for this one and does not sync it. Take one of them out of the sync scope, or give this one its own mS-DS-ConsistencyGuid.`,
          hard,
        );
        continue;
      }
      claimedBy.set(hard.id, o.dn);
      const block = hardMatchBlock(hard, o, guards);
      if (block) {
        say(block.reason, block.message, hard);
        continue;
      }
      const notes: string[] = [];
      const identifier = objectIdentifierOf(hard, guards);
      if (identifier !== null && guidKey(identifier) !== guidKey(o.objectGuid)) {
        // Only reached with the tenant's bypass on (hardMatchBlock): nothing needs clearing.
        notes.push(`Its onPremisesObjectIdentifier ${identifier} names another AD object, but the tenant has ${FEATURE_OBJECT_IDENTIFIER_BYPASS} on: no clearing is needed; sync before the bypass is turned off.`);
      }
      if (anchor!.fallback) notes.push('mS-DS-ConsistencyGuid is empty: Connect uses objectGUID and writes it into mS-DS-ConsistencyGuid.');
      if (isCloudManaged(hard)) notes.push('The cloud user becomes synced: values set on-premises overwrite the cloud ones.');
      if (o.userPrincipalName && lower(o.userPrincipalName) !== lower(hard.userPrincipalName))
        notes.push(`Its cloud UPN ${hard.userPrincipalName} becomes ${o.userPrincipalName}.`);
      say('HARD_MATCH', `Connect hard-matches ${hard.userPrincipalName}: the anchor ${anchorText} equals its onPremisesImmutableId.${notes.length ? ` ${notes.join(' ')}` : ''}`, hard);
      continue;
    }

    const adSmtp = primarySmtp(o.proxyAddresses, o.mail);
    const bySmtpMatch = adSmtp ? bySmtp.get(adSmtp) : undefined;
    const byUpnMatch = o.userPrincipalName ? byUpn.get(lower(o.userPrincipalName)) : undefined;
    const soft = bySmtpMatch ?? byUpnMatch;
    if (!soft) {
      say('NOT_IN_SCOPE_NO_CLOUD_USER', `No cloud user has its anchor ${anchorText}, UPN or primary SMTP address: when in the sync scope, Connect creates a new cloud user for it.`);
      continue;
    }
    referenced.add(soft.id);
    if (byUpnMatch && byUpnMatch !== soft) referenced.add(byUpnMatch.id);
    const via = bySmtpMatch ? `primary SMTP address ${adSmtp}` : 'userPrincipalName';
    const quarantine = `Connect creates a second cloud user for this AD object, with the clashing UPN/address quarantined (e.g. ${localPart(o.userPrincipalName ?? soft.userPrincipalName)}1234@<tenant>.onmicrosoft.com)`;
    if (soft.onPremisesImmutableId && soft.onPremisesImmutableId.trim() !== '') {
      const stamp =
        mode === 'ms-DS-ConsistencyGuid' && isGuidImmutableId(soft.onPremisesImmutableId)
          ? `stamp mS-DS-ConsistencyGuid = ${soft.onPremisesImmutableId} (base64) on the AD object (what entra2ad plan --recover does when it creates it)`
          : 'recreate the AD object with the anchor the cloud expects';
      const write = isCloudManaged(soft) ? `write ${anchor?.value ?? 'its anchor'} as the cloud user's onPremisesImmutableId (entra2ad apply adopts this AD user), or ` : '';
      say(
        'DUPLICATE_IMMUTABLE_ID_DIFFERS',
        `Cloud user ${soft.userPrincipalName} (same ${via}) already has onPremisesImmutableId ${soft.onPremisesImmutableId}, but Connect computes ${anchorText} for this ` +
          `AD object. A cloud user with an immutableId is only hard-matched, never soft-matched, so ${quarantine}. Before the sync: ${write}${stamp}, ` +
          `or take the AD object out of the sync scope.`,
        soft,
      );
      continue;
    }
    if (soft.onPremisesSyncEnabled === true) {
      say(
        'DUPLICATE_ALREADY_SYNCED',
        `Cloud user ${soft.userPrincipalName} (same ${via}) is synced from another AD object already, so it is not soft-matched: ${quarantine}. Take this AD object out of the sync scope.`,
        soft,
      );
      continue;
    }
    if (featureOn(guards, FEATURE_SOFT_MATCH_BLOCK) === true) {
      say(
        'DUPLICATE_SOFT_MATCH_BLOCKED',
        `Cloud user ${soft.userPrincipalName} has no immutableId, so only a soft match (by ${via}) could link them, and the tenant blocks soft match ` +
          `(${FEATURE_SOFT_MATCH_BLOCK}): ${quarantine}. Before the sync: let entra2ad write the anchor (apply adopts this AD user: a hard match), or turn soft match on for the window.`,
        soft,
      );
      continue;
    }
    if (!bySmtpMatch && featureOn(guards, FEATURE_SOFT_MATCH_ON_UPN) === false) {
      say(
        'DUPLICATE_UPN_SOFT_MATCH_OFF',
        `Cloud user ${soft.userPrincipalName} matches only by userPrincipalName and soft match on UPN is off (${FEATURE_SOFT_MATCH_ON_UPN} false): ${quarantine}. ` +
          `Before the sync: let entra2ad write the anchor (apply adopts this AD user), or give both the same primary SMTP address.`,
        soft,
      );
      continue;
    }
    const roles = guards ? privilegedRolesOf(soft, guards) : undefined;
    if (roles && isCloudManaged(soft)) {
      say('BLOCKED_PRIVILEGED_ROLE', privilegedRoleMessage(roles, 'soft'), soft);
      continue;
    }
    const identifier = objectIdentifierOf(soft, guards);
    // The tenant's bypass (allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled read true) lifts the July 2026 block.
    if (identifier !== null && guidKey(identifier) !== guidKey(o.objectGuid) && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) !== true) {
      say('BLOCKED_PREVIOUSLY_SYNCED_OBJECT', remapMessage(soft, identifier, o), soft);
      continue;
    }
    claimedBy.set(soft.id, o.dn);
    say(
      bySmtpMatch ? 'SOFT_MATCH_SMTP' : 'SOFT_MATCH_UPN',
      `Cloud user ${soft.userPrincipalName} has no immutableId: Connect soft-matches it by ${via} and writes the anchor ${anchorText} as its onPremisesImmutableId.`,
      soft,
    );
  }

  const only = input.onlyCloudIds ? new Set([...input.onlyCloudIds].map((id) => id.toLowerCase())) : undefined;
  const kept = only ? predictions.filter((p) => p.cloudId !== undefined && only.has(p.cloudId.toLowerCase())) : predictions;

  if (input.reportUnmatchedCloudUsers || only) {
    for (const u of input.cloudUsers) {
      if (referenced.has(u.id) || isGuest(u)) continue;
      if (only && !only.has(u.id.toLowerCase())) continue;
      const row = { userPrincipalName: u.userPrincipalName, cloudId: u.id, cloudUserPrincipalName: u.userPrincipalName, cloudImmutableId: u.onPremisesImmutableId ?? null };
      if (u.onPremisesSyncEnabled === true) {
        kept.push({
          kind: 'not-in-scope',
          reason: 'NOT_IN_SCOPE_SYNCED_NO_AD_OBJECT',
          message:
            `The cloud says it is synced (onPremisesImmutableId ${u.onPremisesImmutableId ?? 'empty'}) but no AD object read carries that anchor: ` +
            'if its AD object was lost, recreate it with entra2ad plan/apply --recover (see "Recovery after losing the AD server").',
          ...row,
        });
      } else {
        kept.push({
          kind: 'not-in-scope',
          reason: 'NOT_IN_SCOPE_NO_AD_OBJECT',
          message: 'Cloud-managed user with no AD object in what was read (anchor, UPN or primary SMTP address): the sync leaves it alone.',
          ...row,
        });
      }
    }
  }

  kept.sort((a, b) => (lower(a.userPrincipalName) < lower(b.userPrincipalName) ? -1 : lower(a.userPrincipalName) > lower(b.userPrincipalName) ? 1 : 0));
  const summary = emptySummary();
  for (const p of kept) summary[p.kind]++;
  return { sourceAnchor: mode, predictions: kept, summary };
}

function remapMessage(user: GraphUser, identifier: string, o: DirectoryObject): string {
  return (
    `Cloud user ${user.userPrincipalName} has onPremisesObjectIdentifier ${identifier}, which is not this AD object's objectGUID ${o.objectGuid}: ` +
    'since July 2026 Entra ID refuses to map it to a different AD object ("Hard match operation blocked due to security hardening. Review ' +
    'OnPremisesObjectIdentifier mapping."). Restore the original AD object, or clear the mapping before the sync: for users recovered by ' +
    'entra2ad, `entra2ad apply --plan RUN/plan.json --clear-object-identifier` (it clears each one only after reading its new AD object back); ' +
    'otherwise Graph beta PATCH /users/{id} onPremisesObjectIdentifier null, permission User-OnPremisesSyncBehavior.ReadWrite.All, ' +
    'https://learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes. It cannot be undone.'
  );
}

function localPart(upn: string): string {
  const at = upn.lastIndexOf('@');
  return at < 0 ? upn : upn.slice(0, at);
}

/** Why a hard match found by anchor would still be refused, if it would. */
function hardMatchBlock(
  user: GraphUser,
  o: DirectoryObject,
  guards: PreparedGuards | undefined,
): { reason: Extract<VerifyReason, `BLOCKED_${string}`>; message: string } | undefined {
  if (guards && isCloudManaged(user)) {
    if (featureOn(guards, FEATURE_TAKEOVER_BLOCK) === true) {
      return {
        reason: 'BLOCKED_TAKEOVER_DISABLED',
        message:
          `The tenant blocks cloud object takeover through hard match (${FEATURE_TAKEOVER_BLOCK} = true): Connect answers InvalidHardMatch for ` +
          `${user.userPrincipalName} and the AD object stays unmatched. Turn it off for the matching window (entra2ad preflight prints the command), then sync.`,
      };
    }
    const roles = privilegedRolesOf(user, guards);
    if (roles) return { reason: 'BLOCKED_PRIVILEGED_ROLE', message: privilegedRoleMessage(roles) };
  }
  const identifier = objectIdentifierOf(user, guards);
  // The tenant's bypass (allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled read true) lifts the July 2026 block.
  if (identifier !== null && guidKey(identifier) !== guidKey(o.objectGuid) && featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) !== true) {
    return { reason: 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', message: remapMessage(user, identifier, o) };
  }
  // Source of authority in the cloud: "updates from on-premises Active Directory are blocked in the cloud".
  if (sourceOfAuthorityCloud(user, guards) === true) return { reason: 'BLOCKED_CLOUD_MANAGED', message: cloudManagedMessage(user.userPrincipalName) };
  return undefined;
}
