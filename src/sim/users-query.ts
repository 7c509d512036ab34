/**
 * Parsing and validating the query options of GET /users and GET /users/{id}
 * the way Graph's directory does. Everything Graph refuses is refused here,
 * with Graph's code and (where documented) wording:
 *
 * - `$top` 1..999, else 400 Request_UnsupportedQuery "Invalid page size specified"
 *   (learn.microsoft.com/graph/api/user-list, learn.microsoft.com/graph/paging)
 * - unknown `$select` property: 400 Request_UnsupportedQuery "Property 'x' does
 *   not exist as a declared property or extension property."
 * - query options need the `$`: 400 "Unrecognized query argument specified: 'select'."
 * - advanced queries (ne, not, endsWith, $count in filters, some properties,
 *   $filter with $orderby) need `ConsistencyLevel: eventual` AND `$count=true`
 *   (learn.microsoft.com/graph/aad-advanced-queries); `$count=true` without the
 *   header is silently ignored (same page, "Error handling" section).
 * - `$expand` on users: one navigation only, page size capped at 100
 *   (learn.microsoft.com/graph/known-issues, "query parameters"), not with
 *   advanced queries (aad-advanced-queries note).
 */
import { GraphHttpError, badRequest, unsupportedQuery } from './graph-error.js';
import type { FilterNode } from './odata/filter-ast.js';
import { parseFilter } from './odata/filter-parser.js';
import { advancedQueryRequired, analyzeUserFilter, noSuchProperty, type AdvancedNeed } from './odata/user-filter-rules.js';
import { USER_ORDERBY_SUPPORT, userPropertyByLower, type ApiVersion } from './user-properties.js';

export interface UsersQuery {
  /** Canonical names; null = Graph's default properties. */
  select: string[] | null;
  filter: FilterNode | null;
  /** Page size. */
  top: number;
  /** `@odata.count` is wanted and allowed (advanced query). */
  count: boolean;
  /** $expand=manager(...): which manager properties (null = defaults). */
  expandManager: { select: string[] | null } | null;
  orderby: { property: string; descending: boolean }[];
}

const KNOWN_OPTIONS = ['$select', '$filter', '$top', '$count', '$expand', '$orderby', '$skiptoken', '$search', '$skip', '$format'];
const NON_SIMULATED_NAVIGATIONS = ['memberof', 'transitivememberof', 'directreports', 'ownedobjects', 'registereddevices', 'owneddevices', 'approleassignments', 'createdobjects', 'licensedetails', 'extensions'];

/** `$skip` and `$search` on a listing: Graph refuses `$skip`, and `$search` without the header; the simulator does not implement `$search`. */
export function refuseSkipAndSearch(options: ReadonlyMap<string, string>, eventual: boolean): void {
  if (options.has('$skip')) throw badRequest("'$skip' is not supported by the service.");
  if (options.has('$search')) {
    if (!eventual) {
      throw unsupportedQuery("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
    throw new GraphHttpError(501, 'NotImplemented', 'The entra2ad simulator does not implement $search.');
  }
}

/** Query options by canonical lower-case `$name`; refuses names Graph refuses (those not in `known`, lower case). */
export function readOptions(query: Record<string, string>, known: readonly string[] = KNOWN_OPTIONS): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(query)) {
    const lower = key.toLowerCase();
    if (!lower.startsWith('$')) throw badRequest(`Unrecognized query argument specified: '${key}'.`);
    if (!known.includes(lower)) throw new GraphHttpError(400, 'BadRequest', `The query parameter '${key}' is not supported.`);
    out.set(lower, value);
  }
  return out;
}

/**
 * `$select` on users: canonical names on `version`. A property the version does
 * not declare (onPremisesObjectIdentifier on v1.0) is Graph's 400
 * Request_UnsupportedQuery "Property 'x' does not exist as a declared property
 * or extension property." (as quoted in public client code and tests).
 */
export function parseSelect(value: string | undefined, version: ApiVersion): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  return value.split(',').map((raw) => {
    const name = raw.trim();
    const canonical = userPropertyByLower(version).get(name.toLowerCase());
    if (!canonical) throw noSuchProperty(name);
    return canonical;
  });
}

export function parseTop(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const top = Number(value);
  if (!/^\d+$/.test(value.trim()) || top < 1 || top > 999) {
    throw unsupportedQuery(`Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`);
  }
  return top;
}

