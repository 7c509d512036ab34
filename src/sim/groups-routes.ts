/**
 * The group endpoints entra2ad reads to scope a plan to a group (`--group`):
 *
 * - GET /groups/{id} (learn.microsoft.com/graph/api/group-get): the group's
 *   default properties, `$select` picks; 404 Request_ResourceNotFound for an
 *   unknown id (message as for users, see graph-error.ts).
 * - GET /groups (learn.microsoft.com/graph/api/group-list): the same objects,
 *   paged like the other small collections.
 * - GET /groups/{id}/transitiveMembers[/{cast}][/$count]
 *   (learn.microsoft.com/graph/api/group-list-transitivemembers):
 *   - "transitive and returns a flat list of all nested members": nested groups
 *     are walked, each object is listed once (state.ts `transitiveMembers`);
 *   - OData cast `microsoft.graph.user` / `microsoft.graph.group` filters on the
 *     type; the current v1.0 page allows the cast without advanced query
 *     parameters ("You can also filter the results on the OData type"), older
 *     revisions of the page and the aad-advanced-queries table listed it as
 *     advanced-only - the simulator follows the current page and accepts both;
 *   - a cast to a type that cannot be a member: 400 Request_UnsupportedQuery
 *     (same page: "An attempt to filter by an OData cast that represents an
 *     unsupported member type returns a 400 Bad Request error with the
 *     Request_UnsupportedQuery code"); device, orgContact and servicePrincipal
 *     members are not simulated, so those casts answer an empty list;
 *   - "returns up to 100 member objects by default. The maximum page size that
 *     you can request through the $top query parameter is 999 objects" (same
 *     page), the out-of-range answer as for /users (users-query.ts `parseTop`);
 *   - `@odata.nextLink` with `$skiptoken`, absent on the last page (graph/paging);
 *   - `$count=true` adds `@odata.count` only with `ConsistencyLevel: eventual`,
 *     and is silently ignored without it; the `/$count` segment without the
 *     header is 400 "$count is not currently supported."
 *     (graph/aad-advanced-queries, "Error handling for advanced queries");
 *   - `$filter` needs the advanced query parameters (the page's request-header
 *     table); implemented on the user cast only, with the /users rules;
 *     `$orderby`, `$expand` and `$filter` elsewhere are 501 (not simulated).
 *   - an unknown group: 404 Request_ResourceNotFound.
 */
import { GraphHttpError, resourceNotFound, unsupportedQuery } from './graph-error.js';
import { pageOfObjects } from './object-list.js';
import { evaluate } from './odata/filter-eval.js';
import { parseFilter } from './odata/filter-parser.js';
import { analyzeUserFilter, noSuchProperty } from './odata/user-filter-rules.js';
import { nextLink, resumeListing, takePage } from './paging.js';
import { isEventual, ok, versionRoot, type ApiVersion, type SimContext, type SimRequest, type SimResponse } from './request.js';
import type { SnapshotGroup, SnapshotUser } from '../graph/tenant-snapshot.js';
import { projectUser } from './user-projection.js';
import { parseSelect, parseTop, readOptions, refuseSkipAndSearch } from './users-query.js';

/**
 * The properties GET /groups/{id} returns without $select, for a security
 * group, in the order of group-get's example response (values Graph gives a
 * plain security group unless the snapshot says otherwise).
 */
const GROUP_DEFAULTS: Readonly<Record<string, unknown>> = {
  id: null,
  deletedDateTime: null,
  classification: null,
  createdDateTime: null,
  description: null,
  displayName: null,
  expirationDateTime: null,
  groupTypes: [],
  isAssignableToRole: null,
  mail: null,
  mailEnabled: false,
  mailNickname: null,
  membershipRule: null,
  membershipRuleProcessingState: null,
  onPremisesSyncEnabled: null,
  proxyAddresses: [],
  renewedDateTime: null,
  securityEnabled: true,
  securityIdentifier: null,
  visibility: null,
};

