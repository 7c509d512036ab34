/**
 * Who may change a user's sensitive properties (onPremisesImmutableId among
 * them), as Microsoft publishes it: the "Who can perform sensitive actions"
 * table (learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-perform-sensitive-actions,
 * same table in learn.microsoft.com/graph/api/resources/users#who-can-perform-sensitive-actions).
 * Rows: what the TARGET user is (the roles it holds, member or owner of a
 * role-assignable group, ...); columns: the role the CALLER holds. The user
 * update page adds that in app-only calls "the app must be assigned a higher
 * privileged administrator role as indicated in Who can perform sensitive
 * actions" (learn.microsoft.com/graph/api/user-update): User.ReadWrite.All
 * alone is not enough for users with administrator roles.
 *
 * Restricted management administrative units: "only administrators assigned at
 * the scope of the administrative unit" may change their members; tenant-level
 * roles (Global Administrator included) and tenant-wide application permissions
 * cannot (learn.microsoft.com/entra/identity/role-based-access-control/admin-units-restricted-management).
 *
 * Pure: used by the simulator (its refusal) and by the guards (their prediction).
 */

/** The properties the table calls sensitive (the "Sensitive action" list). */
export const SENSITIVE_USER_PROPERTIES: ReadonlySet<string> = new Set([
  'accountEnabled',
  'businessPhones',
  'mobilePhone',
  'onPremisesImmutableId',
  'otherMails',
  'passwordProfile',
  'userPrincipalName',
]);

/** The table's columns: roles that may perform sensitive actions (template ids). */
export const AUTHENTICATION_ADMINISTRATOR = 'c4e39bd9-1100-46d3-8c65-fb160da0071f';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
export const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
export const GLOBAL_ADMINISTRATOR_ROLE = '62e90394-69f5-4237-9190-012177145e10';

const COLUMNS = [AUTHENTICATION_ADMINISTRATOR, USER_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR_ROLE] as const;
const ALL: ReadonlySet<string> = new Set(COLUMNS);
const AUTH_PAA_GA: ReadonlySet<string> = new Set([AUTHENTICATION_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR_ROLE]);
const USER_PAA_GA: ReadonlySet<string> = new Set([USER_ADMINISTRATOR, PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR_ROLE]);
const PAA_GA: ReadonlySet<string> = new Set([PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR_ROLE]);

/**
 * The table's rows, by role template id (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference
 * for the ids). A role not listed is "All other built-in and custom roles": Privileged
 * Authentication Administrator and Global Administrator only.
 */
export const SENSITIVE_ACTION_ROWS: ReadonlyMap<string, { role: string; callers: ReadonlySet<string> }> = new Map([
  [AUTHENTICATION_ADMINISTRATOR, { role: 'Authentication Administrator', callers: AUTH_PAA_GA }],
  ['88d8e3e3-8f55-4a1e-953a-9b9898b8876b', { role: 'Directory Readers', callers: ALL }],
  [GLOBAL_ADMINISTRATOR_ROLE, { role: 'Global Administrator', callers: PAA_GA }],
  ['fdd7a751-b60b-444a-984c-02652fe8fa1c', { role: 'Groups Administrator', callers: USER_PAA_GA }],
  ['95e79109-95c0-4d8e-aee3-d01accf2d47b', { role: 'Guest Inviter', callers: ALL }],
  ['729827e3-9c14-49f7-bb1b-9608f156bbb8', { role: 'Helpdesk Administrator', callers: USER_PAA_GA }],
  ['790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b', { role: 'Message Center Reader', callers: ALL }],
  ['966707d0-3269-4727-9be2-8c3a10f19b9d', { role: 'Password Administrator', callers: ALL }],
  [PRIVILEGED_AUTHENTICATION_ADMINISTRATOR, { role: 'Privileged Authentication Administrator', callers: PAA_GA }],
  ['e8611ab8-c189-46e8-94e1-60213ab1f814', { role: 'Privileged Role Administrator', callers: PAA_GA }],
  ['4a5d8f65-41da-4de4-8968-e035b65339cf', { role: 'Reports Reader', callers: ALL }],
  [USER_ADMINISTRATOR, { role: 'User Administrator', callers: USER_PAA_GA }],
  ['27460883-1df1-4691-b032-3b79643e5e63', { role: 'User Experience Success Manager', callers: ALL }],
  ['75934031-6c7e-415a-99d7-48dbd49e875e', { role: 'Usage Summary Reports Reader', callers: ALL }],
]);

