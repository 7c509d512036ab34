/**
 * Reading what planning needs, from both sides: the cloud users (streamed,
 * page by page), their managers (only for users the plan creates), and the
 * directory snapshot when a DC was named. Shared by plan, apply and verify so
 * all three see the world the same way.
 */
import {
  CloudError,
  listUsers,
  readDomains,
  readGroupUserIds,
  readManagers,
  readManagersByListing,
  readObjectIdentifierListing,
  readPrivilegedRoleHolders,
  readProtectedMemberships,
  readSyncBehaviors,
  readSyncFeatures,
  tokenGrants,
  SYNC_BEHAVIOR_DOC,
  type Graph,
  type GraphUser,
  type ListUsersSummary,
  type PrivilegedRoleHolder,
} from '../cloud/index.js';
import { UserCompactor } from '../cloud/compact-user.js';
import { RECOVERY_USER_SELECT } from '../graph/user.js';
import { readFile } from 'node:fs/promises';
import { readMailboxes } from '../cloud/mailbox-reader.js';
import type { Directory } from '../directory/index.js';
import { parseExoCsv, withKnownUsers, type ExoCsv } from '../exchange/exo-csv.js';
import type { MailboxFact } from '../exchange/mailbox-attributes.js';
import type { DirectorySnapshot } from '../directory/types.js';
import { buildPlan, planStream, type BuildPlanInput, type PlanStream } from '../plan/build-plan.js';
import { ROLE_SCOPED_TO_RESTRICTED_UNIT, sensitiveRoleOf } from '../graph/sensitive-actions.js';
import type { SensitiveTargetInfo, TenantGuards } from '../plan/guards.js';
import { scopeIndex, selectUser } from '../plan/select.js';
import type { PlanSettings } from '../plan/settings.js';
import type { Plan } from '../plan/types.js';

export interface CloudUsers {
  users: GraphUser[];
  listing: ListUsersSummary;
}

/**
 * Every user the plan must consider. Cloud-only users are filtered on the server
 * (advanced query, falling back to the client). In recovery mode synced users are
 * read too: after losing the DC their cloud objects still say onPremisesSyncEnabled
 * true, and they are exactly the ones to recover.
 */
export async function readCloudUsers(graph: Graph, options: { recover: boolean; filter?: string | undefined }): Promise<CloudUsers> {
  const users: GraphUser[] = [];
  const compactor = new UserCompactor(); // every user is held until planned: a third less memory (src/cloud/compact-user.ts)
  const pages = listUsers(graph, {
    cloudOnly: !options.recover,
    ...(options.recover ? { select: RECOVERY_USER_SELECT } : {}),
    ...(options.filter ? { filter: options.filter } : {}),
  });
  for (;;) {
    const next = await pages.next();
    if (next.done) return { users, listing: next.value };
    for (const user of next.value) users.push(compactor.compact(user));
  }
}

export async function readDirectorySnapshot(directory: Directory, targetOu: string): Promise<DirectorySnapshot> {
  return directory.readSnapshot({ targetOu });
}

export interface PlanInputs {
  graph: Graph;
  tenantId: string;
  settings: PlanSettings;
  users: readonly GraphUser[];
  directory?: DirectorySnapshot | undefined;
  toolVersion: string;
  now?: Date;
  /** The tenant's guards (readTenantGuards); absent: planned without guards. */
  guards?: TenantGuards | undefined;
}

/** buildPlan with the managers of the users it may create, read first. */
export async function planFromInputs(inputs: PlanInputs): Promise<Plan> {
  return buildPlan(await plannerInput(inputs));
}

/** planFromInputs as a stream of entries (src/plan/build-plan.ts planStream), for writing as they come. */
export async function planStreamFromInputs(inputs: PlanInputs): Promise<PlanStream> {
  return planStream(await plannerInput(inputs));
}

/**
 * Managers are read before planning, for every selected user (the plan decides later
 * which of them it creates), so the planner links each manager as it makes the entry.
 */