/** `manager`, `manager($select=id,displayName)`; one navigation at most on users. */
export function parseExpand(value: string | undefined, onCollection: boolean, version: ApiVersion): UsersQuery['expandManager'] {
  if (value === undefined || value.trim() === '') return null;
  const items = splitTopLevel(value);
  if (items.length > 1) {
    throw new GraphHttpError(400, 'BadRequest', `The result of parsing $expand contained at least ${items.length} items, but the maximum allowed is 1.`);
  }
  const item = (items[0] as string).trim();
  const match = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(item);
  if (!match) throw new GraphHttpError(400, 'BadRequest', `Invalid $expand: '${item}'.`);
  const name = (match[1] as string).toLowerCase();
  if (name !== 'manager') {
    if (NON_SIMULATED_NAVIGATIONS.includes(name)) {
      throw new GraphHttpError(501, 'NotImplemented', `The entra2ad simulator does not implement $expand=${match[1]}.`);
    }
    throw new GraphHttpError(400, 'BadRequest', `Could not find a property named '${match[1]}' on type 'microsoft.graph.user'.`);
  }
  let select: string[] | null = null;
  for (const option of (match[2] ?? '').split(';').filter((s) => s.trim() !== '')) {
    const [k, v] = option.split('=');
    const key = (k ?? '').trim().toLowerCase();
    if (key === '$select') select = parseSelect(v ?? '', version);
    else if (key === '$levels' && onCollection) {
      // Seen from Graph (Request_UnsupportedQuery) when $levels is used on the collection.
      throw unsupportedQuery("Transitive manager's list is only supported on a single user, send the $expand request on /users/{id} endpoint");
    } else if (key !== '$levels') throw new GraphHttpError(400, 'BadRequest', `Query option '${k}' is not allowed in $expand=manager(...).`);
  }
  return { select };
}

function splitTopLevel(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of value) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

function parseOrderby(value: string | undefined, needs: AdvancedNeed[], version: ApiVersion): UsersQuery['orderby'] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((part) => {
    const [name, direction, extra] = part.trim().split(/\s+/);
    const canonical = userPropertyByLower(version).get((name ?? '').toLowerCase());
    if (!canonical) throw noSuchProperty(name ?? '');
    const dir = (direction ?? 'asc').toLowerCase();
    if (extra !== undefined || (dir !== 'asc' && dir !== 'desc')) throw new GraphHttpError(400, 'BadRequest', `Invalid $orderby: '${part}'.`);
    const support = USER_ORDERBY_SUPPORT[canonical];
    if (!support) throw unsupportedQuery(`Sorting not supported for '${canonical}'.`);
    if (support === 'advanced') needs.push({ kind: 'property', name: canonical });
    return { property: canonical, descending: dir === 'desc' };
  });
}

/**
 * `query` is the option map of the request (or of the skiptoken's original
 * request); `eventual` is whether THIS request carries ConsistencyLevel:
 * eventual - Graph wants the header on every page.
 */
export function parseUsersQuery(query: Record<string, string>, eventual: boolean, onCollection: boolean, version: ApiVersion): UsersQuery {
  const options = readOptions(query);
  refuseSkipAndSearch(options, eventual);
  const countRequested = (options.get('$count') ?? '').toLowerCase() === 'true';
  const advanced = eventual && countRequested;

  const select = parseSelect(options.get('$select'), version);
  const expandManager = parseExpand(options.get('$expand'), onCollection, version);
  const needs: AdvancedNeed[] = [];
  const filterText = options.get('$filter');
  const filter = filterText === undefined || filterText.trim() === '' ? null : parseFilter(filterText);
  if (filter) needs.push(...analyzeUserFilter(filter, version));
  const orderby = parseOrderby(options.get('$orderby'), needs, version);
  if (orderby.length > 0 && filter) needs.push({ kind: 'operator', name: '$orderby' });
  if (needs.length > 0 && !advanced) throw advancedQueryRequired(needs[0] as AdvancedNeed);
  if (advanced && expandManager && onCollection) {
    // "$expand is not currently supported with advanced queries" (aad-advanced-queries); wording is ours.
    throw unsupportedQuery('$expand is not supported with advanced query parameters ($count=true and ConsistencyLevel:eventual).');
  }
  const defaultTop = 100;
  let top = parseTop(options.get('$top'), defaultTop);
  // With $expand, directory pages hold at most 100 objects (Graph known issues).
  if (expandManager) top = Math.min(top, 100);
  return { select, filter, top, count: advanced, expandManager, orderby };
}
