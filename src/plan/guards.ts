/**
 * Guards: what Microsoft Entra ID refuses at the first sync, decided before
 * anything is written (pure; the tenant is read by src/inputs/read-inputs.ts).
 *
 * Per user (the entry becomes `blocked`, the message says why and the fix):
 * - BLOCKED_PRIVILEGED_ROLE: the cloud user holds, or is PIM-eligible for, a
 *   privileged Entra role. Entra ID refuses to hard-match a cloud-managed user
 *   that holds an Entra role (InvalidHardMatch; Connect Health reports
 *   "Existing Admin Role Conflict"), enforced from June 2026.
 * - BLOCKED_PREVIOUSLY_SYNCED_OBJECT: the cloud user has onPremisesObjectIdentifier
 *   (it was synced from some AD object before). From July 2026 Entra ID refuses to
 *   map it to a different AD object ("Hard match operation blocked due to security
 *   hardening. Review OnPremisesObjectIdentifier mapping."). The recovery path
 *   (recover + a GUID immutableId) is not blocked here: it recreates THE object the
 *   cloud user belongs to, and carries WARN_HARD_MATCH_MAY_BE_BLOCKED instead.
 * - BLOCKED_SENSITIVE_ADMIN_ROLE / BLOCKED_ROLE_ASSIGNABLE_GROUP / BLOCKED_RESTRICTED_ADMIN_UNIT:
 *   onPremisesImmutableId is a sensitive property; the writing app (User.ReadWrite.All,
 *   no Entra role unless `writerRoleTemplateIds` says so) may not change it for an
 *   administrator, a member or owner of a role-assignable group, or a member of a
 *   restricted management administrative unit (Microsoft's "Who can perform sensitive
 *   actions" table, src/graph/sensitive-actions.ts): Graph would answer 403 after the
 *   AD account was made. The recovery path writes nothing to the cloud, so it is not blocked.
 * - BLOCKED_FEDERATED_DOMAIN: the UPN is in a federated domain, where Graph only
 *   accepts onPremisesImmutableId at creation. The recovery path writes nothing to
 *   the cloud, so it is not blocked.
 *
 * A cloud user still synced (onPremisesSyncEnabled true, the DC-loss population)
 * is not "cloud-managed": the role and takeover blocks concern cloud-managed users
 * only (Set-MsolDirSyncFeature: "that object in Azure AD doesn't have DirSyncEnabled
 * set to true"), so they do not apply to its recovery.
 *
 * Tenant level (Plan.tenantFindings):
 * - blockCloudObjectTakeoverThroughHardMatchEnabled true and at least one
 *   cloud-managed user to anchor -> STOP: apply refuses before any write.
 * - blockSoftMatchEnabled -> a note (entra2ad relies on hard match only).
 * - features unreadable (403 for app-only callers) -> a warning, not a crash.
 * - password hash sync on -> a warning: the on-prem password replaces the cloud one.
 *
 * Sources: learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant,
 * learn.microsoft.com/entra/identity/hybrid/connect/tshoot-connect-sync-errors,
 * learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes,
 * learn.microsoft.com/powershell/module/msonline/set-msoldirsyncfeature,
 * learn.microsoft.com/education/windows/federated-sign-in (federated immutableId change).
 */
import type { GraphUser } from '../graph/user.js';
import { sensitiveWriteRefusal } from '../graph/sensitive-actions.js';
import { getsAdObject, TENANT_FINDINGS, type ReasonCode, type TenantFindingCode } from './reasons.js';
import type { PlanEntry, TenantFinding } from './types.js';

/** One cloud user's privileged roles, as read from role assignments and PIM eligibilities. */
export interface PrivilegedRoles {
  /** Display names of the privileged roles held, active or eligible. */
  roles: readonly string[];
  /** True when at least one of them is a PIM eligibility. */
  eligible: boolean;
  /** True when at least one is actively assigned (absent: unknown, treated as active). */
  active?: boolean;
}

export type TenantSyncFeatures =
  | { known: false; reason?: string; message?: string }
  | {
      known: true;
      features: Readonly<Record<string, boolean>>;
      /** The onPremisesDirectorySynchronization object's id, named in the fix. */
      id?: string;
    };

