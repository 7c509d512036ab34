/**
 * What one user comes to before names are handed out (pure): a final entry (adopt,
 * skip or blocked, with its reason) or a user to create, with what creating it needs
 * to know (recovery anchor, proxy addresses, aliases left out, warnings, the old
 * identity kept). The rules, in order: a valid cloud user, once in the input; selected
 * (src/plan/select.ts); not stopped by a tenant guard (src/plan/guards.ts); then what
 * the directory holds (src/plan/directory-index.ts).
 *
 * Directory rules (only when a snapshot is given; else `directoryChecked: false` and
 * names are unique only within the plan):
 * - UPN already on an AD object:
 *   - a user (objectClass user, not computer), in ANY OU -> `adopt`
 *     (ADOPT_EXISTING_UPN): nothing is created; apply writes the object's anchor
 *     (mS-DS-ConsistencyGuid if set, else objectGUID) as onPremisesImmutableId.
 *     UPNs are forest-unique, so an AD user with the same UPN is the same person
 *     for Connect too: creating another is impossible, ignoring it would make Connect
 *     soft-match it anyway.
 *   - on the recovery path: adopt only when its mS-DS-ConsistencyGuid already equals
 *     the cloud immutableId (ADOPT_ALREADY_RECOVERED), else BLOCKED_RECOVER_UPN_IN_USE
 *     (we do not rewrite an existing object's anchor).
 *   - not a user (contact, computer, group, inetOrgPerson-less objects) ->
 *     BLOCKED_UPN_IN_USE_BY_NON_USER.
 * - the primary SMTP address on ANOTHER AD object's mail or proxyAddresses ->
 *   BLOCKED_PROXY_ADDRESS_IN_USE (Connect would report a duplicate attribute /
 *   InvalidSoftMatch). A secondary (smtp:) alias in use elsewhere is left out with a
 *   warning instead.
 * - sAMAccountName and CN: src/plan/names/allocate.ts, after the decision.
 */
import { guidToImmutableId, immutableIdToBytes } from '../anchor/index.js';
import type { GraphUser } from '../graph/user.js';
import { rdnValue } from '../directory/dn.js';
import { protectionOf } from '../directory/protection.js';
import type { DirectoryObject } from '../directory/types.js';
import { isDisabled } from '../directory/uac.js';
import { baseEntry } from './base-entry.js';
import { isUserObject } from './directory-index.js';
import { cloudManagedMessage, guardUser, sourceOfAuthorityCloud } from './guards.js';
import { plannedMailAttributes } from './mailbox-entry.js';
import type { PlanningContext } from './planning-context.js';
import { normaliseProxyAddresses, smtpAddressKey } from './proxy-addresses.js';
import { RecoveryNamer, type PlannedIdentity } from './recovery-names.js';
import { selectUser } from './select.js';
import type { PlanEntry, PlanWarning } from './types.js';
import { validateUser } from './validate-user.js';

/** What one user comes to before names are handed out. */
export type Decision =
  | { kind: 'final'; entry: PlanEntry }
  | {
      kind: 'create';
      recover: string | undefined;
      proxies: string[];
      dropAliases: Set<string>;
      warnings: PlanWarning[];
      /** Recovery in place (placement old-ou): the old names and place, as far as they are kept. */
      identity?: PlannedIdentity;
    };

/**
 * A fresh decision function: it remembers the ids and UPNs it has seen
 * (BLOCKED_DUPLICATE_INPUT) and the old names recovered users claimed, so feed it the
 * users in planning order, each once.
 * `full`: also what an adopted or re-run object should carry of the mailbox (pass 2
 * only; pass 1 needs the decision alone).
 */
