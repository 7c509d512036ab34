/**
 * The simulator's internal request and response: the same for a request that
 * came over HTTPS and for one item of a $batch, so both run the same code.
 */
import type { FaultInjector } from './faults.js';
import type { TenantState } from './state.js';
import type { Throttle } from './throttle.js';
import type { Random } from './random.js';
import type { Caller } from './token-claims.js';
import type { ApiVersion } from './user-properties.js';

export type { ApiVersion };

export interface SimRequest {
  method: string;
  /** The API version the request came in on (`/v1.0/...` or `/beta/...`); a $batch item inherits its batch's. */
  version: ApiVersion;
  /** Below the version, starting with '/', not decoded: '/users/ada%40contoso.com'. */
  path: string;
  /** First value of each query option, as sent. */
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; undefined when none. */
  body: unknown;
  /** A body was sent but is not JSON. */
  bodyInvalid: boolean;
  batched: boolean;
  /** Who the bearer token says is calling (a $batch item: its batch's caller). */
  caller: Caller;
}

/** An advanced query: the request carries `ConsistencyLevel: eventual` (learn.microsoft.com/graph/aad-advanced-queries). */
export function isEventual(req: Pick<SimRequest, 'headers'>): boolean {
  return (req.headers['consistencylevel'] ?? '').trim().toLowerCase() === 'eventual';
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for 204 and for text answers. */
  body?: unknown;
  /** A text/plain body (GET /users/$count). */
  text?: string;
}

export interface SimStats {
  requests: number;
  throttled: number;
  faults: number;
  writes: number;
  /** Writes stored whose answer was then lost (afterCommit504Rate, afterCommitDropRate): also counted in `faults`. */
  lostAnswers: number;
  perPath: Record<string, number>;
}

export interface SimContext {
  state: TenantState;
  /** https://127.0.0.1:PORT */
  baseUrl: string;
  throttle: Throttle | null;
  faults: FaultInjector;
  batchRandom: Random;
  stats: SimStats;
  syncFeaturesForbidden: boolean;
  refuseImmutableIdClear: boolean;
  refuseAdvancedQuery: boolean;
  /** SimulatorOptions.duplicateImmutableIdAs500. */
  duplicateImmutableIdAs500: boolean;
  /** SimulatorOptions.eventualLagAllListings: listings without ConsistencyLevel: eventual lag too. */
  eventualLagAllListings: boolean;
  /** Permission keys (src/sim/permissions.ts) an app-only token may call without an application permission: syncFeaturesForApps. */
  appOnlyExceptions: ReadonlySet<string>;
  /** SimulatorOptions.refuseRoutes. */
  refuseRoutes: ReadonlySet<string>;
}

/** Service root of the request's version: `https://127.0.0.1:PORT/beta`. */
export function versionRoot(ctx: SimContext, req: Pick<SimRequest, 'version'>): string {
  return `${ctx.baseUrl}/${req.version}`;
}

export function count(stats: SimStats, key: string): void {
  stats.perPath[key] = (stats.perPath[key] ?? 0) + 1;
}

/** Graph's JSON content type for OData payloads. */
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export function ok(body: unknown, status = 200): SimResponse {
  return { status, headers: { 'Content-Type': ODATA_JSON }, body };
}

export function noContent(): SimResponse {
  return { status: 204, headers: {} };
}

/** Splits '/users/x/manager?..' path into decoded segments. */
export function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}
