/**
 * Reading a tenant snapshot: validate everything, report every problem with its
 * path (not only the first), and fill the defaults the rest of the simulator
 * relies on. See src/graph/tenant-snapshot.ts for the format.
 */
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { COLLECTION_PROPERTIES } from './user-properties.js';
import type {
  GraphDomain,
  OnPremisesDirectorySynchronization,
  SnapshotAdministrativeUnit,
  SnapshotApp,
  SnapshotGroup,
  SnapshotUser,
  TenantSnapshot,
  UnifiedRoleAssignment,
  UnifiedRoleDefinition,
} from '../graph/tenant-snapshot.js';

/** A snapshot that cannot be used; `problems` names each bad path. */
export class TenantSnapshotError extends UsageError {
  constructor(problems: readonly string[], source?: string) {
    const where = source ? ` in ${source}` : '';
    super('TENANT_INVALID', `The tenant snapshot${where} is not valid (${problems.length} problem(s)).`, problems);
  }
}

/**
 * Every feature flag of onPremisesDirectorySynchronizationFeature, all false by
 * default (learn.microsoft.com/graph/api/resources/onpremisesdirectorysynchronizationfeature).
 */
export const SYNC_FEATURES = [
  // The July 2026 tenant bypass of the onPremisesObjectIdentifier hard-match block (in v1.0-Prod.csdl, msgraph-metadata f54f11b).
  'allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled',
  'blockCloudObjectTakeoverThroughHardMatchEnabled',
  'blockSoftMatchEnabled',
  'bypassDirSyncOverridesEnabled',
  'cloudPasswordPolicyForPasswordSyncedUsersEnabled',
  'concurrentCredentialUpdateEnabled',
  'concurrentOrgIdProvisioningEnabled',
  'deviceWritebackEnabled',
  'directoryExtensionsEnabled',
  'fopeConflictResolutionEnabled',
  'groupWriteBackEnabled',
  'passwordSyncEnabled',
  'passwordWritebackEnabled',
  'quarantineUponProxyAddressesConflictEnabled',
  'quarantineUponUpnConflictEnabled',
  'softMatchOnUpnEnabled',
  'synchronizeUpnForManagedUsersEnabled',
  'unifiedGroupWritebackEnabled',
  'userForcePasswordChangeOnLogonEnabled',
  'userWritebackEnabled',
] as const;

