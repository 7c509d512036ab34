/**
 * A tenant snapshot (src/graph/tenant-snapshot.ts format) read from a real tenant through
 * the same adapter the tool uses, so an admin can rehearse a run against the
 * simulator loaded with their own tenant.
 *
 * `writeSnapshot` streams users to the file page by page (memory stays bounded
 * at 100,000+ users) into a temp file renamed at the end (no half-written file
 * on failure), mode 0600 (it holds personal data). `readSnapshot` is the
 * in-memory form for small tenants and tests.
 *
 * Role-assignable groups (members and owners) and restricted management
 * administrative units are read too, so a rehearsal sees roles held through
 * groups and the users Graph refuses to anchor (src/graph/sensitive-actions.ts).
 * What the simulator's loader requires and real tenants do not guarantee:
 * role assignments to service principals (and to groups that could not be read)
 * are dropped and counted in `warnings`; members that are not users of the
 * snapshot (devices, contacts, other groups) are left out; an unreadable
 * onPremisesSynchronization is written as `[]` (unknown), not as "all off".
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { USER_SELECT } from '../graph/user.js';
import { isPrivilegedDefinition, readDomains, readObjectIdentifierListing, readRoleAssignments, readRoleDefinitions, readRoleEligibilities, readSyncFeatures, type ReaderOptions } from './guards-reader.js';
import { graphGet, graphGetAll, type GraphPage } from './request.js';
import { listUsers } from './users-reader.js';
import type { SnapshotAdministrativeUnit, SnapshotGroup, SnapshotUser, TenantInfo, TenantSnapshot } from '../graph/tenant-snapshot.js';

export interface SnapshotOptions extends ReaderOptions {
  /** Called after each page of users with the running count (progress goes to stderr, not here). */
  onUsers?: (count: number) => void;
}

export interface SnapshotSummary {
  tenantId: string;
  users: number;
  domains: number;
  roleDefinitions: number;
  roleAssignments: number;
  roleEligibilityScheduleInstances: number;
  /** False when eligibilities could not be read (no permission or licence). */
  eligibilityKnown: boolean;
  syncFeaturesKnown: boolean;
  /** Whether users carry onPremisesObjectIdentifier (read from the /beta/users listing; v1.0 does not declare it). */
  objectIdentifierRead: boolean;
  warnings: string[];
}

type SnapshotWithoutUsers = Omit<TenantSnapshot, 'users'>;

/** Everything but the users, plus the summary so far. */
async function readTenantParts(graph: Graph, options: ReaderOptions): Promise<{ parts: SnapshotWithoutUsers; summary: SnapshotSummary }> {
  const warnings: string[] = [];
  const organization = await graphGet<GraphPage<{ id: string; displayName?: string | null; verifiedDomains?: { name: string; isInitial?: boolean }[] }>>(
    graph,
    '/organization?$select=id,displayName,verifiedDomains',
    { ...requestOptions(options), context: { operation: 'GET organization' } },
  );
  const org = organization.value?.[0];
  const { domains } = await readDomains(graph, options);
  const initialDomain = domains.find((d) => d.isInitial)?.id ?? org?.verifiedDomains?.find((d) => d.isInitial)?.name ?? domains[0]?.id ?? '';
  const tenant: TenantInfo = { id: org?.id ?? graph.options.tenantId ?? '', initialDomain };
  if (org?.displayName) tenant.displayName = org.displayName;

  const roleDefinitions = (await readRoleDefinitions(graph, options)).map((d) => ({
    id: d.id,
    displayName: d.displayName,
    isPrivileged: isPrivilegedDefinition(d),
    ...(d.isBuiltIn !== undefined ? { isBuiltIn: d.isBuiltIn } : {}),
    ...(d.templateId ? { templateId: d.templateId } : {}),
  }));
  const roleAssignments = (await readRoleAssignments(graph, options)).map(({ id, principalId, roleDefinitionId, directoryScopeId }) => ({ id, principalId, roleDefinitionId, directoryScopeId }));
  let roleEligibilityScheduleInstances: TenantSnapshot['roleEligibilityScheduleInstances'] = [];
  let eligibilityKnown = true;
  try {
    roleEligibilityScheduleInstances = (await readRoleEligibilities(graph, options)).map(({ id, principalId, roleDefinitionId, directoryScopeId }) => ({ id, principalId, roleDefinitionId, directoryScopeId }));
  } catch (error) {
    if (!(error instanceof CloudError) || error.retryable || error.reason === 'AUTH_FAILED') throw error;
    eligibilityKnown = false;
    warnings.push(`PIM eligibilities not read: ${error.message}`);
  }
  const sync = await readSyncFeatures(graph, options);
  if (!sync.known) warnings.push(`onPremisesSynchronization not read (${sync.reason}): written as [] (unknown)`);
  const { groups, administrativeUnits } = await readProtectedObjects(graph, options, warnings);
  const parts: SnapshotWithoutUsers = {
    tenant,
    domains: domains.map(({ id, authenticationType, isVerified, isDefault, isInitial }) => ({ id, authenticationType, isVerified, isDefault, isInitial })),
    roleDefinitions,
    roleAssignments,
    roleEligibilityScheduleInstances,
    onPremisesSynchronization: sync.known ? sync.raw.map((s) => ({ id: s.id, features: s.features, ...(s.configuration ? { configuration: s.configuration } : {}) })) : [],
    groups,
    administrativeUnits,
  };
  const summary: SnapshotSummary = {
    tenantId: tenant.id,
    users: 0,
    domains: domains.length,
    roleDefinitions: roleDefinitions.length,
    roleAssignments: roleAssignments.length,
    roleEligibilityScheduleInstances: roleEligibilityScheduleInstances.length,
    eligibilityKnown,
    syncFeaturesKnown: sync.known,
    objectIdentifierRead: false,
    warnings,
  };
  return { parts, summary };
}