/** A stored group as Graph shows it: defaults, then what the snapshot says; `members` and `owners` are relationships, never properties. */
function groupObject(group: SnapshotGroup): Record<string, unknown> {
  const { members: _members, owners: _owners, ...given } = group;
  return { ...GROUP_DEFAULTS, mailNickname: given.displayName, ...given };
}

export function projectGroup(group: SnapshotGroup, select: readonly string[] | null): Record<string, unknown> {
  const full = groupObject(group);
  if (select === null) return full;
  const out: Record<string, unknown> = {};
  for (const name of select) out[name] = full[name] ?? null;
  return out;
}

/** `$select` on groups: canonical names, or Graph's refusal for an unknown one. */
function parseGroupSelect(value: string | undefined, known: readonly SnapshotGroup[]): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  const names = new Map<string, string>();
  for (const key of Object.keys(GROUP_DEFAULTS)) names.set(key.toLowerCase(), key);
  for (const group of known) for (const key of Object.keys(group)) if (key !== 'members' && key !== 'owners') names.set(key.toLowerCase(), key);
  return value.split(',').map((raw) => {
    const name = raw.trim();
    const canonical = names.get(name.toLowerCase());
    if (!canonical) throw noSuchProperty(name);
    return canonical;
  });
}

function requireGroup(ctx: SimContext, id: string): SnapshotGroup {
  const group = ctx.state.findGroup(id);
  if (!group) throw resourceNotFound(id);
  return group;
}

export function getGroup(req: SimRequest, ctx: SimContext, id: string): SimResponse {
  const options = readOptions(req.query);
  const group = requireGroup(ctx, id);
  const select = parseGroupSelect(options.get('$select'), [group]);
  const context = `${versionRoot(ctx, req)}/$metadata#groups${select ? `(${select.join(',')})` : ''}/$entity`;
  return ok({ '@odata.context': context, ...projectGroup(group, select) });
}

export function listGroups(req: SimRequest, ctx: SimContext): SimResponse {
  return pageOfObjects(req, ctx, { items: ctx.state.groups.map(groupObject), path: '/groups', context: 'groups' });
}

type MemberKind = 'user' | 'group' | 'all' | 'none';

/** The cast segment: user, group, a member type the simulator has none of, or Graph's refusals. */
function castKind(cast: string | undefined): MemberKind {
  if (cast === undefined) return 'all';
  switch (cast.toLowerCase()) {
    case 'microsoft.graph.user':
      return 'user';
    case 'microsoft.graph.group':
      return 'group';
    case 'microsoft.graph.device':
    case 'microsoft.graph.orgcontact':
    case 'microsoft.graph.serviceprincipal':
      return 'none';
    default:
      if (/^microsoft\.graph\.[A-Za-z]+$/i.test(cast)) {
        // A directory type that cannot be a group member (application, directoryRole, ...). Wording ours.
        throw unsupportedQuery(`The type '${cast}' is not a supported member type of a group.`);
      }
      throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${cast}'.`);
  }
}

const MEMBER_OPTIONS_NOT_SIMULATED = ['$orderby', '$expand'];

/**
 * GET /groups/{id}/transitiveMembers[/{cast}] and its `/$count`.
 * `cast` and `countSegment` come from the router.
 */