export async function loadTenant(file: string): Promise<TenantSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError('TENANT_UNREADABLE', `Cannot read the tenant snapshot ${file}: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new TenantSnapshotError([`(root): not valid JSON: ${(error as Error).message}`], file);
  }
  return normalizeTenant(raw, file);
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Tenant ids go into URL paths (/{tenant}/oauth2/v2.0/token), so keep them URL-safe. */
const TENANT_ID = /^[0-9A-Za-z.-]+$/;

export function normalizeTenant(raw: unknown, source?: string): TenantSnapshot {
  const problems: string[] = [];
  const fail = (path: string, what: string) => problems.push(`${path}: ${what}`);

  if (!isObject(raw)) throw new TenantSnapshotError(['(root): must be a JSON object'], source);

  // tenant
  const t = raw.tenant;
  let tenantId = '';
  let initialDomain = '';
  let displayName: string | undefined;
  if (!isObject(t)) fail('tenant', 'must be an object with id and initialDomain');
  else {
    if (!isString(t.id) || !TENANT_ID.test(t.id)) fail('tenant.id', 'must be a tenant id (GUID)');
    else tenantId = t.id;
    if (!isString(t.initialDomain) || !t.initialDomain.includes('.')) fail('tenant.initialDomain', 'must be a domain name');
    else initialDomain = t.initialDomain.toLowerCase();
    if (t.displayName !== undefined && typeof t.displayName !== 'string') fail('tenant.displayName', 'must be a string');
    else displayName = t.displayName as string | undefined;
  }

  // users
  const users: SnapshotUser[] = [];
  if (!Array.isArray(raw.users)) fail('users', 'must be an array');
  else {
    const ids = new Map<string, number>();
    const upns = new Map<string, number>();
    const immutableIds = new Map<string, number>();
    raw.users.forEach((u: unknown, i: number) => {
      const at = `users[${i}]`;
      if (!isObject(u)) return fail(at, 'must be an object');
      if (!isString(u.id)) fail(`${at}.id`, 'must be a non-empty string');
      else if (ids.has(u.id.toLowerCase())) fail(`${at}.id`, `duplicates users[${ids.get(u.id.toLowerCase())}].id`);
      else ids.set(u.id.toLowerCase(), i);
      if (!isString(u.userPrincipalName) || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(u.userPrincipalName)) {
        fail(`${at}.userPrincipalName`, 'must look like name@domain');
      } else {
        const key = u.userPrincipalName.toLowerCase();
        if (upns.has(key)) fail(`${at}.userPrincipalName`, `duplicates users[${upns.get(key)}].userPrincipalName`);
        else upns.set(key, i);
      }
      const iid = u.onPremisesImmutableId;
      if (iid !== undefined && iid !== null) {
        if (!isString(iid)) fail(`${at}.onPremisesImmutableId`, 'must be a string or null');
        else if (immutableIds.has(iid)) fail(`${at}.onPremisesImmutableId`, `duplicates users[${immutableIds.get(iid)}].onPremisesImmutableId`);
        else immutableIds.set(iid, i);
      }
      const sync = u.onPremisesSyncEnabled;
      if (sync !== undefined && sync !== null && typeof sync !== 'boolean') fail(`${at}.onPremisesSyncEnabled`, 'must be true, false or null');
      const soa = u.onPremisesSyncBehavior;
      if (soa !== undefined && soa !== null && !(isObject(soa) && typeof soa.isCloudManaged === 'boolean')) {
        fail(`${at}.onPremisesSyncBehavior`, 'must be {"isCloudManaged": true|false} or null');
      }
      const mbx = u.mailboxSettings;
      // userPurpose: the v1.0 CSDL enum userPurpose.
      if (mbx !== undefined && mbx !== null && !(isObject(mbx) && ['user', 'linked', 'shared', 'room', 'equipment', 'others'].includes(mbx.userPurpose as string))) {
        fail(`${at}.mailboxSettings`, 'must be {"userPurpose": "user"|"linked"|"shared"|"room"|"equipment"|"others", ...} or null (null: no mailbox)');
      }
      const m = u.manager;
      if (m !== undefined && m !== null && !(isObject(m) && isString(m.id))) fail(`${at}.manager`, 'must be {"id": "..."} or null');
      const user: SnapshotUser = { ...(u as SnapshotUser) };
      // Graph never answers null for a collection: businessPhones, otherMails, proxyAddresses are
      // non-nullable String collections (learn.microsoft.com/graph/api/resources/user).
      for (const p of COLLECTION_PROPERTIES) {
        const v = user[p];
        if (v === null) user[p] = [];
        else if (v !== undefined && !Array.isArray(v)) fail(`${at}.${p}`, 'must be an array');
      }
      users.push(user);
    });
    users.forEach((u, i) => {
      const m = u.manager;
      if (isObject(m) && isString(m.id) && !ids.has(m.id.toLowerCase())) fail(`users[${i}].manager.id`, `no user has id ${m.id}`);
    });
  }

  // domains: default to the one managed initial domain.
  let domains: GraphDomain[] = [];
  if (raw.domains === undefined) {
    if (initialDomain) domains = [{ id: initialDomain, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: true }];
  } else if (!Array.isArray(raw.domains)) fail('domains', 'must be an array');
  else {
    raw.domains.forEach((d: unknown, i: number) => {
      const at = `domains[${i}]`;
      if (!isObject(d)) return fail(at, 'must be an object');
      if (!isString(d.id)) fail(`${at}.id`, 'must be a domain name');
      if (d.authenticationType !== 'Managed' && d.authenticationType !== 'Federated') fail(`${at}.authenticationType`, "must be 'Managed' or 'Federated'");
      domains.push({
        isVerified: true,
        isDefault: false,
        isInitial: typeof d.id === 'string' && d.id.toLowerCase() === initialDomain,
        ...(d as Partial<GraphDomain>),
      } as GraphDomain);
    });
    if (initialDomain && !domains.some((d) => typeof d.id === 'string' && d.id.toLowerCase() === initialDomain)) {
      fail('domains', `must include the initial domain ${initialDomain}`);
    }
  }

  const roleDefinitions = list<UnifiedRoleDefinition>(raw, 'roleDefinitions', fail, (d, at) => {
    if (!isString(d.id)) fail(`${at}.id`, 'must be a string');
    if (!isString(d.displayName)) fail(`${at}.displayName`, 'must be a string');
    if (typeof d.isPrivileged !== 'boolean') fail(`${at}.isPrivileged`, 'must be true or false');
  });
  const roleIds = new Set(roleDefinitions.map((r) => r.id));
  const userIds = new Set(users.map((u) => u.id?.toLowerCase()));
  const groups = raw.groups === undefined ? undefined : normalizeGroups(raw.groups, userIds, fail);
  const app = raw.app === undefined ? undefined : normalizeApp(raw.app, fail);
  // Principals of role assignments and eligibilities: users, role-assignable groups (their
  // members hold the role; only groups created with isAssignableToRole true can be assigned a
  // role: learn.microsoft.com/entra/identity/role-based-access-control/groups-concept), and the
  // app's service principal.
  const groupsById = new Map((groups ?? []).filter((g) => isString(g.id)).map((g) => [g.id.toLowerCase(), g]));
  const servicePrincipalId = app?.servicePrincipalId?.toLowerCase();
  const assignmentCheck = (d: Obj, at: string) => {
    if (!isString(d.id)) fail(`${at}.id`, 'must be a string');
    if (!isString(d.principalId)) fail(`${at}.principalId`, 'must be a string');
    else {
      const key = d.principalId.toLowerCase();
      const group = groupsById.get(key);
      if (group !== undefined) {
        if (group.isAssignableToRole !== true) fail(`${at}.principalId`, `group ${d.principalId} is not role-assignable (isAssignableToRole must be true)`);
      } else if (!userIds.has(key) && key !== servicePrincipalId) fail(`${at}.principalId`, `no user, role-assignable group or the app's service principal has id ${d.principalId}`);
    }
    if (!isString(d.roleDefinitionId)) fail(`${at}.roleDefinitionId`, 'must be a string');
    else if (!roleIds.has(d.roleDefinitionId)) fail(`${at}.roleDefinitionId`, `no roleDefinitions entry has id ${d.roleDefinitionId}`);
  };
  const withScope = (a: UnifiedRoleAssignment) => ({ ...a, directoryScopeId: a.directoryScopeId ?? '/' });
  const roleAssignments = list<UnifiedRoleAssignment>(raw, 'roleAssignments', fail, assignmentCheck).map(withScope);
  const roleEligibilityScheduleInstances = list<UnifiedRoleAssignment>(raw, 'roleEligibilityScheduleInstances', fail, assignmentCheck).map(withScope);
  const administrativeUnits =
    raw.administrativeUnits === undefined ? undefined : normalizeAdministrativeUnits(raw.administrativeUnits, userIds, new Set(groupsById.keys()), fail);

  let onPremisesSynchronization: OnPremisesDirectorySynchronization[];
  // Every tenant has exactly one such object; none given means the defaults.
  if (raw.onPremisesSynchronization === undefined || (Array.isArray(raw.onPremisesSynchronization) && raw.onPremisesSynchronization.length === 0)) {
    onPremisesSynchronization = [{ id: tenantId, features: allFeatures({}) }];
  } else {
    onPremisesSynchronization = list<OnPremisesDirectorySynchronization>(raw, 'onPremisesSynchronization', fail, (d, at) => {
      if (!isString(d.id)) fail(`${at}.id`, 'must be a string');
      if (d.features !== undefined && !isObject(d.features)) fail(`${at}.features`, 'must be an object of booleans');
    }).map((s) => ({ ...s, features: allFeatures(s.features ?? {}) }));
  }

  if (problems.length > 0) throw new TenantSnapshotError(problems, source);
  const tenant = displayName === undefined ? { id: tenantId, initialDomain } : { id: tenantId, initialDomain, displayName };
  return {
    tenant,
    users,
    domains,
    roleDefinitions,
    roleAssignments,
    roleEligibilityScheduleInstances,
    onPremisesSynchronization,
    ...(groups ? { groups } : {}),
    ...(administrativeUnits ? { administrativeUnits } : {}),
    ...(app ? { app } : {}),
  };
}

