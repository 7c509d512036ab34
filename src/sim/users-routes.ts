/**
 * The user endpoints entra2ad reads:
 * - GET /users (learn.microsoft.com/graph/api/user-list)
 * - GET /users/{id | userPrincipalName} (user-get)
 * - GET /users/{id}/manager (user-list-manager): 404 when there is none
 * - GET /users/{id}/transitiveMemberOf[/microsoft.graph.directoryRole] (user-list-transitivememberof)
 */
import { projectGroup } from './groups-routes.js';
import { GraphHttpError, resourceNotFound } from './graph-error.js';
import { evaluate } from './odata/filter-eval.js';
import { nextLink, resumeListing, takePage, type PageState } from './paging.js';
import { isEventual, ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';
import type { SnapshotUser } from '../graph/tenant-snapshot.js';
import { projectDirectoryObject, projectUser } from './user-projection.js';
import { parseUsersQuery, type UsersQuery } from './users-query.js';
import { pageOfObjects } from './object-list.js';

/**
 * What a listing sees of a user: under `eventualLagMs`, advanced queries (and,
 * with eventualLagAllListings, every listing) read a store that has not caught
 * up with recent writes (src/sim/state.ts indexedView). Reads by id never lag.
 */
function listingView(req: SimRequest, ctx: SimContext): ((user: SnapshotUser) => SnapshotUser) | undefined {
  if (!ctx.state.lagging || !(isEventual(req) || ctx.eventualLagAllListings)) return undefined;
  const now = Date.now();
  return (user) => ctx.state.indexedView(user, now);
}

function contextUrl(ctx: SimContext, req: SimRequest, select: string[] | null, suffix = ''): string {
  return `${versionRoot(ctx, req)}/$metadata#users${select ? `(${select.join(',')})` : ''}${suffix}`;
}

function shape(ctx: SimContext, user: SnapshotUser, q: UsersQuery): Record<string, unknown> {
  const out = projectUser(user, q.select);
  if (q.expandManager) {
    const managerId = (user.manager as { id?: string } | null | undefined)?.id;
    const manager = managerId ? ctx.state.findUser(managerId) : undefined;
    // A user without a manager simply has no `manager` key in the answer.
    if (manager) out.manager = projectDirectoryObject(manager, q.expandManager.select);
  }
  return out;
}

/** Sorted positions for $orderby, cached per query and tenant version. */
const orderCache = new WeakMap<SimContext, Map<string, number[]>>();

function orderedPositions(ctx: SimContext, q: UsersQuery, key: string, view?: (user: SnapshotUser) => SnapshotUser): number[] {
  if (view) return sortPositions(ctx.state.users.map(view), q);
  let cache = orderCache.get(ctx);
  if (!cache) orderCache.set(ctx, (cache = new Map()));
  const cacheKey = `${ctx.state.version}|${key}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const positions = sortPositions(ctx.state.users, q);
  if (cache.size >= 4) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, positions);
  return positions;
}

function sortPositions(users: readonly SnapshotUser[], q: UsersQuery): number[] {
  const positions: number[] = [];
  for (let i = 0; i < users.length; i++) if (!q.filter || evaluate(q.filter, users[i])) positions.push(i);
  positions.sort((a, b) => {
    for (const { property, descending } of q.orderby) {
      const x = String((users[a] as SnapshotUser)[property] ?? '').toLowerCase();
      const y = String((users[b] as SnapshotUser)[property] ?? '').toLowerCase();
      if (x !== y) return (x < y ? -1 : 1) * (descending ? -1 : 1);
    }
    return a - b;
  });
  return positions;
}

export function listUsers(req: SimRequest, ctx: SimContext): SimResponse {
  const { query, cursor, token } = resumeListing(req.query);
  const q = parseUsersQuery(query, isEventual(req), true, req.version);
  const users = ctx.state.users;
  const body: Record<string, unknown> = { '@odata.context': contextUrl(ctx, req, q.select) };
  const view = listingView(req, ctx);
  const seen = view ?? ((user: SnapshotUser) => user);

  let items: SnapshotUser[];
  let next: number | null;
  if (q.orderby.length > 0) {
    const positions = orderedPositions(ctx, q, `${query['$filter'] ?? ''}|${query['$orderby'] ?? ''}`, view);
    items = positions.slice(cursor, cursor + q.top).map((i) => users[i] as SnapshotUser);
    next = cursor + q.top < positions.length ? cursor + q.top : null;
    if (q.count && token === undefined) body['@odata.count'] = positions.length;
  } else {
    const matches = q.filter ? (u: SnapshotUser) => evaluate(q.filter as NonNullable<UsersQuery['filter']>, seen(u)) : () => true;
    if (q.count && token === undefined) {
      let n = 0;
      for (const u of users) if (matches(u)) n++;
      body['@odata.count'] = n;
    }
    ({ items, next } = takePage(users, cursor, q.top, matches));
  }
  if (next !== null) {
    const state: PageState = { cursor: next, query, version: ctx.state.version };
    body['@odata.nextLink'] = nextLink(`${versionRoot(ctx, req)}/users`, query, state);
  }
  body.value = items.map((u) => shape(ctx, seen(u), q));
  return ok(body);
}

/**
 * GET /users/$count: advanced-query only. Without `ConsistencyLevel: eventual`
 * Graph answers 400 Request_BadRequest "$count is not currently supported."
 * (learn.microsoft.com/graph/aad-advanced-queries, "Error handling").
 */
export function countUsers(req: SimRequest, ctx: SimContext): SimResponse {
  if (!isEventual(req)) throw new GraphHttpError(400, 'Request_BadRequest', '$count is not currently supported.');
  const q = parseUsersQuery({ ...onlyFilter(req.query), $count: 'true' }, true, true, req.version);
  const seen = listingView(req, ctx) ?? ((user: SnapshotUser) => user);
  let n = 0;
  for (const u of ctx.state.users) if (!q.filter || evaluate(q.filter, seen(u))) n++;
  return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, text: String(n) };
}

function onlyFilter(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (k.toLowerCase() === '$filter' || !k.startsWith('$')) out[k] = v;
  return out;
}

function requireUser(ctx: SimContext, idOrUpn: string): SnapshotUser {
  const user = ctx.state.findUser(idOrUpn);
  if (!user) throw resourceNotFound(idOrUpn);
  return user;
}

export function getUser(req: SimRequest, ctx: SimContext, idOrUpn: string): SimResponse {
  const q = parseUsersQuery(onlySelectExpand(req.query), isEventual(req), false, req.version);
  const user = requireUser(ctx, idOrUpn);
  return ok({ '@odata.context': contextUrl(ctx, req, q.select, '/$entity'), ...shape(ctx, user, q) });
}

export function getManager(req: SimRequest, ctx: SimContext, idOrUpn: string): SimResponse {
  const q = parseUsersQuery(onlySelectExpand(req.query), isEventual(req), false, req.version);
  const user = requireUser(ctx, idOrUpn);
  const managerId = (user.manager as { id?: string } | null | undefined)?.id;
  const manager = managerId ? ctx.state.findUser(managerId) : undefined;
  if (!manager) throw resourceNotFound('manager');
  return ok({ '@odata.context': `${versionRoot(ctx, req)}/$metadata#directoryObjects/$entity`, ...projectDirectoryObject(manager, q.select) });
}

/** Single-object reads take $select/$expand; other options are ignored, as Graph does. */
function onlySelectExpand(query: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const lower = k.toLowerCase();
    if (lower === '$select' || lower === '$expand') out[k] = v;
    else if (!lower.startsWith('$')) out[k] = v; // still refused: Graph wants the `$`
  }
  return out;
}

