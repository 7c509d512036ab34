/**
 * The users in an Entra group, nested groups included, for scoping a plan to a
 * group (`--group`, `plan.scope.groups`).
 *
 * `GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`
 * (learn.microsoft.com/graph/api/group-list-transitivemembers): the list is
 * transitive ("a flat list of all nested members"), the OData cast keeps only
 * users, pages hold up to 999 objects ($top; 100 by default) and are followed
 * through `@odata.nextLink` until it is absent (learn.microsoft.com/graph/paging).
 * Each page is folded into the id set before the next one is fetched, so only
 * ids are held, never user objects.
 *
 * No `ConsistencyLevel` header: the current v1.0 page allows the cast without
 * advanced query parameters, and tenants that refuse advanced queries (Azure
 * AD B2C, some gateways) can still answer. Older revisions of that page listed
 * the cast as advanced-only; if Graph refuses it (400 Request_UnsupportedQuery)
 * the reader lists `transitiveMembers` without the cast and keeps the objects
 * whose `@odata.type` is `#microsoft.graph.user`, which needs no advanced query
 * either, at the cost of also reading the nested groups and devices.
 *
 * A group that does not exist (404 Request_ResourceNotFound) is a CloudError
 * NOT_FOUND whose message names the group id.
 */
import { CloudError } from './errors.js';
import type { Graph } from './graph-client.js';
import { graphGet, type GraphPage, type RequestOptions } from './request.js';
import type { RetryPolicy } from './retry.js';

export interface GroupMembersOptions {
  /** `$top`, 1..999; default 999 (fewest requests). */
  pageSize?: number;
  signal?: AbortSignal;
  counter?: { requests: number };
  retryPolicy?: Partial<RetryPolicy>;
  /** Told once how the user members were selected: by the OData cast on the server, or by type on the client. */
  onCastMode?: (mode: 'server' | 'client', why: string) => void;
}

interface MemberObject {
  id?: string;
  '@odata.type'?: string;
}

const USER_TYPE = '#microsoft.graph.user';

/** Object ids of every user that is a member of `groupId`, directly or through nested groups. */
export async function readGroupUserIds(graph: Graph, groupId: string, options: GroupMembersOptions = {}): Promise<Set<string>> {
  const pageSize = options.pageSize ?? 999;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 999) {
    throw new RangeError(`pageSize must be an integer 1..999 (Graph answers 400 above), got ${pageSize}`);
  }
  const base = `/groups/${encodeURIComponent(groupId)}/transitiveMembers`;
  const ids = new Set<string>();
  try {
    try {
      await readPages(graph, `${base}/microsoft.graph.user?$select=id&$top=${pageSize}`, groupId, options, (member) => addId(ids, member));
      options.onCastMode?.('server', 'OData cast microsoft.graph.user');
      return ids;
    } catch (error) {
      if (!isUnsupportedQuery(error) || ids.size > 0) throw error;
      const why = `Graph refused the OData cast (${error.graphCode}: ${error.graphMessage ?? ''}); members are filtered by type here`;
      options.onCastMode?.('client', why);
    }
    await readPages(graph, `${base}?$select=id&$top=${pageSize}`, groupId, options, (member) => {
      if (member['@odata.type'] === USER_TYPE) addId(ids, member);
    });
    return ids;
  } catch (error) {
    throw notFoundNamed(error, groupId);
  }
}

async function readPages(graph: Graph, firstUrl: string, groupId: string, options: GroupMembersOptions, take: (member: MemberObject) => void): Promise<void> {
  const request: RequestOptions = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.counter ? { counter: options.counter } : {}),
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
    context: { operation: `GET group ${groupId} transitiveMembers` },
  };
  let next: string | undefined = firstUrl;
  while (next !== undefined) {
    const page: GraphPage<MemberObject> = await graphGet<GraphPage<MemberObject>>(graph, next, request);
    for (const member of page.value ?? []) take(member);
    next = page['@odata.nextLink'] ?? undefined;
  }
}

function addId(ids: Set<string>, member: MemberObject): void {
  if (typeof member.id === 'string' && member.id !== '') ids.add(member.id);
}

function isUnsupportedQuery(error: unknown): error is CloudError {
  return error instanceof CloudError && error.status === 400 && error.graphCode === 'Request_UnsupportedQuery';
}

/** 404 on a group's members means the group is not there: say which one. */
function notFoundNamed(error: unknown, groupId: string): unknown {
  if (!(error instanceof CloudError) || error.reason !== 'NOT_FOUND') return error;
  return new CloudError(
    'NOT_FOUND',
    {
      status: error.status,
      ...(error.graphCode ? { code: error.graphCode } : {}),
      message: `no group with id ${groupId} in this tenant (Graph: ${error.graphMessage ?? 'not found'})`,
      ...(error.requestId ? { requestId: error.requestId } : {}),
    },
    { operation: `GET group ${groupId} transitiveMembers`, cause: error },
  );
}