/** `app: { applicationPermissions?: string[], directoryRoles?: string[], servicePrincipalId?: string }`. */
function normalizeApp(raw: unknown, fail: (path: string, what: string) => void): SnapshotApp | undefined {
  if (!isObject(raw)) {
    fail('app', 'must be an object');
    return undefined;
  }
  const app: SnapshotApp = {};
  for (const key of ['applicationPermissions', 'directoryRoles'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => !isString(x))) fail(`app.${key}`, 'must be an array of strings');
    else app[key] = [...(v as string[])];
  }
  if (raw.servicePrincipalId !== undefined) {
    if (!isString(raw.servicePrincipalId)) fail('app.servicePrincipalId', 'must be a string');
    else app.servicePrincipalId = raw.servicePrincipalId;
  }
  for (const key of Object.keys(raw)) if (!['applicationPermissions', 'directoryRoles', 'servicePrincipalId'].includes(key)) fail(`app.${key}`, 'is not a known property');
  return app;
}

/**
 * `groups: [{ id, displayName, members: [object ids of users or groups] }]`.
 * Object ids are unique across users and groups (both are directoryObjects),
 * every member must name a user or group of the snapshot, and a group cannot
 * be its own member. Membership cycles through other groups are accepted;
 * transitiveMembers lists each member once anyway.
 */
