/**
 * Which permission each simulated route needs, as Microsoft's API reference
 * page for it says (its "Permissions" table; link per route), and the check
 * Graph makes: an app-only token must carry one of the route's application
 * permissions in `roles`, a delegated token one of its delegated permissions
 * in `scp` (and, where the page says so, the signed-in user an Entra role:
 * `wids`). Otherwise 403 Authorization_RequestDenied "Insufficient privileges
 * to complete the operation." (learn.microsoft.com/graph/errors; the body
 * Graph sends for a missing permission).
 *
 * A route whose page says "Application: Not supported." has `application: []`:
 * every app-only token is refused, whatever it holds.
 */
import { GraphHttpError } from './graph-error.js';
import type { Caller } from './token-claims.js';

export interface RoutePermissions {
  /** Application permissions, least privileged first; [] = app-only not supported. */
  application: readonly string[];
  /** Delegated (work or school account) permissions, least privileged first. */
  delegated: readonly string[];
  /** Delegated calls: the signed-in user must hold one of these Entra roles (template ids). */
  delegatedRoles?: readonly string[];
  /** The API reference page the table comes from. */
  doc: string;
  /**
   * The 403 this route answers instead of Authorization_RequestDenied. Exchange Online
   * backs the mailbox routes and answers a token without the permission with its own
   * ErrorAccessDenied "Access is denied. Check credentials and try again." (the body
   * reported for Graph's Outlook endpoints; no Graph reference page shows it: an assumption).
   */
  denied?: { code: string; message: string };
}

const API = 'https://learn.microsoft.com/graph/api';
export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const HYBRID_IDENTITY_ADMINISTRATOR = '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2';

const USERS_READ: RoutePermissions = {
  application: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  delegated: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  doc: `${API}/user-list`,
};
const ROLE_MANAGEMENT_READ = {
  application: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All'],
  delegated: ['RoleManagement.Read.Directory', 'RoleManagement.Read.All', 'Directory.Read.All', 'RoleManagement.ReadWrite.Directory', 'Directory.ReadWrite.All'],
};
const GROUP_MEMBERS_READ = {
  application: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
  delegated: ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'],
};