/** What the tenant says, as the guards need it. */
export interface TenantGuards {
  /** Cloud object id -> privileged roles (active or PIM-eligible). Ids compare case-insensitively. */
  privileged: ReadonlyMap<string, PrivilegedRoles>;
  /** Federated domain names (any case); a UPN in a subdomain of one is federated too. */
  federatedDomains: ReadonlySet<string>;
  syncFeatures: TenantSyncFeatures;
  /**
   * Cloud object id -> onPremisesObjectIdentifier (null: read, not set), from the
   * /beta listing. A user missing from a given map is UNKNOWN, never "not set".
   * Absent (and no `objectIdentifiersUnknown`): planned offline, the user's own
   * property (a snapshot's) decides.
   */
  objectIdentifiers?: ReadonlyMap<string, string | null>;
  /** Why the identifiers could not be read at all: every user's is unknown. */
  objectIdentifiersUnknown?: string;
  /**
   * Cloud object id -> onPremisesSyncBehavior.isCloudManaged, read (Graph beta) for the
   * users a recovery concerns. Absent, or a user missing from it: not known.
   */
  cloudManaged?: ReadonlyMap<string, boolean>;
  /**
   * The admin's explicit choice (`--allow-unknown-object-identifier`, config
   * `plan.allowUnknownObjectIdentifier`): a user whose identifier is unknown is
   * planned with WARN_OBJECT_IDENTIFIER_UNKNOWN instead of BLOCKED_OBJECT_IDENTIFIER_UNKNOWN.
   */
  allowUnknownObjectIdentifier?: boolean;
  /** The tenant's initial domain (contoso.onmicrosoft.com), named in the federated-domain fix. */
  initialDomain?: string;
  /** What could not be read completely, one sentence each; reported as WARN_GUARDS_INCOMPLETE. */
  gaps?: readonly string[];
  /**
   * Cloud object id -> what makes a write of its onPremisesImmutableId a sensitive
   * action (active roles, role-assignable groups, restricted administrative units).
   * Absent: not read (planned without the sensitive-write guard).
   */
  sensitive?: ReadonlyMap<string, SensitiveTargetInfo>;
  /** Entra role template ids the writing app's service principal holds; absent: none (User.ReadWrite.All only). */
  writerRoleTemplateIds?: readonly string[];
}

/** One user's rows in "Who can perform sensitive actions", as read from the tenant. */
export interface SensitiveTargetInfo {
  /** Template ids of the Entra roles held actively (direct or through a group). */
  roleTemplateIds: readonly string[];
  /** Their display names, for the message. */
  roleNames: readonly string[];
  /** Role-assignable groups the user is a member or owner of (display names). */
  roleAssignableGroups: readonly string[];
  /** Restricted management administrative units holding the user (display names). */
  restrictedAdministrativeUnits: readonly string[];
}

/** TenantGuards indexed once per plan (lower-case keys). */
export interface PreparedGuards {
  readonly source: TenantGuards;
  readonly privileged: ReadonlyMap<string, PrivilegedRoles>;
  readonly federated: ReadonlySet<string>;
  readonly objectIdentifiers: ReadonlyMap<string, string | null> | undefined;
  readonly sensitive: ReadonlyMap<string, SensitiveTargetInfo> | undefined;
  readonly writerRoles: ReadonlySet<string>;
  readonly cloudManaged?: ReadonlyMap<string, boolean> | undefined;
}

export function prepareGuards(guards: TenantGuards | PreparedGuards): PreparedGuards {
  if ('source' in guards) return guards;
  const lowerKeys = <V>(m: ReadonlyMap<string, V>) => new Map([...m].map(([k, v]) => [k.toLowerCase(), v] as [string, V]));
  return {
    source: guards,
    privileged: lowerKeys(guards.privileged),
    federated: new Set([...guards.federatedDomains].map((d) => d.toLowerCase())),
    objectIdentifiers: guards.objectIdentifiers ? lowerKeys(guards.objectIdentifiers) : undefined,
    cloudManaged: guards.cloudManaged ? lowerKeys(guards.cloudManaged) : undefined,
    sensitive: guards.sensitive ? lowerKeys(guards.sensitive) : undefined,
    writerRoles: new Set((guards.writerRoleTemplateIds ?? []).map((r) => r.toLowerCase())),
  };
}