/**
 * Users' onPremisesObjectIdentifier from the /beta listing (only the set ones are
 * kept); refused: a warning, and the snapshot carries none (the simulator then
 * serves null: a rehearsal from it cannot show the July 2026 block).
 */
async function readSetObjectIdentifiers(graph: Graph, options: ReaderOptions, summary: SnapshotSummary): Promise<Map<string, string>> {
  const set = new Map<string, string>();
  try {
    for (const [id, value] of await readObjectIdentifierListing(graph, options)) if (value !== null) set.set(id, value);
    summary.objectIdentifierRead = true;
  } catch (error) {
    if (!(error instanceof CloudError) || error.retryable || error.reason === 'AUTH_FAILED') throw error;
    summary.warnings.push(`onPremisesObjectIdentifier not read (${error.message}): users carry none`);
  }
  return set;
}

/** Graph's user page entry -> snapshot user: `manager` reduced to {id} and dropped when absent. */
function toSnapshotUser(user: Record<string, unknown>): SnapshotUser {
  const { manager, ...rest } = user;
  for (const key of Object.keys(rest)) if (key.startsWith('@odata.')) delete rest[key];
  const out = rest as SnapshotUser;
  if (manager && typeof manager === 'object' && typeof (manager as { id?: unknown }).id === 'string') out.manager = { id: (manager as { id: string }).id };
  return out;
}

async function* snapshotUsers(graph: Graph, options: SnapshotOptions, summary: SnapshotSummary): AsyncGenerator<SnapshotUser[]> {
  const identifiers = await readSetObjectIdentifiers(graph, options, summary);
  for await (const page of listUsers(graph, { cloudOnly: false, expandManager: true, select: [...USER_SELECT], ...requestOptions(options) })) {
    const users = page.map((user) => {
      const out = toSnapshotUser(user as unknown as Record<string, unknown>);
      const identifier = identifiers.get(out.id.toLowerCase());
      if (identifier !== undefined) out.onPremisesObjectIdentifier = identifier;
      return out;
    });
    summary.users += users.length;
    options.onUsers?.(summary.users);
    yield users;
  }
}

/**
 * Role-assignable groups with their (user) members and owners, and restricted
 * management administrative units with their (user) members: what the guards read
 * (src/cloud/guards-reader.ts readProtectedMemberships). Refused: a warning, none kept.
 */
async function readProtectedObjects(
  graph: Graph,
  options: ReaderOptions,
  warnings: string[],
): Promise<{ groups: SnapshotGroup[]; administrativeUnits: SnapshotAdministrativeUnit[] }> {
  const opts = (operation: string) => ({ ...requestOptions(options), context: { operation } });
  const ids = async (path: string, operation: string) => (await graphGetAll<{ id: string }>(graph, `${path}?$select=id`, opts(operation))).map((o) => o.id);
  const groups: SnapshotGroup[] = [];
  try {
    const all = await graphGetAll<{ id: string; displayName?: string | null; isAssignableToRole?: boolean | null }>(graph, '/groups?$select=id,displayName,isAssignableToRole&$top=999', opts('GET groups'));
    for (const g of all.filter((x) => x.isAssignableToRole === true)) {
      const path = `/groups/${encodeURIComponent(g.id)}`;
      groups.push({
        id: g.id,
        displayName: g.displayName ?? g.id,
        isAssignableToRole: true,
        members: await ids(`${path}/transitiveMembers/microsoft.graph.user`, 'GET group members'),
        owners: await ids(`${path}/owners/microsoft.graph.user`, 'GET group owners'),
      });
    }
  } catch (error) {
    if (!(error instanceof CloudError) || error.retryable || error.reason === 'AUTH_FAILED') throw error;
    warnings.push(`role-assignable groups not read (${error.message}): roles held through groups are left out`);
    groups.length = 0;
  }
  const administrativeUnits: SnapshotAdministrativeUnit[] = [];
  try {
    const all = await graphGetAll<{ id: string; displayName?: string | null; isMemberManagementRestricted?: boolean | null }>(
      graph,
      '/directory/administrativeUnits?$select=id,displayName,isMemberManagementRestricted',
      opts('GET administrativeUnits'),
    );
    for (const u of all.filter((x) => x.isMemberManagementRestricted === true)) {
      administrativeUnits.push({
        id: u.id,
        displayName: u.displayName ?? u.id,
        isMemberManagementRestricted: true,
        members: await ids(`/directory/administrativeUnits/${encodeURIComponent(u.id)}/members/microsoft.graph.user`, 'GET administrativeUnit members'),
      });
    }
  } catch (error) {
    if (!(error instanceof CloudError) || error.retryable || error.reason === 'AUTH_FAILED') throw error;
    warnings.push(`administrative units not read (${error.message}): restricted management units are left out`);
    administrativeUnits.length = 0;
  }
  return { groups, administrativeUnits };
}

