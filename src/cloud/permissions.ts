/**
 * The Microsoft Graph permission entra2ad needs for each call it makes, so a
 * 403 names what to grant (README, "An app registration"). One row per call;
 * `application` is the permission entra2ad asks for (the least privileged one
 * the API reference page lists, or the one that also covers other calls), null
 * where the page says "Application: Not supported." - then only a delegated
 * sign-in (`delegated`, with the page's Entra role) can make the call.
 *
 * test/unit/cloud/permissions.test.ts checks every row against the simulator's
 * table (src/sim/permissions.ts, Microsoft's pages): the named permission must
 * be one the page accepts.
 */
import { CloudError, type GraphFailure } from './errors.js';

export interface CallPermission {
  /** What the call does, for messages. */
  what: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Matches the path below the version (query string removed). */
  path: RegExp;
  /** The application permission to grant; null = app-only not supported. */
  application: string | null;
  /** The delegated permission (and role) for a delegated sign-in. */
  delegated: string;
  doc: string;
  /** Another reason Graph gives the same 403 for this call, said after the permission. */
  orElse?: string;
}

const API = 'https://learn.microsoft.com/graph/api';

export const CALL_PERMISSIONS: readonly CallPermission[] = [
  { what: 'list users', method: 'GET', path: /^\/users$/i, application: 'User.Read.All', delegated: 'User.Read.All', doc: `${API}/user-list` },
  { what: 'read a user', method: 'GET', path: /^\/users\/[^/]+$/i, application: 'User.Read.All', delegated: 'User.Read.All', doc: `${API}/user-get` },
  { what: "read a user's manager", method: 'GET', path: /^\/users\/[^/]+\/manager$/i, application: 'User.Read.All', delegated: 'User.Read.All', doc: `${API}/user-list-manager` },
  {
    what: 'write onPremisesImmutableId',
    method: 'PATCH',
    path: /^\/users\/[^/]+$/i,
    application: 'User.ReadWrite.All',
    delegated: 'User.ReadWrite.All',
    doc: `${API}/user-update`,
    orElse:
      'if the app holds it, Graph refuses this sensitive write for this user: an administrator, a member or owner of a role-assignable group, ' +
      'or a member of a restricted management administrative unit (plan blocks them: BLOCKED_SENSITIVE_ADMIN_ROLE, BLOCKED_ROLE_ASSIGNABLE_GROUP, ' +
      'BLOCKED_RESTRICTED_ADMIN_UNIT; https://learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-perform-sensitive-actions)',
  },
  {
    what: "list a group's transitive members",
    method: 'GET',
    path: /^\/groups\/[^/]+\/transitiveMembers(\/[^/]+)?$/i,
    application: 'Directory.Read.All',
    delegated: 'GroupMember.Read.All',
    doc: `${API}/group-list-transitivemembers`,
  },
  { what: 'list groups (which are role-assignable)', method: 'GET', path: /^\/groups$/i, application: 'Directory.Read.All', delegated: 'GroupMember.Read.All', doc: `${API}/group-list` },
  {
    what: "list a group's owners",
    method: 'GET',
    path: /^\/groups\/[^/]+\/owners(\/[^/]+)?$/i,
    application: 'Directory.Read.All',
    delegated: 'GroupMember.Read.All',
    doc: `${API}/group-list-owners`,
  },
  {
    what: 'list administrative units',
    method: 'GET',
    path: /^\/directory\/administrativeUnits$/i,
    application: 'Directory.Read.All',
    delegated: 'AdministrativeUnit.Read.All',
    doc: `${API}/directory-list-administrativeunits`,
  },
  {
    what: "list an administrative unit's members",
    method: 'GET',
    path: /^\/directory\/administrativeUnits\/[^/]+\/members(\/[^/]+)?$/i,
    application: 'Directory.Read.All',
    delegated: 'AdministrativeUnit.Read.All',
    doc: `${API}/administrativeunit-list-members`,
  },
  {
    what: 'look up role-assignment principals (POST /directoryObjects/getByIds)',
    method: 'POST',
    path: /^\/directoryObjects\/getByIds$/i,
    application: 'Directory.Read.All',
    delegated: 'Directory.Read.All',
    doc: `${API}/directoryobject-getbyids`,
  },
  {
    what: 'list role definitions',
    method: 'GET',
    path: /^\/roleManagement\/directory\/roleDefinitions$/i,
    application: 'RoleManagement.Read.Directory',
    delegated: 'RoleManagement.Read.Directory',
    doc: `${API}/rbacapplication-list-roledefinitions`,
  },
  {
    what: 'list role assignments',
    method: 'GET',
    path: /^\/roleManagement\/directory\/roleAssignments$/i,
    application: 'RoleManagement.Read.Directory',
    delegated: 'RoleManagement.Read.Directory',
    doc: `${API}/rbacapplication-list-roleassignments`,
  },
  {
    what: 'list PIM role eligibilities',
    method: 'GET',
    path: /^\/roleManagement\/directory\/roleEligibilityScheduleInstances$/i,
    application: 'RoleManagement.Read.Directory',
    delegated: 'RoleManagement.Read.Directory',
    doc: `${API}/rbacapplication-list-roleeligibilityscheduleinstances`,
  },
  {
    what: "read a user's mailbox settings (whether it has an Exchange Online mailbox, and its kind)",
    method: 'GET',
    path: /^\/users\/[^/]+\/mailboxSettings$/i,
    application: 'MailboxSettings.Read',
    delegated: 'MailboxSettings.Read',
    doc: `${API}/user-get-mailboxsettings`,
  },
  { what: 'list domains', method: 'GET', path: /^\/domains$/i, application: 'Domain.Read.All', delegated: 'Domain.Read.All', doc: `${API}/domain-list` },
  { what: 'read the organization', method: 'GET', path: /^\/organization$/i, application: 'Directory.Read.All', delegated: 'Directory.Read.All', doc: `${API}/organization-list` },
  {
    what: "read the tenant's sync features",
    method: 'GET',
    path: /^\/directory\/onPremisesSynchronization$/i,
    application: null,
    delegated: 'OnPremDirectorySynchronization.Read.All, signed in as a Global Administrator',
    doc: `${API}/onpremisesdirectorysynchronization-get`,
  },
];