/** Where the feature flag names are documented: onPremisesDirectorySynchronizationFeature (Graph v1.0). */
export const FEATURE_TAKEOVER_BLOCK = 'blockCloudObjectTakeoverThroughHardMatchEnabled';
export const FEATURE_SOFT_MATCH_BLOCK = 'blockSoftMatchEnabled';
export const FEATURE_SOFT_MATCH_ON_UPN = 'softMatchOnUpnEnabled';
/**
 * The tenant's temporary bypass of the July 2026 block (a hard match onto a user whose
 * onPremisesObjectIdentifier is set): onPremisesDirectorySynchronizationFeature in
 * Graph v1.0 (microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl). Only `true` read
 * from the tenant counts: unknown features never lift the block.
 */
export const FEATURE_OBJECT_IDENTIFIER_BYPASS = 'allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled';
/** Graph's name is passwordSyncEnabled; `passwordSync` is the MSOnline feature name, accepted too. */
export const FEATURES_PASSWORD_SYNC = ['passwordSyncEnabled', 'passwordSync'] as const;

export function featureOn(guards: PreparedGuards | TenantGuards | undefined, name: string): boolean | undefined {
  if (!guards) return undefined;
  const features = ('source' in guards ? guards.source : guards).syncFeatures;
  if (!features.known) return undefined;
  const value = features.features[name];
  return typeof value === 'boolean' ? value : undefined;
}

/** True unless Entra Connect manages the user (onPremisesSyncEnabled true). */
export function isCloudManaged(user: Pick<GraphUser, 'onPremisesSyncEnabled'>): boolean {
  return user.onPremisesSyncEnabled !== true;
}

export function privilegedRolesOf(user: Pick<GraphUser, 'id'>, guards: PreparedGuards): PrivilegedRoles | undefined {
  return typeof user.id === 'string' ? guards.privileged.get(user.id.toLowerCase()) : undefined;
}

/**
 * onPremisesSyncBehavior.isCloudManaged as read (undefined: not read). True: the user's
 * source of authority was switched to the cloud; "updates from on-premises Active
 * Directory are blocked in the cloud" (learn.microsoft.com/graph/api/resources/onpremisessyncbehavior).
 */
export function sourceOfAuthorityCloud(user: Pick<GraphUser, 'id'>, guards: PreparedGuards | TenantGuards | undefined): boolean | undefined {
  if (!guards || typeof user.id !== 'string') return undefined;
  return prepareGuards(guards).cloudManaged?.get(user.id.toLowerCase());
}

/** What happens to a cloud-managed user and how to hand it back to AD (plan and verify say it). */
export function cloudManagedMessage(userPrincipalName: string): string {
  return (
    `${userPrincipalName} is cloud-managed (onPremisesSyncBehavior.isCloudManaged true): Entra ID blocks updates from on-premises AD for it, ` +
    'so a recreated AD object does not take it over and changes made in AD do not flow to the cloud. To hand it back to AD: Graph beta ' +
    'PATCH /users/{id}/onPremisesSyncBehavior {"isCloudManaged": false} (User-OnPremisesSyncBehavior.ReadWrite.All; delegated: Hybrid Administrator; ' +
    'https://learn.microsoft.com/entra/identity/hybrid/how-to-user-source-of-authority-configure), then plan again.'
  );
}

/** A user's onPremisesObjectIdentifier as far as the tenant was read: set, not set, or unknown. */
export type ObjectIdentifierState = { kind: 'set'; value: string } | { kind: 'not-set' } | { kind: 'unknown'; why: string };

const trimmed = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * Tri-state: read from the /beta listing when the tenant was read (absent from
 * it = unknown), else (planned offline) the property on the user, as snapshots carry it.
 */
export function objectIdentifierStateOf(user: Pick<GraphUser, 'id' | 'onPremisesObjectIdentifier'>, guards: PreparedGuards | undefined): ObjectIdentifierState {
  const why = guards?.source.objectIdentifiersUnknown;
  if (why !== undefined) return { kind: 'unknown', why };
  if (guards?.objectIdentifiers) {
    const read = typeof user.id === 'string' ? guards.objectIdentifiers.get(user.id.toLowerCase()) : undefined;
    if (read === undefined) return { kind: 'unknown', why: 'the /beta/users listing did not return this user' };
    const value = trimmed(read);
    return value === null ? { kind: 'not-set' } : { kind: 'set', value };
  }
  const own = trimmed(user.onPremisesObjectIdentifier);
  return own === null ? { kind: 'not-set' } : { kind: 'set', value: own };
}