export function userDecider(planning: PlanningContext, full: boolean): (user: GraphUser) => Decision {
  const { settings, index, guards } = planning;
  const recoverInPlace = settings.recovery.placement === 'old-ou';
  const seenIds = new Set<string>();
  const seenUpns = new Set<string>();
  const final = (entry: PlanEntry): Decision => ({ kind: 'final', entry });
  const namer = new RecoveryNamer(
    {
      samHolder: (sam) => index?.bySam(sam)?.dn,
      dnHolder: (dn) => index?.dnHolder(dn),
    },
    planning.targetDomainDn,
    settings.recovery,
  );
  return (user) => {
    const problems = validateUser(user);
    if (problems.length > 0) {
      return final(
        baseEntry(user, 'BLOCKED_INVALID_USER', `Cannot be planned: ${problems.map((p) => p.message).join('; ')}. Fix the cloud user and plan again.`),
      );
    }
    const idKey = user.id.toLowerCase();
    const upnKey = user.userPrincipalName.toLowerCase();
    if (seenIds.has(idKey) || seenUpns.has(upnKey)) {
      return final(
        baseEntry(
          user,
          'BLOCKED_DUPLICATE_INPUT',
          `Another input user has the same ${seenIds.has(idKey) ? 'id' : 'UPN'}; the first one is planned, this one is not. Check the input snapshot.`,
        ),
      );
    }
    seenIds.add(idKey);
    seenUpns.add(upnKey);

    const selection = selectUser(user, planning.scope);
    if (!selection.selected) {
      const skipped = baseEntry(user, selection.reason, selection.message);
      if (full && selection.reason === 'SKIP_HAS_IMMUTABLE_ID') restamp(planning, user, skipped);
      return final(skipped);
    }
    if (guards) {
      const block = guardUser(user, selection.path, guards);
      if (block) return final(baseEntry(user, block.reason, block.message));
    }

    const warnings: PlanWarning[] = [];
    const recover = selection.path === 'recover' ? selection.consistencyGuid : undefined;
    if (recover !== undefined && sourceOfAuthorityCloud(user, guards) === true) {
      // Source of authority switched to the cloud: nothing is written for it unless the admin says so.
      if (settings.recovery.cloudManaged !== 'recover') {
        return final(baseEntry(user, 'BLOCKED_RECOVER_CLOUD_MANAGED', `${cloudManagedMessage(user.userPrincipalName)} To recreate its AD object anyway, plan with --recover-cloud-managed (plan.recover.cloudManaged: "recover").`));
      }
      warnings.push({ code: 'WARN_RECOVER_CLOUD_MANAGED', message: cloudManagedMessage(user.userPrincipalName) });
    }
    const proxies = normaliseProxyAddresses(user.proxyAddresses ?? [], user.mail);
    const dropAliases = new Set<string>();

    if (index) {
      const existing = index.byUpn(upnKey);
      if (existing) {
        if (!isUserObject(existing)) {
          return final(
            baseEntry(
              user,
              'BLOCKED_UPN_IN_USE_BY_NON_USER',
              `The UPN is already used by ${existing.dn} (objectClass ${existing.objectClass.join(', ')}), which is not a user; change the UPN on that object or in the cloud, then plan again.`,
            ),
          );
        }
        if (recover !== undefined) {
          // Connect's anchor for it: mS-DS-ConsistencyGuid, or objectGUID when that is empty.
          const existingAnchor = anchorOf(existing);
          if (!(existingAnchor && sameBase64Guid(existingAnchor, recover))) {
            return final(
              baseEntry(
                user,
                'BLOCKED_RECOVER_UPN_IN_USE',
                `AD user ${existing.dn} already has this UPN but not the cloud user's anchor; if it is the same person set its mS-DS-ConsistencyGuid to ${recover} (base64) by hand, else free the UPN, then plan again.`,
              ),
            );
          }
        }
      }
      // primary SMTP on another object (not the one we adopt)
      const primary = proxies.find((p) => p.startsWith('SMTP:'));
      const primaryKey = primary ? smtpAddressKey(primary) : null;
      if (primaryKey) {
        const holder = index.smtpHolders(primaryKey).find((o) => o !== existing);
        if (holder) {
          return final(
            baseEntry(
              user,
              'BLOCKED_PROXY_ADDRESS_IN_USE',
              `The primary SMTP address ${primary!.slice(5)} is already on ${holder.dn}; Entra Connect would report a duplicate (InvalidSoftMatch). Remove it from that object, then plan again.`,
            ),
          );
        }
      }
      if (existing && recover === undefined) {
        // A protected account (adminCount, Domain Admins and the other AdminSDHolder groups) adopted
        // would let the cloud user's holder sign in as it after the next sync: only by explicit allow.
        const protection = protectionOf(existing);
        if (protection.length > 0 && !planning.adoptProtectedUpns.has(upnKey)) {
          return final(
            baseEntry(
              user,
              'BLOCKED_PROTECTED_ACCOUNT',
              `AD user ${existing.dn} has this UPN but is a protected account (${protection.join('; ')}); adopting it would let this cloud user sign in as it. ` +
                'If that is intended, add the UPN to plan.adoptProtectedUpns in the config and plan again; else change the UPN on one side.',
            ),
          );
        }
        if (protection.length > 0)
          warnings.push({ code: 'WARN_ADOPT_PROTECTED_ACCOUNT', message: `${existing.dn} is a protected account (${protection.join('; ')}); adopted because plan.adoptProtectedUpns names this user` });
      }
      if (existing) {
        const e = baseEntry(
          user,
          recover !== undefined ? 'ADOPT_ALREADY_RECOVERED' : 'ADOPT_EXISTING_UPN',
          recover !== undefined
            ? `AD user ${existing.dn} already carries this user's anchor (mS-DS-ConsistencyGuid, or objectGUID when that is empty); nothing to create or write.`
            : `AD user ${existing.dn} already has this UPN; it is adopted (no AD change) and its anchor is written as onPremisesImmutableId.`,
        );
        if (existing.sAMAccountName) e.sAMAccountName = existing.sAMAccountName;
        try {
          e.cn = rdnValue(existing.dn);
        } catch {
          /* leave cn out when the snapshot's DN does not parse */
        }
        e.dn = existing.dn;
        e.existingObjectGuid = existing.objectGuid;
        const anchor = recover ?? anchorOf(existing);
        if (anchor) e.plannedImmutableId = anchor;
        if (existing.userAccountControl !== undefined && isDisabled(existing.userAccountControl))
          warnings.push({ code: 'WARN_ADOPT_DISABLED_ACCOUNT', message: `${existing.dn} is disabled in AD` });
        if (full && recover === undefined) {
          // What the adopted object should carry of the mailbox; apply stamps only what it lacks (decideStamp).
          const { exchange, planned } = plannedMailAttributes(planning, user, warnings);
          e.exchange = exchange;
          if (Object.keys(planned).length) {
            e.exchange.planned = planned;
            e.message += ` Of its mail attributes (${Object.keys(planned).join(', ')}) apply adds only those it lacks; a different value is reported, never replaced.`;
          }
        }
        if (warnings.length) e.warnings = warnings;
        return final(e);
      }
      // secondary aliases elsewhere: leave them out
      for (const p of proxies) {
        const k = smtpAddressKey(p);
        if (!k || p.startsWith('SMTP:')) continue;
        const holder = index.smtpHolders(k)[0];
        if (holder) {
          dropAliases.add(p);
          warnings.push({
            code: 'WARN_PROXY_ALIAS_IN_USE',
            field: 'proxyAddresses',
            message: `alias ${p.slice(5)} is already on ${holder.dn}; left out`,
          });
        }
      }
    }
    if (recover !== undefined && recoverInPlace) {
      const naming = namer.name(user);
      if (!naming.ok) return final(baseEntry(user, naming.reason, naming.message));
      return { kind: 'create', recover, proxies, dropAliases, warnings, identity: naming.identity };
    }
    return { kind: 'create', recover, proxies, dropAliases, warnings };
  };
}