/**
 * The row "User with a role scoped to a restricted management administrative unit"
 * (Privileged Authentication Administrator and Global Administrator only): a role
 * assignment whose directoryScopeId is `/administrativeUnits/{id}` of such a unit counts
 * as this pseudo role, which no row lists (so PAA/GA only), instead of its own row.
 */
export const ROLE_SCOPED_TO_RESTRICTED_UNIT = 'role-scoped-to-a-restricted-management-administrative-unit';

/** The template id an assignment counts as in the table, given the restricted units' ids (lower case). */
export function sensitiveRoleOf(templateId: string, directoryScopeId: string | undefined, restrictedUnitIds: ReadonlySet<string>): string {
  const unit = /^\/administrativeUnits\/([^/]+)$/i.exec(directoryScopeId ?? '')?.[1];
  return unit !== undefined && restrictedUnitIds.has(unit.toLowerCase()) ? ROLE_SCOPED_TO_RESTRICTED_UNIT : templateId.toLowerCase();
}

/** What the target user is, as far as the table cares. */
export interface SensitiveTarget {
  /** Template ids of the Entra roles the user holds actively (directly or through a role-assignable group). */
  roleTemplateIds: Iterable<string>;
  /** Member (transitive) or owner of at least one role-assignable group. */
  roleAssignableGroup: boolean;
  /** Member of at least one administrative unit with isMemberManagementRestricted true. */
  restrictedAdministrativeUnit: boolean;
}

export type SensitiveRefusal =
  /** The user holds a role whose row the caller's roles do not cover. */
  | { why: 'admin-role'; roleTemplateId: string }
  | { why: 'role-assignable-group' }
  | { why: 'restricted-administrative-unit' };

/**
 * Why a caller holding `callerRoleTemplateIds` (tenant-wide roles; none for an
 * app with only Graph permissions) may not change the target's sensitive
 * properties, or undefined when it may.
 *
 * A caller holding none of the table's column roles is treated like the
 * narrowest column: it may act only on rows every column may act on (users
 * without an admin role, and the reader-like roles). The table does not list
 * "no role" as a column; this is the reading of the user update page's "User.ReadWrite.All
 * isn't enough privilege ... for users with privileged administrator roles".
 */
export function sensitiveWriteRefusal(callerRoleTemplateIds: ReadonlySet<string>, target: SensitiveTarget): SensitiveRefusal | undefined {
  // Tenant-level roles never reach members of a restricted management administrative unit.
  if (target.restrictedAdministrativeUnit) return { why: 'restricted-administrative-unit' };
  const columns = COLUMNS.filter((c) => callerRoleTemplateIds.has(c));
  const covers = (rowCallers: ReadonlySet<string>) => (columns.length === 0 ? rowCallers === ALL || [...ALL].every((c) => rowCallers.has(c)) : columns.some((c) => rowCallers.has(c)));
  for (const templateId of target.roleTemplateIds) {
    const row = SENSITIVE_ACTION_ROWS.get(templateId.toLowerCase());
    if (!covers(row?.callers ?? PAA_GA)) return { why: 'admin-role', roleTemplateId: templateId };
  }
  if (target.roleAssignableGroup && !covers(PAA_GA)) return { why: 'role-assignable-group' };
  return undefined;
}

/** The display name of a role in the table, or undefined for "all other" roles. */
export function sensitiveRowName(templateId: string): string | undefined {
  return SENSITIVE_ACTION_ROWS.get(templateId.toLowerCase())?.role;
}