/** The identifier when it is known to be set, else null (not set or unknown). */
export function objectIdentifierOf(user: Pick<GraphUser, 'id' | 'onPremisesObjectIdentifier'>, guards: PreparedGuards | undefined): string | null {
  const state = objectIdentifierStateOf(user, guards);
  return state.kind === 'set' ? state.value : null;
}

/** The federated domain the UPN is in (its domain or a parent of it), or undefined. */
export function federatedDomainOf(userPrincipalName: string, guards: PreparedGuards): string | undefined {
  let domain = userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1).toLowerCase();
  while (domain.includes('.')) {
    if (guards.federated.has(domain)) return domain;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return undefined;
}

export type GuardReason = Extract<
  ReasonCode,
  | 'BLOCKED_PRIVILEGED_ROLE'
  | 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT'
  | 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN'
  | 'BLOCKED_FEDERATED_DOMAIN'
  | 'BLOCKED_SENSITIVE_ADMIN_ROLE'
  | 'BLOCKED_ROLE_ASSIGNABLE_GROUP'
  | 'BLOCKED_RESTRICTED_ADMIN_UNIT'
>;

export interface GuardBlock {
  reason: GuardReason;
  message: string;
}

/** `create` covers create and adopt (both end in a Graph immutableId write); `recover` writes nothing to the cloud. */
export type GuardPath = 'create' | 'recover';

const LEARN = 'https://learn.microsoft.com';

export function privilegedRoleMessage(roles: PrivilegedRoles, what: 'hard' | 'soft' = 'hard'): string {
  const how = roles.eligible && roles.active === false ? 'PIM-eligible' : roles.eligible ? 'active and PIM-eligible' : 'active';
  return (
    `Holds the privileged Entra role(s) ${roles.roles.join(', ') || '(unnamed)'} (${how}). Entra ID refuses to ${what}-match a cloud-managed user ` +
    `that holds an Entra role (InvalidHardMatch; Connect Health shows "Existing Admin Role Conflict"), so the first sync would not take this user over. ` +
    `Runbook: remove the role assignment${roles.eligible ? ' and the PIM eligibility' : ''} (keep another administrator), plan and apply again, ` +
    `let Entra Connect match the user, then assign the role again. ` +
    `(${LEARN}/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant; ${LEARN}/entra/identity/hybrid/connect/tshoot-connect-sync-errors#existing-admin-role-conflict)`
  );
}

export function previouslySyncedMessage(identifier: string): string {
  return (
    `Has onPremisesObjectIdentifier ${identifier}: it was synced from an AD object before. Since July 2026 Entra ID refuses to map it to a ` +
    `different AD object ("Hard match operation blocked due to security hardening. Review OnPremisesObjectIdentifier mapping."). ` +
    `Restore the original AD object (AD Recycle Bin, backup), or clear onPremisesObjectIdentifier (Graph beta PATCH /users/{id}, permission ` +
    `User-OnPremisesSyncBehavior.ReadWrite.All; ${LEARN}/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes), then plan again. ` +
    `After losing the DC, plan with --recover instead.`
  );
}

export function objectIdentifierUnknownMessage(why: string): string {
  return (
    `Whether this user has onPremisesObjectIdentifier is unknown (${why}). If it is set, Entra ID refuses the hard match since July 2026 ` +
    `and the new AD account would stay unmatched. Fix: let the app read GET /beta/users?$select=id,onPremisesObjectIdentifier ` +
    `(User.Read.All) and plan again; or check the user yourself (Graph Explorer or Get-MgBetaUser -Property onPremisesObjectIdentifier) ` +
    `and plan with --allow-unknown-object-identifier (config plan.allowUnknownObjectIdentifier: true) to create such users anyway.`
  );
}

const SENSITIVE_DOCS =
  `${LEARN}/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-perform-sensitive-actions; ${LEARN}/graph/api/user-update`;

/**
 * Whether the writing app may change this user's onPremisesImmutableId (a sensitive
 * property), and if not, the reason and the fix. Undefined when allowed or not read.
 */