/** Keyed by `METHOD /template` without the version, as router templates give it. */
export const ROUTE_PERMISSIONS: Readonly<Record<string, RoutePermissions>> = {
  'GET /users': USERS_READ,
  'GET /users/$count': { ...USERS_READ, doc: `${API}/user-list` },
  'GET /users/{id}': { ...USERS_READ, doc: `${API}/user-get` },
  'GET /users/{id}/manager': { ...USERS_READ, doc: `${API}/user-list-manager` },
  // Another user's memberships: the page's second table.
  'GET /users/{id}/transitiveMemberOf': {
    application: ['User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    delegated: ['User.Read.All', 'GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
    doc: `${API}/user-list-transitivememberof`,
  },
  // onPremisesImmutableId is settable with User.ReadWrite.All; the finer User.ManageIdentities.All and
  // User.EnableDisableAccount.All cover other properties only (identities, accountEnabled).
  'PATCH /users/{id}': {
    application: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
    delegated: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
    doc: `${API}/user-update`,
  },
  // The user row of the page's table; delegated: "Hybrid Administrator is the least privileged role supported".
  'GET /users/{id}/onPremisesSyncBehavior': {
    application: ['User-OnPremisesSyncBehavior.ReadWrite.All'],
    delegated: ['User-OnPremisesSyncBehavior.ReadWrite.All'],
    delegatedRoles: [HYBRID_IDENTITY_ADMINISTRATOR, GLOBAL_ADMINISTRATOR],
    doc: `${API}/onpremisessyncbehavior-get`,
  },
  // Another user's mailbox settings, app-only or delegated (Exchange Online mailboxes only; src/sim/mailbox-settings-routes.ts).
  'GET /users/{id}/mailboxSettings': {
    application: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    delegated: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    doc: `${API}/user-get-mailboxsettings`,
    denied: { code: 'ErrorAccessDenied', message: 'Access is denied. Check credentials and try again.' },
  },
  'GET /groups': { ...GROUP_MEMBERS_READ, doc: `${API}/group-list` },
  'GET /groups/{id}': { ...GROUP_MEMBERS_READ, doc: `${API}/group-get` },
  'GET /groups/{id}/transitiveMembers': { ...GROUP_MEMBERS_READ, doc: `${API}/group-list-transitivemembers` },
  'GET /groups/{id}/owners': { ...GROUP_MEMBERS_READ, doc: `${API}/group-list-owners` },
  'GET /directory/administrativeUnits': {
    application: ['AdministrativeUnit.Read.All', 'Directory.Read.All', 'AdministrativeUnit.ReadWrite.All', 'Directory.ReadWrite.All'],
    delegated: ['AdministrativeUnit.Read.All', 'Directory.Read.All', 'AdministrativeUnit.ReadWrite.All', 'Directory.ReadWrite.All'],
    doc: `${API}/directory-list-administrativeunits`,
  },
  'GET /directory/administrativeUnits/{id}/members': {
    application: ['AdministrativeUnit.Read.All', 'Directory.Read.All', 'AdministrativeUnit.ReadWrite.All', 'Directory.ReadWrite.All'],
    delegated: ['AdministrativeUnit.Read.All', 'Directory.Read.All', 'AdministrativeUnit.ReadWrite.All', 'Directory.ReadWrite.All'],
    doc: `${API}/administrativeunit-list-members`,
  },
  'POST /directoryObjects/getByIds': {
    application: ['Directory.Read.All'],
    delegated: ['Directory.Read.All'],
    doc: `${API}/directoryobject-getbyids`,
  },
  'GET /roleManagement/directory/roleDefinitions': { ...ROLE_MANAGEMENT_READ, doc: `${API}/rbacapplication-list-roledefinitions` },
  'GET /roleManagement/directory/roleAssignments': { ...ROLE_MANAGEMENT_READ, doc: `${API}/rbacapplication-list-roleassignments` },
  'GET /roleManagement/directory/roleEligibilityScheduleInstances': {
    application: ['RoleEligibilitySchedule.Read.Directory', 'RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory'],
    delegated: ['RoleEligibilitySchedule.Read.Directory', 'RoleEligibilitySchedule.ReadWrite.Directory', 'RoleManagement.Read.All', 'RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory'],
    doc: `${API}/rbacapplication-list-roleeligibilityscheduleinstances`,
  },
  'GET /domains': { application: ['Domain.Read.All', 'Domain.ReadWrite.All'], delegated: ['Domain.Read.All', 'Domain.ReadWrite.All'], doc: `${API}/domain-list` },
  'GET /organization': {
    application: ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'],
    delegated: ['User.Read', 'Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'],
    doc: `${API}/organization-list`,
  },
  // "Application: Not supported." and "Global Administrator is the only role supported for this operation."
  'GET /directory/onPremisesSynchronization': {
    application: [],
    delegated: ['OnPremDirectorySynchronization.Read.All', 'OnPremDirectorySynchronization.ReadWrite.All'],
    delegatedRoles: [GLOBAL_ADMINISTRATOR],
    doc: `${API}/onpremisesdirectorysynchronization-get`,
  },
};

/**
 * What the simulated app holds when the snapshot does not say: the README's
 * permission table (section "An app registration").
 */
export const DEFAULT_APP_PERMISSIONS: readonly string[] = [
  'User.Read.All',
  'User.ReadWrite.All',
  'Directory.Read.All',
  'RoleManagement.Read.Directory',
  'Domain.Read.All',
  // apply --clear-object-identifier and the source-of-authority read (src/sim/object-identifier-clear.ts).
  'User-OnPremisesSyncBehavior.ReadWrite.All',
  // Which users have an Exchange Online mailbox, and of which kind (src/cloud/mailbox-reader.ts).
  'MailboxSettings.Read',
];

/** `GET /v1.0/users/{id}` -> `GET /users/{id}`; casts and `/$count` suffixes map to their relationship's entry. */
export function permissionKey(template: string): string {
  return template
    .replace(/^(\S+) \/(v1\.0|beta)(?=\/)/, '$1 ')
    .replace(/\/microsoft\.graph\.[A-Za-z]+/g, '')
    .replace(/(\/transitiveMembers)\/\$count$/, '$1');
}

export function permissionsOf(template: string): RoutePermissions | undefined {
  const key = permissionKey(template);
  return ROUTE_PERMISSIONS[key] ?? ROUTE_PERMISSIONS[key.replace(/\/\{id\}$/, '')];
}

function denied(route?: RoutePermissions): GraphHttpError {
  if (route?.denied) return new GraphHttpError(403, route.denied.code, route.denied.message);
  return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

/** Throws Graph's 403 when the caller's token does not allow the route. Routes without an entry are not checked. */
export function authorize(caller: Caller, template: string, appOnlyExceptions: ReadonlySet<string> = new Set()): void {
  const needed = permissionsOf(template);
  if (!needed) return;
  if (caller.kind === 'app') {
    if (appOnlyExceptions.has(permissionKey(template))) return;
    if (!needed.application.some((p) => caller.roles.has(p))) throw denied(needed);
    return;
  }
  if (!needed.delegated.some((p) => caller.scopes.has(p))) throw denied(needed);
  if (needed.delegatedRoles && !needed.delegatedRoles.some((r) => caller.roleTemplateIds.has(r))) throw denied(needed);
}