/** `https://host/v1.0/users/x?$select=id` or `/users/x?...` -> `/users/x`. */
export function callPath(url: string): string {
  let path = url.replace(/^https?:\/\/[^/]+/i, '');
  const q = path.indexOf('?');
  if (q >= 0) path = path.slice(0, q);
  path = path.replace(/^\/(v1\.0|beta)(?=\/)/i, '');
  return path.startsWith('/') ? path : `/${path}`;
}

export function callPermissionOf(method: string, url: string): CallPermission | undefined {
  const path = callPath(url);
  return CALL_PERMISSIONS.find((c) => c.method === method.toUpperCase() && c.path.test(path));
}

/** The sentence a 403 gets: which permission to grant, or that only a delegated sign-in can. */
export function permissionHint(call: CallPermission): string {
  if (call.application === null) {
    return `to ${call.what}, Microsoft Graph supports no application permission: only a delegated sign-in with ${call.delegated} can (${call.doc})`;
  }
  return `to ${call.what}, the app needs the Microsoft Graph application permission ${call.application}, admin-consented (${call.doc})${call.orElse ? `; ${call.orElse}` : ''}`;
}

/** A 403 failure with the permission named in its message; other failures unchanged. */
export function withPermissionNamed(failure: GraphFailure, method: string, url: string): GraphFailure {
  if (failure.status !== 403) return failure;
  const call = callPermissionOf(method, url);
  if (!call) return failure;
  return { ...failure, message: `${failure.message ?? 'Forbidden'} - ${permissionHint(call)}` };
}

/** The same for a CloudError already made (a whole request refused). */
export function namePermission(error: CloudError, method: string, url: string): CloudError {
  if (error.reason !== 'FORBIDDEN') return error;
  const call = callPermissionOf(method, url);
  if (!call) return error;
  const failure: GraphFailure = { status: error.status, message: `${error.graphMessage ?? 'Forbidden'} - ${permissionHint(call)}` };
  if (error.graphCode !== undefined) failure.code = error.graphCode;
  if (error.requestId !== undefined) failure.requestId = error.requestId;
  return new CloudError('FORBIDDEN', failure, {
    ...(error.user !== undefined ? { user: error.user } : {}),
    ...(error.operation !== undefined ? { operation: error.operation } : {}),
    cause: error,
  });
}