/**
 * Assignments whose principal is neither a user of the snapshot nor a role-assignable
 * group read with it (service principals) are dropped; group and unit members that are
 * not users of the snapshot are left out (the loader refuses unknown ids).
 */
function keepUserPrincipals(parts: SnapshotWithoutUsers, userIds: ReadonlySet<string>, summary: SnapshotSummary): void {
  const keep = (ids: string[]) => ids.filter((id) => userIds.has(id.toLowerCase()));
  parts.groups = (parts.groups ?? []).map((g) => ({ ...g, members: keep(g.members), owners: keep(g.owners ?? []) }));
  parts.administrativeUnits = (parts.administrativeUnits ?? []).map((u) => ({ ...u, members: keep(u.members) }));
  const groupIds = new Set(parts.groups.map((g) => g.id.toLowerCase()));
  for (const key of ['roleAssignments', 'roleEligibilityScheduleInstances'] as const) {
    const before = parts[key].length;
    parts[key] = parts[key].filter((a) => userIds.has(a.principalId.toLowerCase()) || groupIds.has(a.principalId.toLowerCase()));
    const dropped = before - parts[key].length;
    if (dropped > 0) summary.warnings.push(`${dropped} ${key} to principals that are neither users nor role-assignable groups (service principals) left out`);
  }
  summary.roleAssignments = parts.roleAssignments.length;
  summary.roleEligibilityScheduleInstances = parts.roleEligibilityScheduleInstances.length;
}

export async function readSnapshot(graph: Graph, options: SnapshotOptions = {}): Promise<{ snapshot: TenantSnapshot; summary: SnapshotSummary }> {
  const { parts, summary } = await readTenantParts(graph, options);
  const users: SnapshotUser[] = [];
  for await (const page of snapshotUsers(graph, options, summary)) users.push(...page);
  keepUserPrincipals(parts, new Set(users.map((u) => u.id.toLowerCase())), summary);
  const { tenant, ...rest } = parts;
  return { snapshot: { tenant, users, ...rest }, summary };
}

/**
 * Streams the snapshot into `file`. Users are written as they are read; only
 * their ids are kept (to drop assignments to non-user principals at the end).
 */
export async function writeSnapshot(graph: Graph, file: string, options: SnapshotOptions = {}): Promise<SnapshotSummary> {
  const { parts, summary } = await readTenantParts(graph, options);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.partial`);
  const out = createWriteStream(temp, { encoding: 'utf8', mode: 0o600 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    const userIds = new Set<string>();
    await write(`{\n  "tenant": ${JSON.stringify(parts.tenant)},\n  "users": [`);
    let first = true;
    for await (const page of snapshotUsers(graph, options, summary)) {
      let chunk = '';
      for (const user of page) {
        userIds.add(user.id.toLowerCase());
        chunk += `${first ? '\n' : ',\n'}    ${JSON.stringify(user)}`;
        first = false;
      }
      await write(chunk);
    }
    keepUserPrincipals(parts, userIds, summary);
    const { tenant: _tenant, ...rest } = parts;
    const tail = Object.entries(rest)
      .map(([key, value]) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`)
      .join(',\n');
    await write(`${first ? '' : '\n  '}],\n${tail}\n}\n`);
    out.end();
    await once(out, 'finish');
    await rename(temp, file);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
  return summary;
}

function requestOptions(options: ReaderOptions): { signal?: AbortSignal; counter?: { requests: number } } {
  return { ...(options.signal ? { signal: options.signal } : {}), ...(options.counter ? { counter: options.counter } : {}) };
}