export function sensitiveWriteBlock(user: Pick<GraphUser, 'id'>, guards: PreparedGuards): GuardBlock | undefined {
  const info = typeof user.id === 'string' ? guards.sensitive?.get(user.id.toLowerCase()) : undefined;
  if (info === undefined) return undefined;
  const refusal = sensitiveWriteRefusal(guards.writerRoles, {
    roleTemplateIds: info.roleTemplateIds,
    roleAssignableGroup: info.roleAssignableGroups.length > 0,
    restrictedAdministrativeUnit: info.restrictedAdministrativeUnits.length > 0,
  });
  if (refusal === undefined) return undefined;
  const after = 'Graph would answer 403 Authorization_RequestDenied to the anchor write after the AD account was made, so none is made.';
  switch (refusal.why) {
    case 'restricted-administrative-unit':
      return {
        reason: 'BLOCKED_RESTRICTED_ADMIN_UNIT',
        message:
          `Is a member of the restricted management administrative unit(s) ${info.restrictedAdministrativeUnits.join(', ')}: only administrators assigned ` +
          `at that unit's scope may change its members; tenant-wide roles and application permissions (User.ReadWrite.All) may not. ${after} ` +
          `Fix: remove the user from the unit for the run (or have an administrator scoped to the unit set onPremisesImmutableId), plan and apply again, ` +
          `then add the user back. (${LEARN}/entra/identity/role-based-access-control/admin-units-restricted-management)`,
      };
    case 'role-assignable-group':
      return {
        reason: 'BLOCKED_ROLE_ASSIGNABLE_GROUP',
        message:
          `Is a member or owner of the role-assignable group(s) ${info.roleAssignableGroups.join(', ')}: onPremisesImmutableId is a sensitive property, ` +
          `and only a Privileged Authentication Administrator or Global Administrator may change it for such users. ${after} ` +
          `Fix: remove the user from the group(s) for the run and add it back after the match, or assign the app's service principal the ` +
          `Privileged Authentication Administrator role for the run; then plan again. (${SENSITIVE_DOCS})`,
      };
    case 'admin-role':
      return {
        reason: 'BLOCKED_SENSITIVE_ADMIN_ROLE',
        message:
          `Holds the Entra role(s) ${info.roleNames.join(', ') || refusal.roleTemplateId}: onPremisesImmutableId is a sensitive property, and an app with ` +
          `User.ReadWrite.All alone may not change it for users with administrator roles. ${after} ` +
          `Fix: remove the role assignment for the run and assign it again after the match, or assign the app's service principal a role that may act ` +
          `on this user in "Who can perform sensitive actions" (Privileged Authentication Administrator covers every role); then plan again. (${SENSITIVE_DOCS})`,
      };
  }
}

export function federatedDomainMessage(userPrincipalName: string, domain: string, initialDomain: string | undefined): string {
  const local = userPrincipalName.slice(0, userPrincipalName.lastIndexOf('@'));
  const temporary = `${local}@${initialDomain ?? '<tenant>.onmicrosoft.com'}`;
  return (
    `The UPN is in the federated domain ${domain}: Entra ID only takes onPremisesImmutableId for a federated user when it is created, ` +
    `so the anchor write would be refused. Workaround (the documented UPN switch, ${LEARN}/education/windows/federated-sign-in): choose the ` +
    `anchor first - a new GUID, \`entra2ad anchor <guid>\` gives its immutableId -, change the UPN to ${temporary}, set onPremisesImmutableId ` +
    `to that value, change the UPN back; then plan with --recover: the AD user is created with mS-DS-ConsistencyGuid = that id and nothing ` +
    `is written to the cloud (needs Entra Connect's sourceAnchor to be mS-DS-ConsistencyGuid). entra2ad does not do the switch itself ` +
    `(--federated-upn-switch is not implemented).`
  );
}

/**
 * The guard that blocks this user, if any. Checked in this order: privileged role,
 * sensitive write (restricted administrative unit, admin role, role-assignable group), previously synced object (identifier set), identifier unknown (unless the admin
 * allowed it) - both lifted while the tenant's bypass flag
 * allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled reads true -, federated domain (the first that applies decides).
 */