async function plannerInput(inputs: PlanInputs): Promise<BuildPlanInput> {
  const settings = await resolveGroupScope(inputs.graph, inputs.settings);
  const candidates = candidateIds(inputs.users, settings);
  const managers = await readManagersOf(inputs.graph, candidates);
  const { mailboxes, exchangeCsv } = await readExchangeInputs(inputs.graph, inputs.users, candidates, settings.exchangeCsv);
  return {
    mailboxes,
    ...(exchangeCsv ? { exchangeCsv } : {}),
    users: inputs.users,
    ...(inputs.directory ? { directory: inputs.directory } : {}),
    settings,
    tenantId: inputs.tenantId,
    now: inputs.now ?? new Date(),
    toolVersion: inputs.toolVersion,
    ...(inputs.guards ? { guards: inputs.guards } : {}),
    managers,
  };
}

/**
 * The mailboxes of the candidates that have `mail` (a user without it has no Exchange
 * Online mailbox: src/cloud/mailbox-reader.ts), and the Exchange Online export when one
 * is named. The export is untrusted: an unreadable file or a bad row is a reported
 * problem (plan.exchangeCsv), never a stop.
 */
export async function readExchangeInputs(
  graph: Graph,
  users: readonly GraphUser[],
  candidates: readonly string[],
  csvFile: string | undefined,
): Promise<{ mailboxes: Map<string, MailboxFact>; exchangeCsv?: ExoCsv }> {
  const withMail = new Set(users.filter((u) => typeof u.mail === 'string' && u.mail.trim() !== '').map((u) => u.id));
  const ids = candidates.filter((id) => withMail.has(id));
  const mailboxes = ids.length > 0 ? await readMailboxes(graph, ids) : new Map<string, MailboxFact>();
  if (csvFile === undefined) return { mailboxes };
  let text: string;
  try {
    text = await readFile(csvFile, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { mailboxes, exchangeCsv: { rows: new Map(), problems: [{ code: 'EXO_CSV_UNREADABLE', message: `the Exchange CSV ${csvFile} cannot be read (${why}); no mailbox GUID or X500 address is planned` }] } };
  }
  return { mailboxes, exchangeCsv: withKnownUsers(parseExoCsv(text), users.map((u) => u.userPrincipalName)) };
}

/**
 * Above this many users, per-user manager reads (1 RU each) would spend the tenant's
 * read budget for minutes; a sharded `$expand=manager` listing costs 2 RU per 100 users.
 */
export const MANAGER_LISTING_THRESHOLD = 2000;

async function readManagersOf(graph: Graph, ids: readonly string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  if (ids.length <= MANAGER_LISTING_THRESHOLD) return readManagers(graph, ids);
  const listed = await readManagersByListing(graph);
  const missing = ids.filter((id) => !listed.has(id));
  if (missing.length > 0) for (const [id, manager] of await readManagers(graph, missing)) listed.set(id, manager);
  return listed;
}

/**
 * `scope.groups` (`--group`) resolved from Graph: the union of the groups' transitive
 * user members becomes `scope.groupMemberIds` (SKIP_NOT_IN_GROUP for everyone else),
 * intersected with groupMemberIds when those were given too. `groups` is dropped from
 * the result, so resolving again is a no-op. A missing group is a CloudError NOT_FOUND.
 */
export async function resolveGroupScope(graph: Graph, settings: PlanSettings): Promise<PlanSettings> {
  const { groups, ...scope } = settings.scope;
  if (!groups?.length) return settings;
  const members = new Set<string>();
  for (const groupId of new Set(groups.map((g) => g.toLowerCase()))) {
    for (const id of await readGroupUserIds(graph, groupId)) members.add(id.toLowerCase());
  }
  const given = scope.groupMemberIds ? new Set(scope.groupMemberIds.map((id) => id.toLowerCase())) : null;
  const groupMemberIds = [...members].filter((id) => given === null || given.has(id));
  return { ...settings, scope: { ...scope, groupMemberIds } };
}

/** Ids of the users the planner would act on (selected, on either path): the ones whose onPremisesObjectIdentifier matters. */
export function candidateIds(users: readonly GraphUser[], settings: Pick<PlanSettings, 'scope' | 'recover'>): string[] {
  const scope = scopeIndex(settings);
  return users.filter((u) => typeof u.id === 'string' && selectUser(u, scope).selected).map((u) => u.id);
}

/** Graph refusals that mean "this caller may not read it" (a gap to report), not "stop". */
function isRefusal(error: unknown): error is CloudError {
  return error instanceof CloudError && (error.reason === 'FORBIDDEN' || error.reason === 'NOT_FOUND');
}

/**
 * Everything the guards need from the tenant (src/plan/guards.ts), read in a few
 * listings whatever the number of users: role holders from the role assignment and
 * PIM eligibility listings (not per user), domains, the sync features, and
 * onPremisesObjectIdentifier for EVERY user in `objectIdentifierIds` from one
 * /beta/users listing (999 a page): a user whose only trace of a past sync is
 * the identifier (converted users, cleared on-premises attributes) is caught too.
 * The identifier is tri-state per user (src/plan/guards.ts objectIdentifierStateOf):
 * a refused listing makes every user's "unknown", never "not set".
 * A read the caller is not allowed to make becomes a gap (WARN_GUARDS_INCOMPLETE),
 * never a crash; the sync features' 403 is `{ known: false }` (a warning).
 */
export async function readTenantGuards(
  graph: Graph,
  /** The listed users; a promise of them lets the guards be read while the listing still runs (only the role read waits for it). */
  users: readonly GraphUser[] | Promise<readonly GraphUser[]>,
  options: {
    objectIdentifierIds: Iterable<string>;
    allowUnknownObjectIdentifier?: boolean;
    /** Users whose source of authority (onPremisesSyncBehavior) to read: the recovery's. */
    syncBehaviorIds?: Iterable<string>;
  },
): Promise<TenantGuards> {
  // Waited for only once the role assignments are read. A listing that failed is rethrown as it is, never taken for a refused role read.
  const knownUserIds = Promise.resolve(users).then((listed): ReadonlySet<string> => new Set(listed.map((u) => u.id)));
  knownUserIds.catch(() => undefined);
  // The reads are independent: run at once, they cost one round trip of latency, not six.
  // The token's Entra roles (`wids`) say which sensitive writes the app itself may make.
  const grants = await tokenGrants(graph).catch(() => undefined);
  const [syncFeatures, roles, domains, identifiers, memberships, behaviors] = await Promise.all([
    readSyncFeatures(graph),
    readRoles(graph, knownUserIds),
    readDomainGuards(graph),
    readIdentifierGuards(graph, options.objectIdentifierIds),
    readProtectedMemberships(graph),
    readSyncBehaviorGuards(graph, options.syncBehaviorIds),
  ]);
  const gaps = [...roles.gaps, ...domains.gaps, ...identifiers.gaps, ...memberships.gaps, ...behaviors.gaps];
  const sensitive = sensitiveTargets(roles.activeRoles, roles.roleNames, memberships.users, memberships.restrictedUnitIds);
  const { privileged } = roles;
  const { federatedDomains, initialDomain } = domains;
  const { objectIdentifiers, objectIdentifiersUnknown } = identifiers;

  const first = syncFeatures.known ? syncFeatures.raw[0] : undefined;
  return {
    privileged,
    federatedDomains,
    syncFeatures: syncFeatures.known
      ? { known: true, features: syncFeatures.features, ...(first?.id ? { id: first.id } : {}) }
      : { known: false, reason: syncFeatures.reason, message: syncFeatures.message },
    ...(objectIdentifiers ? { objectIdentifiers } : {}),
    ...(objectIdentifiersUnknown !== undefined ? { objectIdentifiersUnknown } : {}),
    ...(options.allowUnknownObjectIdentifier ? { allowUnknownObjectIdentifier: true } : {}),
    ...(initialDomain ? { initialDomain } : {}),
    ...(behaviors.cloudManaged ? { cloudManaged: behaviors.cloudManaged } : {}),
    ...(gaps.length ? { gaps } : {}),
    sensitive,
    ...(grants && grants.roleTemplateIds.size > 0 ? { writerRoleTemplateIds: [...grants.roleTemplateIds].sort() } : {}),
  };
}

/** Source of authority of the given users; a refused read is a gap (their state unknown), not a stop. */
async function readSyncBehaviorGuards(graph: Graph, ids: Iterable<string> | undefined): Promise<{ cloudManaged?: Map<string, boolean>; gaps: string[] }> {
  const wanted = ids ? [...ids] : [];
  if (wanted.length === 0) return { gaps: [] };
  const read = await readSyncBehaviors(graph, wanted);
  if (read.known) return { cloudManaged: read.cloudManaged, gaps: [] };
  return {
    gaps: [
      `the source of authority (Graph beta GET /users/{id}/onPremisesSyncBehavior, permission User-OnPremisesSyncBehavior.ReadWrite.All; ${SYNC_BEHAVIOR_DOC}) ` +
        `could not be read (${read.message}): users switched to cloud management (isCloudManaged true) are not detected`,
    ],
  };
}

/**
 * The guards as a plan reads them (plan, preflight): `--group` resolved once into the
 * settings, then the guards of the users in scope, with the recovery's sources of authority.
 */
export async function readPlanningGuards(graph: Graph, users: readonly GraphUser[], settings: PlanSettings): Promise<{ settings: PlanSettings; guards: TenantGuards }> {
  const scoped = await resolveGroupScope(graph, settings);
  const ids = candidateIds(users, scoped);
  const guards = await readTenantGuards(graph, users, {
    objectIdentifierIds: ids,
    allowUnknownObjectIdentifier: scoped.allowUnknownObjectIdentifier,
    ...(scoped.recover ? { syncBehaviorIds: syncBehaviorCandidates(users, ids) } : {}),
  });
  return { settings: scoped, guards };
}

/** The recovery's users whose source of authority matters: synced users carrying an immutableId. */
export function syncBehaviorCandidates(users: readonly GraphUser[], ids: Iterable<string>): string[] {
  const wanted = new Set([...ids].map((id) => id.toLowerCase()));
  return users.filter((u) => wanted.has(u.id.toLowerCase()) && u.onPremisesSyncEnabled !== null && u.onPremisesSyncEnabled !== undefined && !!u.onPremisesImmutableId).map((u) => u.id);
}

/** User id -> its rows in "Who can perform sensitive actions" (src/graph/sensitive-actions.ts): roles, role-assignable groups, restricted units. */
function sensitiveTargets(
  activeRoles: ReadonlyMap<string, ReadonlySet<string>>,
  roleNames: ReadonlyMap<string, string>,
  memberships: ReadonlyMap<string, { roleAssignableGroups: string[]; restrictedAdministrativeUnits: string[] }>,
  restrictedUnitIds: ReadonlySet<string>,
): Map<string, SensitiveTargetInfo> {
  const out = new Map<string, SensitiveTargetInfo>();
  for (const id of new Set([...activeRoles.keys(), ...memberships.keys()])) {
    // `template|/administrativeUnits/{id}`: a role scoped to a unit; a restricted unit's scope is its own row.
    const entries = [...(activeRoles.get(id) ?? [])].sort().map((entry) => {
      const [template = entry, scope] = entry.split('|');
      const counted = sensitiveRoleOf(template, scope, restrictedUnitIds);
      const name = roleNames.get(template) ?? template;
      return { counted, name: counted === ROLE_SCOPED_TO_RESTRICTED_UNIT ? `${name} (scoped to a restricted management administrative unit)` : name };
    });
    const membership = memberships.get(id);
    out.set(id, {
      roleTemplateIds: entries.map((e) => e.counted),
      roleNames: entries.map((e) => e.name),
      roleAssignableGroups: membership?.roleAssignableGroups ?? [],
      restrictedAdministrativeUnits: membership?.restrictedAdministrativeUnits ?? [],
    });
  }
  return out;
}

interface RoleGuards {
  privileged: ReadonlyMap<string, PrivilegedRoleHolder>;
  /** Lower-cased principal id -> template ids of every active role (src/cloud/guards-reader.ts PrivilegedRoleHolders.activeRoles). */
  activeRoles: ReadonlyMap<string, ReadonlySet<string>>;
  roleNames: ReadonlyMap<string, string>;
  gaps: string[];
}

async function readRoles(graph: Graph, knownUserIds: Promise<ReadonlySet<string>>): Promise<RoleGuards> {
  const gaps: string[] = [];
  try {
    const holders = await readPrivilegedRoleHolders(graph, { knownUserIds });
    if (!holders.eligibilityKnown)
      gaps.push(`PIM eligibilities could not be read (${holders.eligibilityWhy ?? 'unknown'}): users only eligible for a privileged role are NOT blocked.`);
    if (!holders.groupsExpanded)
      gaps.push(`role-assignable groups could not be expanded (${holders.groupsWhy ?? 'unknown'}): users holding a privileged role through a group are NOT blocked.`);
    return { privileged: holders, activeRoles: holders.activeRoles, roleNames: holders.roleNames, gaps };
  } catch (error) {
    await knownUserIds; // the listing's own error, if that is what failed
    if (!isRefusal(error)) throw error;
    return { privileged: new Map(), activeRoles: new Map(), roleNames: new Map(), gaps: [`privileged role holders could not be read (${error.message}; needs RoleManagement.Read.Directory): role holders are NOT blocked.`] };
  }
}

async function readDomainGuards(graph: Graph): Promise<{ federatedDomains: ReadonlySet<string>; initialDomain?: string; gaps: string[] }> {
  try {
    const domains = await readDomains(graph);
    const initialDomain = domains.domains.find((d) => d.isInitial)?.id;
    return { federatedDomains: domains.federated, ...(initialDomain ? { initialDomain } : {}), gaps: [] };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return { federatedDomains: new Set(), gaps: [`domains could not be read (${error.message}; needs Domain.Read.All): users in federated domains are NOT blocked.`] };
  }
}

async function readIdentifierGuards(
  graph: Graph,
  objectIdentifierIds: Iterable<string>,
): Promise<{ objectIdentifiers?: Map<string, string | null>; objectIdentifiersUnknown?: string; gaps: string[] }> {
  const candidates = new Set([...objectIdentifierIds].map((id) => id.toLowerCase()));
  if (candidates.size === 0) return { objectIdentifiers: new Map(), gaps: [] };
  try {
    const objectIdentifiers = await readObjectIdentifierListing(graph, { only: candidates });
    const missing = [...candidates].filter((id) => !objectIdentifiers.has(id)).length;
    const gaps =
      missing > 0
        ? [`onPremisesObjectIdentifier is unknown for ${missing} user(s) the /beta/users listing did not return: they are blocked (BLOCKED_OBJECT_IDENTIFIER_UNKNOWN) unless --allow-unknown-object-identifier is given.`]
        : [];
    return { objectIdentifiers, gaps };
  } catch (error) {
    if (!isIdentifierRefusal(error)) throw error;
    const why = `GET /beta/users?$select=id,onPremisesObjectIdentifier: ${error.message}`;
    return {
      objectIdentifiersUnknown: why,
      gaps: [
        `onPremisesObjectIdentifier could not be read (${why}): it is UNKNOWN for all ${candidates.size} user(s), who are blocked ` +
          '(BLOCKED_OBJECT_IDENTIFIER_UNKNOWN) unless --allow-unknown-object-identifier is given (config plan.allowUnknownObjectIdentifier).',
      ],
    };
  }
}

/** A /beta listing can also be refused as a bad request (a cloud without that beta property or route). */
function isIdentifierRefusal(error: unknown): error is CloudError {
  return isRefusal(error) || (error instanceof CloudError && error.reason === 'GRAPH_ERROR' && error.status === 400);
}