/**
 * Directory roles the user holds actively, as directoryRole objects. The
 * simulator derives them from roleAssignments (the directoryRole id it uses is
 * the roleDefinition id; real tenants use a separate id per activated role).
 */
export function transitiveMemberOf(req: SimRequest, ctx: SimContext, idOrUpn: string, cast: string | undefined): SimResponse {
  const kind = cast?.toLowerCase();
  if (kind !== undefined && kind !== 'microsoft.graph.directoryrole' && kind !== 'microsoft.graph.group') {
    throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${cast}'.`);
  }
  const user = requireUser(ctx, idOrUpn);
  const snap = ctx.state.snapshot;
  // Groups the user is in, nested ones flattened (user-list-transitivememberof: "transitive"),
  // and the directory roles it holds directly or through one of those (role-assignable) groups.
  const id = user.id.toLowerCase();
  const groups = ctx.state.groups.filter((g) => ctx.state.transitiveMembers(g).users.some((u) => u.id.toLowerCase() === id));
  const principals = new Set([id, ...groups.map((g) => g.id.toLowerCase())]);
  const definitions = new Map(snap.roleDefinitions.map((d) => [d.id, d]));
  const seen = new Set<string>();
  const roles: Record<string, unknown>[] = [];
  for (const a of snap.roleAssignments) {
    if (!principals.has(a.principalId.toLowerCase()) || seen.has(a.roleDefinitionId)) continue;
    seen.add(a.roleDefinitionId);
    const d = definitions.get(a.roleDefinitionId);
    roles.push({
      '@odata.type': '#microsoft.graph.directoryRole',
      id: a.roleDefinitionId,
      deletedDateTime: null,
      description: (d as { description?: string } | undefined)?.description ?? null,
      displayName: d?.displayName ?? null,
      roleTemplateId: d?.templateId ?? a.roleDefinitionId,
    });
  }
  if (kind === 'microsoft.graph.group') {
    return pageOfObjects(req, ctx, {
      items: groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...projectGroup(g, null) })),
      path: `/users/${encodeURIComponent(idOrUpn)}/transitiveMemberOf/${cast}`,
      context: 'groups',
    });
  }
  if (kind === undefined) roles.push(...groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', ...projectGroup(g, null) })));
  return pageOfObjects(req, ctx, {
    items: roles,
    path: `/users/${encodeURIComponent(idOrUpn)}/transitiveMemberOf${cast ? `/${cast}` : ''}`,
    context: cast ? 'directoryRoles' : 'directoryObjects',
  });
}
