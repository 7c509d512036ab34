/**
 * Streams the tenant's users page by page, so 100,000+ users never sit in
 * memory at once: the caller consumes a page before the next one is fetched.
 *
 * Cloud-only selection (`onPremisesSyncEnabled ne true`) is an advanced query:
 * it needs `ConsistencyLevel: eventual` plus `$count=true`, on every page
 * including each `@odata.nextLink` (learn.microsoft.com/graph/aad-advanced-queries).
 * A tenant or proxy that refuses it answers 400 `Request_UnsupportedQuery`;
 * then the listing restarts without the filter and drops synced users here
 * (`filterMode: 'client'`), which costs reading the synced users too.
 *
 * Managers: `$expand=manager($select=id)` caps pages at 100 users (10x the
 * requests of `$top=999`) and is not allowed together with advanced query
 * parameters. entra2ad therefore lists without `$expand` and reads managers
 * afterwards only for the users it selected (managers-reader.ts, 20 per
 * `$batch`). `expandManager: true` remains for small tenants and snapshots; it
 * implies client-side cloud-only filtering.
 */
import { USER_SELECT, type GraphUser } from '../graph/user.js';
import type { Graph } from './graph-client.js';
import { CloudError } from './errors.js';
import { graphGet, type GraphPage } from './request.js';
import type { RetryPolicy } from './retry.js';

export type FilterMode = 'server' | 'client' | 'none';

export interface ListUsersOptions {
  /** Only users not synced from AD (`onPremisesSyncEnabled` false or null). */
  cloudOnly: boolean;
  /** An extra admin `$filter`, ANDed with the cloud-only condition. */
  filter?: string;
  /** `$top`, 1..999 (1000 is a 400); default 999. Capped at 100 with expandManager. */
  pageSize?: number;
  expandManager?: boolean;
  /** Default USER_SELECT. */
  select?: readonly string[];
  /** Set false to skip the advanced query (tenants known to refuse it). Default true. */
  advancedQuery?: boolean;
  signal?: AbortSignal;
  counter?: { requests: number };
  retryPolicy?: Partial<RetryPolicy>;
  /** Told once, before the first page, how the cloud-only condition is applied and why. */
  onFilterMode?: (mode: FilterMode, why: string) => void;
}

export interface ListUsersSummary {
  filterMode: FilterMode;
  /** Why that mode (e.g. Graph's refusal message). */
  filterModeWhy: string;
  pages: number;
  /** Users Graph returned (before client-side filtering). */
  usersRead: number;
  /** Users yielded to the caller. */
  usersYielded: number;
  /** `@odata.count` when Graph sent it (advanced query). */
  serverCount?: number;
}

export const MAX_PAGE_SIZE = 999;
export const EXPAND_PAGE_SIZE = 100;
const CLOUD_ONLY_FILTER = 'onPremisesSyncEnabled ne true';

export async function* listUsers(graph: Graph, options: ListUsersOptions): AsyncGenerator<GraphUser[], ListUsersSummary, undefined> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer 1..${MAX_PAGE_SIZE} (Graph answers 400 above), got ${pageSize}`);
  }
  const expand = options.expandManager === true;
  const top = expand ? Math.min(pageSize, EXPAND_PAGE_SIZE) : pageSize;
  const select = (options.select ?? USER_SELECT).join(',');

  let mode: FilterMode;
  let why: string;
  if (!options.cloudOnly) [mode, why] = ['none', 'all users requested'];
  else if (expand) [mode, why] = ['client', '$expand=manager cannot be combined with advanced query parameters'];
  else if (options.advancedQuery === false) [mode, why] = ['client', 'advanced query switched off'];
  else [mode, why] = ['server', `$filter=${CLOUD_ONLY_FILTER} with ConsistencyLevel: eventual and $count=true`];

  const summary: ListUsersSummary = { filterMode: mode, filterModeWhy: why, pages: 0, usersRead: 0, usersYielded: 0 };
  let first: GraphPage<GraphUser> | undefined;
  try {
    first = await fetchPage(graph, firstUrl(mode), mode, options);
  } catch (error) {
    if (mode !== 'server' || !isUnsupportedQuery(error)) throw error;
    [mode, why] = ['client', `Graph refused the advanced query (${(error as CloudError).graphCode}: ${(error as CloudError).graphMessage ?? ''})`];
    summary.filterMode = mode;
    summary.filterModeWhy = why;
    first = await fetchPage(graph, firstUrl(mode), mode, options);
  }
  options.onFilterMode?.(mode, why);
  if (typeof first['@odata.count'] === 'number') summary.serverCount = first['@odata.count'];

  let page: GraphPage<GraphUser> | undefined = first;
  while (page !== undefined) {
    summary.pages++;
    const users = page.value ?? [];
    summary.usersRead += users.length;
    const kept = mode === 'client' ? users.filter((user) => user.onPremisesSyncEnabled !== true) : users;
    summary.usersYielded += kept.length;
    const next: string | undefined = page['@odata.nextLink'] ?? undefined;
    if (kept.length > 0) yield kept;
    page = next === undefined ? undefined : await fetchPage(graph, next, mode, options);
  }
  return summary;

  function firstUrl(filterMode: FilterMode): string {
    const filters: string[] = [];
    if (options.filter?.trim()) filters.push(`(${options.filter.trim()})`);
    if (filterMode === 'server') filters.push(CLOUD_ONLY_FILTER);
    const query = [`$select=${select}`, `$top=${top}`];
    if (filters.length > 0) query.push(`$filter=${encodeQueryValue(filters.join(' and '))}`);
    if (filterMode === 'server') query.push('$count=true');
    if (expand) query.push('$expand=manager($select=id)');
    return `/users?${query.join('&')}`;
  }
}

function fetchPage(graph: Graph, url: string, mode: FilterMode, options: ListUsersOptions): Promise<GraphPage<GraphUser>> {
  return graphGet<GraphPage<GraphUser>>(graph, url, {
    // The header must travel with every page, nextLinks included.
    ...(mode === 'server' ? { headers: { ConsistencyLevel: 'eventual' } } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.counter ? { counter: options.counter } : {}),
    ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
    context: { operation: 'GET /users' },
  });
}

function isUnsupportedQuery(error: unknown): boolean {
  return error instanceof CloudError && error.status === 400 && (error.graphCode === 'Request_UnsupportedQuery' || /advanced query|ConsistencyLevel|\$count/i.test(error.graphMessage ?? ''));
}

/**
 * The Graph client re-assembles the query string without encoding it, so a
 * `#`, `&` or `+` in an admin filter would cut or change the URL: encode the
 * value ourselves (spaces, quotes and parentheses survive as Graph expects).
 */
export function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%28/gi, '(').replace(/%29/gi, ')').replace(/%27/gi, "'");
}

/** Convenience for small tenants and tests: every page concatenated. */
export async function listAllUsers(graph: Graph, options: ListUsersOptions): Promise<{ users: GraphUser[]; summary: ListUsersSummary }> {
  const users: GraphUser[] = [];
  const iterator = listUsers(graph, options);
  for (;;) {
    const step = await iterator.next();
    if (step.done) return { users, summary: step.value };
    users.push(...step.value);
  }
}
