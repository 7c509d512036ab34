/**
 * What the tenant says about whether a hard match would be allowed
 * (learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant,
 * learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-syncservice-features):
 * privileged role holders (active and PIM-eligible), federated domains, the
 * tenant's sync blocks, and users' onPremisesObjectIdentifier.
 *
 * Each reader degrades to "unknown" where Graph commonly refuses an app
 * (403 on onPremisesSynchronization, PIM without a P2 licence) instead of
 * crashing the preflight: "unknown" is a valid answer the planner can act on.
 */
import { CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { graphGet, graphGetAll, graphRequest, type GraphPage, type RequestOptions } from './request.js';
import type { GraphDomain, OnPremisesDirectorySynchronization, UnifiedRoleAssignment, UnifiedRoleDefinition } from '../graph/tenant-snapshot.js';

export interface ReaderOptions {
  signal?: AbortSignal;
  counter?: { requests: number };
}

// ---------------------------------------------------------------- roles

/**
 * Template ids of built-in roles Microsoft marks privileged, for tenants/clouds
 * whose roleDefinitions lack `isPrivileged` (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
 */
export const KNOWN_PRIVILEGED_TEMPLATE_IDS: ReadonlySet<string> = new Set([
  '62e90394-69f5-4237-9190-012177145e10', // Global Administrator
  'e8611ab8-c189-46e8-94e1-60213ab1f814', // Privileged Role Administrator
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13', // Privileged Authentication Administrator
  '194ae4cb-b126-40b2-bd5b-6091b380977d', // Security Administrator
  '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', // Application Administrator
  '158c047a-c907-4556-b7ef-446551a6b5f7', // Cloud Application Administrator
  'fe930be7-5e62-47db-91af-98c3a49a38b1', // User Administrator
  'c4e39bd9-1100-46d3-8c65-fb160da0071f', // Authentication Administrator
  '729827e3-9c14-49f7-bb1b-9608f156bbb8', // Helpdesk Administrator
  '966707d0-3269-4727-9be2-8c3a10f19b9d', // Password Administrator
  'b1be1c3e-b65d-4f19-8427-f6fa0d97feb9', // Conditional Access Administrator
  '29232cdf-9323-42fd-ade2-1d097af3e4de', // Exchange Administrator
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c', // SharePoint Administrator
  '8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2', // Hybrid Identity Administrator
  'be2f45a1-457d-42af-a067-6ec1fa63bc45', // External Identity Provider Administrator
  'd29b2b05-8046-44ba-8758-1e26182fcf32', // Directory Synchronization Accounts
  '9360feb5-f418-4baa-8175-e2a00bac4301', // Directory Writers
  '3a2c62db-5318-420d-8d74-23affee5d9d5', // Intune Administrator
  '5d6b6bb7-de71-4623-b4af-96380a352509', // Security Reader
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451', // Global Reader
]);

export interface PrivilegedRoleHolder {
  /** Display names of every privileged role held, active or eligible, sorted. */
  roles: string[];
  /** True when at least one of the roles is a PIM eligibility (not active). */
  eligible: boolean;
  /** True when at least one role is actively assigned. */
  active: boolean;
  /** Role-assignable groups through which a role is held (empty when direct). */
  viaGroups: string[];
}

/** principalId (user, group or service principal id) -> privileged roles, plus what could not be read. */
export class PrivilegedRoleHolders extends Map<string, PrivilegedRoleHolder> {
  /** False when eligibility schedules could not be read (no PIM licence, no permission): eligible holders may be missing. */
  eligibilityKnown = true;
  eligibilityWhy?: string;
  /** False when role-assignable groups could not be expanded to their members. */
  groupsExpanded = true;
  groupsWhy?: string;
  /**
   * Lower-cased principal id -> template ids of EVERY Entra role it holds actively
   * (privileged or not; through a role-assignable group too): what the sensitive-write
   * table (src/graph/sensitive-actions.ts) looks at. Eligibilities grant nothing until activated.
   */
  activeRoles = new Map<string, Set<string>>();
  /** Template id (lower case) -> display name, for messages. */
  roleNames = new Map<string, string>();
}

/**
 * Role definitions with `isPrivileged`, which only beta declares (it is in the beta type
 * list of microsoftgraph/msgraph-metadata, not in schemas/v1.0-Prod.csdl: v1.0 refuses
 * `$select=isPrivileged`). When beta is refused (a cloud without it, a 400), v1.0 without
 * it: isPrivilegedDefinition then falls back to KNOWN_PRIVILEGED_TEMPLATE_IDS.
 */
export const ROLE_DEFINITIONS_BETA = '/beta/roleManagement/directory/roleDefinitions?$select=id,displayName,isPrivileged,isBuiltIn,templateId';
export const ROLE_DEFINITIONS_V1 = '/roleManagement/directory/roleDefinitions?$select=id,displayName,isBuiltIn,templateId';

export async function readRoleDefinitions(graph: Graph, options: ReaderOptions = {}): Promise<UnifiedRoleDefinition[]> {
  try {
    return await graphGetAll<UnifiedRoleDefinition>(graph, `${graph.baseUrl}${ROLE_DEFINITIONS_BETA}`, requestOptions(options, 'GET /beta roleDefinitions'));
  } catch (error) {
    if (!(error instanceof CloudError) || !(error.reason === 'NOT_FOUND' || (error.reason === 'GRAPH_ERROR' && error.status === 400))) throw error;
    return graphGetAll<UnifiedRoleDefinition>(graph, ROLE_DEFINITIONS_V1, requestOptions(options, 'GET roleDefinitions'));
  }
}

export async function readRoleAssignments(graph: Graph, options: ReaderOptions = {}): Promise<UnifiedRoleAssignment[]> {
  return graphGetAll<UnifiedRoleAssignment>(graph, '/roleManagement/directory/roleAssignments?$select=id,principalId,roleDefinitionId,directoryScopeId', requestOptions(options, 'GET roleAssignments'));
}

/** PIM eligibilities; needs RoleEligibilitySchedule.Read.Directory and (in the real service) Entra ID P2. */
export async function readRoleEligibilities(graph: Graph, options: ReaderOptions = {}): Promise<UnifiedRoleAssignment[]> {
  return graphGetAll<UnifiedRoleAssignment>(
    graph,
    '/roleManagement/directory/roleEligibilityScheduleInstances?$select=id,principalId,roleDefinitionId,directoryScopeId',
    requestOptions(options, 'GET roleEligibilityScheduleInstances'),
  );
}

export function isPrivilegedDefinition(definition: UnifiedRoleDefinition): boolean {
  if (typeof definition.isPrivileged === 'boolean') return definition.isPrivileged;
  return KNOWN_PRIVILEGED_TEMPLATE_IDS.has(definition.templateId ?? definition.id);
}

/** Pure join: who holds which privileged role, active or eligible; and every active role by template id. */
export function joinPrivilegedRoles(
  definitions: readonly UnifiedRoleDefinition[],
  assignments: readonly UnifiedRoleAssignment[],
  eligibilities: readonly UnifiedRoleAssignment[],
): PrivilegedRoleHolders {
  const privileged = new Map<string, string>();
  const templateOf = new Map<string, string>();
  const holders = new PrivilegedRoleHolders();
  for (const definition of definitions) {
    const template = (definition.templateId ?? definition.id).toLowerCase();
    templateOf.set(definition.id.toLowerCase(), template);
    holders.roleNames.set(template, definition.displayName);
    if (!isPrivilegedDefinition(definition)) continue;
    privileged.set(definition.id, definition.displayName);
    if (definition.templateId) privileged.set(definition.templateId, definition.displayName);
  }
  const add = (assignment: UnifiedRoleAssignment, eligible: boolean) => {
    const role = privileged.get(assignment.roleDefinitionId);
    if (role === undefined) return;
    const holder = holders.get(assignment.principalId) ?? { roles: [], eligible: false, active: false, viaGroups: [] };
    if (!holder.roles.includes(role)) holder.roles.push(role);
    holder.roles.sort();
    if (eligible) holder.eligible = true;
    else holder.active = true;
    holders.set(assignment.principalId, holder);
  };
  for (const assignment of assignments) {
    add(assignment, false);
    const principal = assignment.principalId.toLowerCase();
    const templates = holders.activeRoles.get(principal) ?? new Set<string>();
    const template = templateOf.get(assignment.roleDefinitionId.toLowerCase()) ?? assignment.roleDefinitionId.toLowerCase();
    // Scoped to an administrative unit: kept as `template|scope` until the restricted units are known (sensitiveRoleOf).
    templates.add(/^\/administrativeUnits\//i.test(assignment.directoryScopeId ?? '') ? `${template}|${assignment.directoryScopeId}` : template);
    holders.activeRoles.set(principal, templates);
  }
  for (const eligibility of eligibilities) add(eligibility, true);
  return holders;
}

/**
 * Privileged role holders. Roles held through role-assignable groups are
 * copied to the groups' (transitive) user members.
 */
export interface RoleHolderOptions extends ReaderOptions {
  /**
   * Ids known to be users (e.g. from the listing): their assignments need no
   * type lookup. Only the other principals are looked up
   * (`POST /directoryObjects/getByIds`, types group) and, when groups, expanded.
   */
  knownUserIds?: ReadonlySet<string> | Promise<ReadonlySet<string>>;
}

export async function readPrivilegedRoleHolders(graph: Graph, options: RoleHolderOptions = {}): Promise<PrivilegedRoleHolders> {
  const [definitions, assignments] = await Promise.all([readRoleDefinitions(graph, options), readRoleAssignments(graph, options)]);
  let eligibilities: UnifiedRoleAssignment[] = [];
  let eligibilityWhy: string | undefined;
  try {
    eligibilities = await readRoleEligibilities(graph, options);
  } catch (error) {
    if (!(error instanceof CloudError) || !['FORBIDDEN', 'NOT_FOUND', 'GRAPH_ERROR'].includes(error.reason)) throw error;
    eligibilityWhy = error.message;
  }
  const holders = joinPrivilegedRoles(definitions, assignments, eligibilities);
  if (eligibilityWhy !== undefined) {
    holders.eligibilityKnown = false;
    holders.eligibilityWhy = eligibilityWhy;
  }
  await expandGroupHolders(graph, holders, options);
  return holders;
}

/**
 * Role-assignable groups among the principals (any role, active or eligible) are
 * expanded to their transitive user members: `POST /directoryObjects/getByIds`
 * (types group) tells groups apart, `GET /groups/{id}/transitiveMembers/microsoft.graph.user`
 * lists their users (learn.microsoft.com/graph/api/directoryobject-getbyids, group-list-transitivemembers).
 */
async function expandGroupHolders(graph: Graph, holders: PrivilegedRoleHolders, options: RoleHolderOptions): Promise<void> {
  const knownUserIds = await options.knownUserIds;
  const known = knownUserIds ? new Set([...knownUserIds].map((id) => id.toLowerCase())) : undefined;
  const principals = new Set<string>([...holders.keys(), ...holders.activeRoles.keys()].map((id) => id.toLowerCase()));
  const principalIds = [...principals].filter((id) => !known?.has(id));
  if (principalIds.length === 0) return;
  const byLower = new Map([...holders.keys()].map((id) => [id.toLowerCase(), id]));
  try {
    const groupIds: string[] = [];
    for (let i = 0; i < principalIds.length; i += 1000) {
      const answer = await graphRequest<GraphPage<{ id: string }>>(
        graph,
        'POST',
        '/directoryObjects/getByIds',
        { ids: principalIds.slice(i, i + 1000), types: ['group'] },
        requestOptions(options, 'POST directoryObjects/getByIds'),
      );
      groupIds.push(...(answer.value ?? []).map((object) => object.id));
    }
    for (const groupId of groupIds) {
      const key = groupId.toLowerCase();
      const group = holders.get(byLower.get(key) ?? groupId);
      const groupRoles = holders.activeRoles.get(key);
      if (group === undefined && groupRoles === undefined) continue;
      const members = await graphGetAll<{ id: string }>(graph, `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=id`, requestOptions(options, 'GET group members'));
      for (const member of members) {
        if (groupRoles !== undefined) {
          const templates = holders.activeRoles.get(member.id.toLowerCase()) ?? new Set<string>();
          for (const t of groupRoles) templates.add(t);
          holders.activeRoles.set(member.id.toLowerCase(), templates);
        }
        if (group === undefined) continue;
        const holder = holders.get(member.id) ?? { roles: [], eligible: false, active: false, viaGroups: [] };
        for (const role of group.roles) if (!holder.roles.includes(role)) holder.roles.push(role);
        holder.roles.sort();
        holder.eligible ||= group.eligible;
        holder.active ||= group.active;
        if (!holder.viaGroups.includes(groupId)) holder.viaGroups.push(groupId);
        holders.set(member.id, holder);
      }
    }
  } catch (error) {
    if (!(error instanceof CloudError) || error.reason === 'AUTH_FAILED' || error.reason === 'TRANSIENT' || error.reason === 'THROTTLED') throw error;
    holders.groupsExpanded = false;
    holders.groupsWhy = error.message;
  }
}

// ---------------------------------------------------------------- sensitive writes

/** One user an app with User.ReadWrite.All may not anchor, as far as the tenant says (src/graph/sensitive-actions.ts). */
export interface ProtectedMembership {
  /** Display names of the role-assignable groups the user is a member or owner of. */
  roleAssignableGroups: string[];
  /** Display names of the restricted management administrative units holding the user. */
  restrictedAdministrativeUnits: string[];
}

export interface ProtectedMemberships {
  /** Lower-cased user id -> what protects it. */
  users: Map<string, ProtectedMembership>;
  /** Lower-cased ids of the restricted management administrative units. */
  restrictedUnitIds: Set<string>;
  /** What could not be read, one sentence each (the guards report them as WARN_GUARDS_INCOMPLETE). */
  gaps: string[];
}

/**
 * Members and owners of role-assignable groups, and members of restricted
 * management administrative units: the rows of "Who can perform sensitive
 * actions" that are not roles. Read per tenant, not per user: one group listing
 * (`GET /groups?$select=id,displayName,isAssignableToRole`, 999 a page; a tenant has
 * at most 500 role-assignable groups, learn.microsoft.com/entra/identity/role-based-access-control/groups-concept),
 * the members and owners of each role-assignable group, one administrative unit
 * listing and the members of each restricted one. A refused read is a gap, not a crash.
 */
export async function readProtectedMemberships(graph: Graph, options: ReaderOptions = {}): Promise<ProtectedMemberships> {
  const users = new Map<string, ProtectedMembership>();
  const restrictedUnitIds = new Set<string>();
  const gaps: string[] = [];
  const entry = (id: string) => {
    const key = id.toLowerCase();
    const found = users.get(key) ?? { roleAssignableGroups: [], restrictedAdministrativeUnits: [] };
    users.set(key, found);
    return found;
  };
  try {
    const groups = await graphGetAll<{ id: string; displayName?: string | null; isAssignableToRole?: boolean | null }>(
      graph,
      '/groups?$select=id,displayName,isAssignableToRole&$top=999',
      requestOptions(options, 'GET groups'),
    );
    for (const group of groups.filter((g) => g.isAssignableToRole === true)) {
      const name = group.displayName ?? group.id;
      const path = `/groups/${encodeURIComponent(group.id)}`;
      const [members, owners] = await Promise.all([
        graphGetAll<{ id: string }>(graph, `${path}/transitiveMembers/microsoft.graph.user?$select=id`, requestOptions(options, 'GET group members')),
        graphGetAll<{ id: string }>(graph, `${path}/owners/microsoft.graph.user?$select=id`, requestOptions(options, 'GET group owners')),
      ]);
      for (const user of [...members, ...owners]) {
        const found = entry(user.id);
        if (!found.roleAssignableGroups.includes(name)) found.roleAssignableGroups.push(name);
      }
    }
  } catch (error) {
    if (!isGap(error)) throw error;
    gaps.push(`role-assignable groups could not be read (${error.message}; needs GroupMember.Read.All): their members and owners are NOT blocked, and the anchor write to them would be refused (403).`);
  }
  try {
    const units = await graphGetAll<{ id: string; displayName?: string | null; isMemberManagementRestricted?: boolean | null }>(
      graph,
      '/directory/administrativeUnits?$select=id,displayName,isMemberManagementRestricted',
      requestOptions(options, 'GET administrativeUnits'),
    );
    for (const unit of units.filter((u) => u.isMemberManagementRestricted === true)) {
      restrictedUnitIds.add(unit.id.toLowerCase());
      const members = await graphGetAll<{ id: string }>(
        graph,
        `/directory/administrativeUnits/${encodeURIComponent(unit.id)}/members/microsoft.graph.user?$select=id`,
        requestOptions(options, 'GET administrativeUnit members'),
      );
      for (const user of members) entry(user.id).restrictedAdministrativeUnits.push(unit.displayName ?? unit.id);
    }
  } catch (error) {
    if (!isGap(error)) throw error;
    gaps.push(`administrative units could not be read (${error.message}; needs AdministrativeUnit.Read.All): members of restricted management units are NOT blocked, and the anchor write to them would be refused (403).`);
  }
  return { users, restrictedUnitIds, gaps };
}

function isGap(error: unknown): error is CloudError {
  return error instanceof CloudError && (error.reason === 'FORBIDDEN' || error.reason === 'NOT_FOUND' || (error.reason === 'GRAPH_ERROR' && error.status === 400));
}

// ---------------------------------------------------------------- domains

export interface TenantDomains {
  domains: GraphDomain[];
  /** Lower-cased names of federated domains. */
  federated: Set<string>;
}

export async function readDomains(graph: Graph, options: ReaderOptions = {}): Promise<TenantDomains> {
  const domains = await graphGetAll<GraphDomain>(graph, '/domains?$select=id,authenticationType,isVerified,isDefault,isInitial', requestOptions(options, 'GET domains'));
  return { domains, federated: new Set(domains.filter((domain) => domain.authenticationType === 'Federated').map((domain) => domain.id.toLowerCase())) };
}

/** True when the UPN's domain (or a parent domain of it) is federated. */
export function isFederatedUpn(userPrincipalName: string, federated: ReadonlySet<string>): boolean {
  let domain = userPrincipalName.slice(userPrincipalName.lastIndexOf('@') + 1).toLowerCase();
  while (domain.includes('.')) {
    if (federated.has(domain)) return true;
    domain = domain.slice(domain.indexOf('.') + 1);
  }
  return false;
}

// ---------------------------------------------------------------- tenant sync blocks

export type SyncFeatures =
  | { known: true; features: Record<string, boolean>; configuration?: Record<string, unknown>; raw: OnPremisesDirectorySynchronization[] }
  | { known: false; reason: string; message: string };

/**
 * `GET /directory/onPremisesSynchronization` (blockCloudObjectTakeoverThroughHardMatchEnabled,
 * blockSoftMatchEnabled, ...). App-only tokens usually get 403: that is `{ known: false }`.
 */
export async function readSyncFeatures(graph: Graph, options: ReaderOptions = {}): Promise<SyncFeatures> {
  try {
    const page = await graphGet<GraphPage<OnPremisesDirectorySynchronization>>(graph, '/directory/onPremisesSynchronization', requestOptions(options, 'GET onPremisesSynchronization'));
    const raw = page.value ?? [];
    const first = raw[0];
    if (first === undefined) return { known: false, reason: 'EMPTY', message: 'the tenant returned no onPremisesSynchronization object' };
    return { known: true, features: first.features ?? {}, ...(first.configuration ? { configuration: first.configuration } : {}), raw };
  } catch (error) {
    if (error instanceof CloudError && (error.reason === 'FORBIDDEN' || error.reason === 'NOT_FOUND')) {
      return { known: false, reason: error.reason, message: error.message };
    }
    throw error;
  }
}

// ---------------------------------------------------------------- onPremisesObjectIdentifier

/**
 * The /beta listing that reads onPremisesObjectIdentifier: the property is in no
 * v1.0 schema (microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl), and
 * Microsoft's hardening docs read it on /beta/users
 * (learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes).
 * 999 a page (the maximum, learn.microsoft.com/graph/api/user-list): about 100
 * requests for 100,000 users, 1 resource unit each ($select), whoever they are.
 */
export const OBJECT_IDENTIFIER_LISTING = '/beta/users?$select=id,onPremisesObjectIdentifier&$top=999';

export interface ObjectIdentifierListingOptions extends ReaderOptions {
  /** Keep only these ids (any case); absent: every user of the tenant. */
  only?: ReadonlySet<string>;
}

/**
 * Lower-cased user id -> onPremisesObjectIdentifier (null: read, not set) for
 * every user the listing returned. A user the listing did not return is NOT
 * "not set": the caller treats it as unknown. Graph's refusals are thrown
 * (CloudError); the caller decides what "could not read" means.
 */
export async function readObjectIdentifierListing(graph: Graph, options: ObjectIdentifierListingOptions = {}): Promise<Map<string, string | null>> {
  const only = options.only ? new Set([...options.only].map((id) => id.toLowerCase())) : undefined;
  const values = new Map<string, string | null>();
  let next: string | undefined = `${graph.baseUrl}${OBJECT_IDENTIFIER_LISTING}`;
  while (next !== undefined) {
    const page: GraphPage<{ id?: unknown; onPremisesObjectIdentifier?: unknown }> = await graphGet(graph, next, requestOptions(options, 'GET /beta/users onPremisesObjectIdentifier'));
    for (const user of page.value ?? []) {
      if (typeof user.id !== 'string') continue;
      const id = user.id.toLowerCase();
      if (only && !only.has(id)) continue;
      const value = user.onPremisesObjectIdentifier;
      values.set(id, typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
    }
    next = page['@odata.nextLink'] ?? undefined;
  }
  return values;
}

function requestOptions(options: ReaderOptions, operation: string): RequestOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.counter ? { counter: options.counter } : {}),
    context: { operation },
  };
}