/**
 * A re-run: the user already carries the anchor of the AD user with its UPN (an object
 * an earlier run created or adopted). Its mailbox values are planned so apply stamps
 * what the object lacks (src/apply/stamp-pass.ts), e.g. after the schema was extended.
 */
function restamp(planning: PlanningContext, user: GraphUser, e: PlanEntry): void {
  const existing = planning.index?.byUpn(user.userPrincipalName);
  const immutableId = user.onPremisesImmutableId;
  if (!existing || !isUserObject(existing) || !immutableId) return;
  const anchor = anchorOf(existing);
  if (!anchor || !sameBase64Guid(anchor, immutableId)) return;
  const warnings: PlanWarning[] = [];
  const { exchange, planned } = plannedMailAttributes(planning, user, warnings);
  if (Object.keys(planned).length === 0) return;
  e.dn = existing.dn;
  e.existingObjectGuid = existing.objectGuid;
  e.exchange = { ...exchange, planned };
  if (warnings.length) e.warnings = warnings;
}

/** Both base64 immutableIds decode to the same bytes (spellings differ: padding, GUID re-encoding). */
function sameBase64Guid(a: string, b: string): boolean {
  try {
    return immutableIdToBytes(a).equals(immutableIdToBytes(b));
  } catch {
    return false;
  }
}

/** Connect's source anchor of an AD object, base64: mS-DS-ConsistencyGuid, or objectGUID when that is empty. */
function anchorOf(o: DirectoryObject): string | undefined {
  if (o.consistencyGuid) return o.consistencyGuid;
  try {
    return guidToImmutableId(o.objectGuid);
  } catch {
    return undefined;
  }
}