export function transitiveMembers(req: SimRequest, ctx: SimContext, id: string, cast: string | undefined, countSegment: boolean): SimResponse {
  const { query, cursor, token } = resumeListing(req.query);
  const options = readOptions(query);
  const eventual = isEventual(req);
  refuseSkipAndSearch(options, eventual);
  for (const name of MEMBER_OPTIONS_NOT_SIMULATED) {
    if (options.has(name)) throw new GraphHttpError(501, 'NotImplemented', `The entra2ad simulator does not implement ${name} on transitiveMembers.`);
  }
  const kind = castKind(cast);
  const advanced = eventual && (options.get('$count') ?? '').toLowerCase() === 'true';

  // $filter: advanced-only on this relationship; simulated on the user cast.
  const filterText = options.get('$filter');
  let filter: ReturnType<typeof parseFilter> | null = null;
  if (filterText !== undefined && filterText.trim() !== '') {
    if (!advanced && !countSegment) {
      // Status and code as for other advanced-only queries; wording ours.
      throw unsupportedQuery('$filter on transitiveMembers needs the advanced query parameters: $count=true and the ConsistencyLevel: eventual header.');
    }
    if (kind !== 'user') throw new GraphHttpError(501, 'NotImplemented', 'The entra2ad simulator implements $filter on transitiveMembers only with the microsoft.graph.user cast.');
    filter = parseFilter(filterText);
    analyzeUserFilter(filter, req.version);
  }

  const group = requireGroup(ctx, id);
  const members = ctx.state.transitiveMembers(group);
  const items: readonly (SnapshotUser | SnapshotGroup)[] =
    kind === 'user' ? members.users : kind === 'group' ? members.groups : kind === 'none' ? [] : [...members.users, ...members.groups];
  const matches = filter ? (item: SnapshotUser | SnapshotGroup) => evaluate(filter, item) : () => true;

  if (countSegment) {
    if (!eventual) throw new GraphHttpError(400, 'Request_BadRequest', '$count is not currently supported.');
    let n = 0;
    for (const item of items) if (matches(item)) n++;
    return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, text: String(n) };
  }

  const top = parseTop(options.get('$top'), 100);
  const userSelect = kind === 'user' ? parseSelect(options.get('$select'), req.version) : null;
  const groupSelect = kind === 'group' ? parseGroupSelect(options.get('$select'), ctx.state.groups) : null;
  const anySelect = kind === 'all' || kind === 'none' ? selectForDirectoryObjects(options.get('$select'), ctx.state.groups, req.version) : null;

  const page = takePage(items, cursor, top, matches);
  const selected = userSelect ?? groupSelect ?? anySelect;
  const entity = kind === 'user' ? 'users' : kind === 'group' ? 'groups' : 'directoryObjects';
  const body: Record<string, unknown> = { '@odata.context': `${versionRoot(ctx, req)}/$metadata#${entity}${selected ? `(${selected.join(',')})` : ''}` };
  if (advanced && token === undefined) {
    let n = 0;
    for (const item of items) if (matches(item)) n++;
    body['@odata.count'] = n;
  }
  if (page.next !== null) {
    const path = `/groups/${encodeURIComponent(id)}/transitiveMembers${cast ? `/${cast}` : ''}`;
    body['@odata.nextLink'] = nextLink(`${versionRoot(ctx, req)}${path}`, query, { cursor: page.next, query });
  }
  body.value = page.items.map((item) => {
    if (kind === 'user') return projectUser(item as SnapshotUser, userSelect);
    if (kind === 'group') return projectGroup(item as SnapshotGroup, groupSelect);
    // Without a cast each object says what it is (the page's example 1); a
    // selected property the object's type lacks is left out.
    if (ctx.state.findUser(item.id) === item) {
      return { '@odata.type': '#microsoft.graph.user', ...projectUser(item as SnapshotUser, anySelect ? anySelect.filter((n) => isUserProperty(n, req.version)) : null) };
    }
    return { '@odata.type': '#microsoft.graph.group', ...projectGroup(item as SnapshotGroup, anySelect ? anySelect.filter((n) => n in GROUP_DEFAULTS || n in item) : null) };
  });
  return ok(body);
}

function isUserProperty(name: string, version: ApiVersion): boolean {
  try {
    parseSelect(name, version);
    return true;
  } catch {
    return false;
  }
}

/** `$select` on a mixed directoryObject list: any user or group property. */
function selectForDirectoryObjects(value: string | undefined, groups: readonly SnapshotGroup[], version: ApiVersion): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  return value.split(',').map((raw) => {
    const name = raw.trim();
    if (isUserProperty(name, version)) return (parseSelect(name, version) as string[])[0] as string;
    return (parseGroupSelect(name, groups) as string[])[0] as string;
  });
}