function normalizeGroups(value: unknown, userIds: ReadonlySet<string | undefined>, fail: (path: string, what: string) => void): SnapshotGroup[] {
  if (!Array.isArray(value)) {
    fail('groups', 'must be an array');
    return [];
  }
  const groupIds = new Map<string, number>();
  value.forEach((g: unknown, i: number) => {
    if (!isObject(g) || !isString(g.id)) return;
    const key = g.id.toLowerCase();
    if (userIds.has(key)) fail(`groups[${i}].id`, `is already the id of a user (object ids are unique across users and groups)`);
    else if (groupIds.has(key)) fail(`groups[${i}].id`, `duplicates groups[${groupIds.get(key)}].id`);
    else groupIds.set(key, i);
  });
  const groups: SnapshotGroup[] = [];
  value.forEach((g: unknown, i: number) => {
    const at = `groups[${i}]`;
    if (!isObject(g)) return fail(at, 'must be an object');
    if (!isString(g.id)) fail(`${at}.id`, 'must be a non-empty string');
    if (!isString(g.displayName)) fail(`${at}.displayName`, 'must be a non-empty string');
    if (!Array.isArray(g.members)) {
      fail(`${at}.members`, 'must be an array of user or group ids');
    } else {
      const seen = new Map<string, number>();
      g.members.forEach((m: unknown, j: number) => {
        const path = `${at}.members[${j}]`;
        if (!isString(m)) return fail(path, 'must be the id of a user or group');
        const key = m.toLowerCase();
        if (seen.has(key)) return fail(path, `duplicates ${at}.members[${seen.get(key)}]`);
        seen.set(key, j);
        if (isString(g.id) && key === g.id.toLowerCase()) return fail(path, 'a group cannot be a member of itself');
        if (!userIds.has(key) && !groupIds.has(key)) fail(path, `no user or group has id ${m}`);
      });
    }
    if (g.owners !== undefined) {
      if (!Array.isArray(g.owners)) fail(`${at}.owners`, 'must be an array of user ids');
      else
        g.owners.forEach((o: unknown, j: number) => {
          if (!isString(o) || !userIds.has(o.toLowerCase())) fail(`${at}.owners[${j}]`, `no user has id ${String(o)}`);
        });
    }
    if (g.isAssignableToRole !== undefined && g.isAssignableToRole !== null && typeof g.isAssignableToRole !== 'boolean') {
      fail(`${at}.isAssignableToRole`, 'must be true, false or null');
    }
    groups.push({
      ...(g as SnapshotGroup),
      members: Array.isArray(g.members) ? [...(g.members as string[])] : [],
      ...(Array.isArray(g.owners) ? { owners: [...(g.owners as string[])] } : {}),
    });
  });
  return groups;
}