export function guardUser(user: GraphUser, path: GuardPath, guards: PreparedGuards): GuardBlock | undefined {
  const cloudManaged = isCloudManaged(user);
  const roles = privilegedRolesOf(user, guards);
  if (roles && cloudManaged) return { reason: 'BLOCKED_PRIVILEGED_ROLE', message: privilegedRoleMessage(roles) };
  if (path === 'recover') return undefined;
  const sensitive = sensitiveWriteBlock(user, guards);
  if (sensitive) return sensitive;
  const identifier = objectIdentifierStateOf(user, guards);
  const bypass = featureOn(guards, FEATURE_OBJECT_IDENTIFIER_BYPASS) === true;
  if (identifier.kind === 'set' && !bypass) return { reason: 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', message: previouslySyncedMessage(identifier.value) };
  if (identifier.kind === 'unknown' && !bypass && guards.source.allowUnknownObjectIdentifier !== true) {
    return { reason: 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN', message: objectIdentifierUnknownMessage(identifier.why) };
  }
  const domain = federatedDomainOf(user.userPrincipalName, guards);
  if (domain !== undefined) {
    return { reason: 'BLOCKED_FEDERATED_DOMAIN', message: federatedDomainMessage(user.userPrincipalName, domain, guards.source.initialDomain) };
  }
  return undefined;
}

const finding = (code: TenantFindingCode, message: string): TenantFinding => ({ level: TENANT_FINDINGS[code], code, message });

/**
 * Tenant-level findings. `takeoverCandidates`: how many cloud-managed users the plan
 * would anchor (create/adopt); with none, the takeover block is only a note.
 */
export function tenantFindings(guards: TenantGuards | PreparedGuards, takeoverCandidates: number): TenantFinding[] {
  const g = prepareGuards(guards);
  const features = g.source.syncFeatures;
  const out: TenantFinding[] = [];
  if (!features.known) {
    out.push(
      finding(
        'WARN_SYNC_FEATURES_UNKNOWN',
        `The tenant's sync blocks could not be read (GET /directory/onPremisesSynchronization: ${features.reason ?? 'unknown'}${features.message ? `, ${features.message}` : ''}); ` +
          `app-only callers usually get 403. Whether ${FEATURE_TAKEOVER_BLOCK} is on is unknown: a Global Administrator checks it ` +
          `(Get-MgDirectoryOnPremiseSynchronization | Select -Expand Features) before apply, or runs entra2ad preflight signed in delegated.`,
      ),
    );
  } else {
    if (featureOn(g, FEATURE_TAKEOVER_BLOCK) === true) {
      const id = features.id ?? '<id>';
      const fix =
        `A Global Administrator turns it off for the matching window: Update-MgDirectoryOnPremiseSynchronization -OnPremisesDirectorySynchronizationId ${id} ` +
        `-Features @{ BlockCloudObjectTakeoverThroughHardMatchEnabled = $false } (or Graph PATCH /directory/onPremisesSynchronization/${id} ` +
        `{"features":{"${FEATURE_TAKEOVER_BLOCK}":false}}), runs apply, lets Entra Connect match the users, and turns it back on. ` +
        `(${LEARN}/powershell/module/microsoft.graph.identity.directorymanagement/update-mgdirectoryonpremisesynchronization; ${LEARN}/powershell/module/msonline/set-msoldirsyncfeature)`;
      out.push(
        takeoverCandidates > 0
          ? finding(
              'STOP_HARD_MATCH_TAKEOVER_BLOCKED',
              `The tenant blocks cloud object takeover through hard match (${FEATURE_TAKEOVER_BLOCK} = true): Entra Connect would answer InvalidHardMatch ` +
                `for the ${takeoverCandidates} cloud-managed user(s) this plan anchors, and the new AD users would stay unmatched. Nothing is written while it is on. ${fix}`,
            )
          : finding(
              'NOTE_HARD_MATCH_TAKEOVER_BLOCKED',
              `The tenant blocks cloud object takeover through hard match (${FEATURE_TAKEOVER_BLOCK} = true); this plan anchors no cloud-managed user ` +
                `(still-synced users being recovered are not concerned), so it does not stop it. ${fix}`,
            ),
      );
    }
    if (featureOn(g, FEATURE_SOFT_MATCH_BLOCK) === true) {
      out.push(
        finding(
          'NOTE_SOFT_MATCH_BLOCKED',
          `The tenant blocks soft match (${FEATURE_SOFT_MATCH_BLOCK} = true). entra2ad relies on hard match only (it writes the anchor), so its users are ` +
            `not concerned; AD users it does not anchor will not be matched by UPN or e-mail address and would become duplicates.`,
        ),
      );
    }
    if (FEATURES_PASSWORD_SYNC.some((name) => featureOn(g, name) === true)) {
      out.push(
        finding(
          'WARN_PASSWORD_HASH_SYNC',
          'Password hash sync is on: at the first sync after the match, the on-premises password (the initial password entra2ad sets, see credentials.csv) ' +
            "replaces the user's cloud password. Tell the users their new password before the sync, or set it to a value they know. " +
            `(${LEARN}/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant)`,
        ),
      );
    }
  }
  for (const gap of g.source.gaps ?? []) out.push(finding('WARN_GUARDS_INCOMPLETE', gap));
  return out;
}

/**
 * What "the sync features are unknown" means for the person confirming apply, and
 * how to read them. App-only callers cannot read them: the API's page lists no
 * application permission, and a delegated call needs a Global Administrator
 * (learn.microsoft.com/graph/api/onpremisesdirectorysynchronization-get).
 */
export function syncFeaturesUnknownNotice(): string {
  return (
    `  The tenant's sync features are UNKNOWN: GET /directory/onPremisesSynchronization supports no application permission ` +
    `(only a delegated sign-in of a Global Administrator reads it). If ${FEATURE_TAKEOVER_BLOCK} is true, Entra Connect refuses every ` +
    `hard match this run prepares (InvalidHardMatch) and the new AD users stay unmatched.\n` +
    `  Read the flags first: a Global Administrator runs Connect-MgGraph -Scopes OnPremDirectorySynchronization.Read.All; ` +
    `(Get-MgDirectoryOnPremiseSynchronization).Features | Format-List - or runs entra2ad preflight signed in delegated (--auth device-code).\n` +
    `  How to read them: ${FEATURE_TAKEOVER_BLOCK} must be False for this run (True: turn it off for the matching window); ` +
    `${FEATURE_SOFT_MATCH_BLOCK} does not matter to entra2ad (it writes the anchor: hard match); passwordSyncEnabled True means ` +
    `the AD password entra2ad sets replaces the cloud password at the first sync; ` +
    `allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled True is the tenant's temporary bypass of the July 2026 onPremisesObjectIdentifier block.`
  );
}

export function tenantStopOf(findings: readonly TenantFinding[]): TenantFinding | undefined {
  return findings.find((f) => f.level === 'stop');
}

/** Plan entries that anchor a cloud-managed user: what the takeover block concerns. */
export function countTakeoverCandidates(
  entries: readonly Pick<PlanEntry, 'cloudId' | 'action'>[],
  usersById: ReadonlyMap<string, Pick<GraphUser, 'onPremisesSyncEnabled'>>,
): number {
  let n = 0;
  for (const e of entries) {
    if (e.action !== 'create' && e.action !== 'adopt') continue;
    const user = usersById.get(e.cloudId);
    if (!user || isCloudManaged(user)) n++;
  }
  return n;
}

/** Entries on the recovery path (nothing written to the cloud). */
export function isRecoveryEntry(entry: Pick<PlanEntry, 'reason' | 'recoverConsistencyGuid'>): boolean {
  return entry.recoverConsistencyGuid !== undefined || entry.reason === 'RECOVER_CONSISTENCY_GUID' || entry.reason === 'ADOPT_ALREADY_RECOVERED';
}

export interface GuardDrift {
  cloudId: string;
  userPrincipalName: string;
  reason: GuardReason;
  message: string;
}

/**
 * For a reviewed plan executed later: create/adopt entries (not done yet) that a
 * guard would block NOW (a role assigned since the plan was made, ...).
 */
export function guardDrift(
  entries: readonly PlanEntry[],
  usersById: ReadonlyMap<string, GraphUser>,
  guards: TenantGuards | PreparedGuards,
  isDone: (cloudId: string) => boolean = () => false,
): GuardDrift[] {
  const g = prepareGuards(guards);
  const out: GuardDrift[] = [];
  for (const entry of entries) {
    if (!getsAdObject(entry) || isDone(entry.cloudId)) continue;
    const user = usersById.get(entry.cloudId);
    if (!user) continue; // the drift check reports vanished users
    const block = guardUser(user, isRecoveryEntry(entry) ? 'recover' : 'create', g);
    if (block) out.push({ cloudId: entry.cloudId, userPrincipalName: entry.userPrincipalName, ...block });
  }
  return out;
}
