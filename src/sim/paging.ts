/**
 * Server-driven paging as Graph does it (learn.microsoft.com/graph/paging):
 * a page of at most $top items and an `@odata.nextLink` carrying an opaque
 * `$skiptoken`, ABSENT on the last page.
 *
 * The token carries the whole query plus a cursor (a position in the tenant's
 * user array), so the next page resumes where the last one stopped instead of
 * re-filtering from the start: paging 100,000 users stays linear.
 */
import { GraphHttpError } from './graph-error.js';

export interface PageState {
  /** Position in the collection (or in a sorted index) where the next page starts. */
  cursor: number;
  /** Everything needed to re-run the query: the query options as the client gave them. */
  query: Record<string, string>;
  /** The tenant version the sorted index was built for, when $orderby is used. */
  version?: number;
}

export function encodeSkipToken(state: PageState): string {
  // base64url: no '+', '/', '=' - nothing a client could mangle in a query string.
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

/**
 * Where a listing resumes: with a `$skiptoken` (any case), the query and cursor the token
 * carries; without one, the request's own query from the start. `token` is there only
 * for a later page (`@odata.count` is answered on the first).
 */
export function resumeListing(query: Record<string, string>): PageState & { token?: string } {
  const token = Object.entries(query).find(([k]) => k.toLowerCase() === '$skiptoken')?.[1];
  return token === undefined ? { query, cursor: 0 } : { ...decodeSkipToken(token), token };
}

/**
 * A token we did not issue (or cannot read). Graph's code for a dead token is
 * Directory_ExpiredPageToken; the wording is Graph's for that code.
 */
export function decodeSkipToken(token: string): PageState {
  try {
    const state = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageState;
    if (typeof state.cursor !== 'number' || typeof state.query !== 'object' || state.query === null) throw new Error('shape');
    return state;
  } catch {
    throw new GraphHttpError(
      400,
      'Directory_ExpiredPageToken',
      'The specified page token value has expired and can no longer be included in your request.',
    );
  }
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts, or null when this is the last page. */
  next: number | null;
}

/**
 * Takes up to `size` matching items starting at `start`, then looks ahead for
 * one more match so that the last page carries no nextLink (a client following
 * nextLink until it is absent must not get an empty extra page).
 */
export function takePage<T>(items: readonly T[], start: number, size: number, matches: (item: T) => boolean): Page<T> {
  const out: T[] = [];
  let i = start;
  for (; i < items.length && out.length < size; i++) {
    const item = items[i] as T;
    if (matches(item)) out.push(item);
  }
  for (; i < items.length; i++) {
    if (matches(items[i] as T)) return { items: out, next: i };
  }
  return { items: out, next: null };
}

/** Builds the nextLink: the original query options plus the token. */
export function nextLink(base: string, query: Record<string, string>, state: PageState): string {
  const parts = Object.entries(query)
    .filter(([k]) => k.toLowerCase() !== '$skiptoken')
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',').replace(/%24/g, '$')}`);
  parts.push(`$skiptoken=${encodeSkipToken(state)}`);
  return `${base}?${parts.join('&')}`;
}