/**
 * `administrativeUnits: [{ id, displayName, isMemberManagementRestricted?, members: [user or group ids] }]`.
 * Ids are unique across users, groups and units (all directoryObjects).
 */
function normalizeAdministrativeUnits(
  value: unknown,
  userIds: ReadonlySet<string | undefined>,
  groupIds: ReadonlySet<string>,
  fail: (path: string, what: string) => void,
): SnapshotAdministrativeUnit[] {
  if (!Array.isArray(value)) {
    fail('administrativeUnits', 'must be an array');
    return [];
  }
  const seen = new Map<string, number>();
  const units: SnapshotAdministrativeUnit[] = [];
  value.forEach((u: unknown, i: number) => {
    const at = `administrativeUnits[${i}]`;
    if (!isObject(u)) return fail(at, 'must be an object');
    if (!isString(u.id)) fail(`${at}.id`, 'must be a non-empty string');
    else {
      const key = u.id.toLowerCase();
      if (userIds.has(key) || groupIds.has(key)) fail(`${at}.id`, 'is already the id of a user or group (object ids are unique)');
      else if (seen.has(key)) fail(`${at}.id`, `duplicates administrativeUnits[${seen.get(key)}].id`);
      else seen.set(key, i);
    }
    if (!isString(u.displayName)) fail(`${at}.displayName`, 'must be a non-empty string');
    const restricted = u.isMemberManagementRestricted;
    if (restricted !== undefined && restricted !== null && typeof restricted !== 'boolean') fail(`${at}.isMemberManagementRestricted`, 'must be true, false or null');
    if (!Array.isArray(u.members)) fail(`${at}.members`, 'must be an array of user or group ids');
    else
      u.members.forEach((m: unknown, j: number) => {
        if (!isString(m) || (!userIds.has(m.toLowerCase()) && !groupIds.has(m.toLowerCase()))) fail(`${at}.members[${j}]`, `no user or group has id ${String(m)}`);
      });
    units.push({ ...(u as SnapshotAdministrativeUnit), members: Array.isArray(u.members) ? [...(u.members as string[])] : [] });
  });
  return units;
}

function allFeatures(given: Record<string, boolean>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const f of SYNC_FEATURES) out[f] = false;
  return { ...out, ...given };
}

function list<T>(raw: Obj, key: string, fail: (path: string, what: string) => void, check: (item: Obj, at: string) => void): T[] {
  const value = raw[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    fail(key, 'must be an array');
    return [];
  }
  const out: T[] = [];
  value.forEach((item: unknown, i: number) => {
    if (!isObject(item)) return fail(`${key}[${i}]`, 'must be an object');
    check(item, `${key}[${i}]`);
    out.push({ ...item } as T);
  });
  return out;
}
