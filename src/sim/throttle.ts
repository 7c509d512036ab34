/**
 * Identity-and-access throttling as published in
 * learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits:
 *
 * - token buckets per application+tenant pair: resource units per 10 s by tenant
 *   size (S < 50 users: 3,500; M 50-500: 5,000; L > 500: 8,000) and writes
 *   3,000 per 2 min 30 s;
 * - base cost: GET users 2, GET .../transitiveMembers 5, POST /directoryObjects/getByIds 3
 *   (a read: no write), any other identity GET 1, POST/PATCH/PUT/DELETE 1 RU + 1 write;
 * - $select -1, $expand +1, $top below 20 -1, never below 1;
 * - a throttled answer is 429 with Retry-After in seconds: fractional by default
 *   (Graph sometimes sends e.g. "2.128"), or whole seconds (`retryAfter: 'whole'`,
 *   the form RFC 9110 section 10.2.3 defines: delay-seconds = 1*DIGIT), x-ms-throttle-scope and x-ms-throttle-information;
 *   normal answers carry x-ms-resource-unit, and x-ms-throttle-limit-percentage
 *   once more than 0.8 of a budget is used.
 *
 * `scale` multiplies the published budgets so tests can reach them quickly.
 */
import { GraphHttpError } from './graph-error.js';

/** How Retry-After is written on a 429: Graph sends fractions ("2.128"); some clients only parse whole seconds. */
export const RETRY_AFTER_FORMS = ['fractional', 'whole'] as const;
export type RetryAfterForm = (typeof RETRY_AFTER_FORMS)[number];

export interface ThrottleOptions {
  /** Multiplies Graph's budgets, e.g. 0.01 for tests. Default 1. */
  scale?: number;
  /** Overrides the resource-unit budget per 10 s (absolute, not scaled). */
  resourceUnitsPer10s?: number;
  /** Overrides the write budget per 150 s (absolute, not scaled). */
  writesPer150s?: number;
  /** Retry-After as fractional seconds (default, "2.128") or whole seconds rounded up ("3"). */
  retryAfter?: RetryAfterForm;
}

export interface RequestCost {
  resourceUnits: number;
  writes: number;
}

const RU_WINDOW_MS = 10_000;
const WRITE_WINDOW_MS = 150_000;

/** The tenant-size tiers of the resource-unit quota. */
export function resourceUnitBudget(userCount: number): number {
  if (userCount < 50) return 3500;
  if (userCount <= 500) return 5000;
  return 8000;
}

/** Cost of one request from its method, path (below /v1.0) and query options. */
export function requestCost(method: string, path: string, query: URLSearchParams): RequestCost {
  const isGetByIds = method === 'POST' && /^\/?directoryObjects\/getByIds\/?$/i.test(path);
  const isWrite = method !== 'GET' && !isGetByIds;
  const isUsersCollection = /^\/?users\/?$/i.test(path);
  const isTransitiveMembers = !isWrite && /\/transitiveMembers(\/|$)/i.test(path);
  let units = isGetByIds ? 3 : isTransitiveMembers ? 5 : !isWrite && isUsersCollection ? 2 : 1;
  if (query.has('$select')) units -= 1;
  if (query.has('$expand')) units += 1;
  const top = Number(query.get('$top'));
  if (query.has('$top') && Number.isFinite(top) && top < 20) units -= 1;
  return { resourceUnits: Math.max(1, units), writes: isWrite ? 1 : 0 };
}

class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.capacity) / this.windowMs);
    this.last = t;
  }

  /** Seconds until `amount` tokens are there; 0 when they are there now. */
  waitFor(amount: number): number {
    this.refill();
    if (this.tokens >= amount) return 0;
    return ((amount - this.tokens) * this.windowMs) / this.capacity / 1000;
  }

  take(amount: number): void {
    this.tokens -= amount;
  }

  /** Share of the budget used, 0..1. */
  used(): number {
    return 1 - this.tokens / this.capacity;
  }
}

export class Throttle {
  private readonly resourceUnits: TokenBucket;
  private readonly writes: TokenBucket;
  private readonly wholeSeconds: boolean;

  constructor(
    options: ThrottleOptions,
    userCount: number,
    private readonly scope: { appId: string; tenantId: string },
    now: () => number = Date.now,
  ) {
    const scale = options.scale ?? 1;
    const ru = options.resourceUnitsPer10s ?? Math.max(1, Math.round(resourceUnitBudget(userCount) * scale));
    const w = options.writesPer150s ?? Math.max(1, Math.round(3000 * scale));
    this.resourceUnits = new TokenBucket(ru, RU_WINDOW_MS, now);
    this.writes = new TokenBucket(w, WRITE_WINDOW_MS, now);
    this.wholeSeconds = options.retryAfter === 'whole';
  }

  /**
   * Charges the request or throws Graph's 429. Returns the headers a served
   * request carries.
   */
  charge(cost: RequestCost): Record<string, string> {
    const ruWait = this.resourceUnits.waitFor(cost.resourceUnits);
    const writeWait = cost.writes > 0 ? this.writes.waitFor(cost.writes) : 0;
    if (ruWait > 0 || writeWait > 0) {
      const isWrite = writeWait >= ruWait;
      const wait = Math.max(ruWait, writeWait);
      // At least a millisecond, three decimals: Graph sends e.g. "2.128".
      const retryAfter = this.wholeSeconds
        ? String(Math.max(1, Math.ceil(wait)))
        : Math.max(0.001, Math.ceil(wait * 1000) / 1000).toFixed(3).replace(/\.?0+$/, '');
      throw new GraphHttpError(429, 'TooManyRequests', 'Too many requests. Retry after the number of seconds in the Retry-After header.', {
        headers: {
          'Retry-After': retryAfter,
          'x-ms-throttle-scope': `Tenant_Application/${cost.writes > 0 ? 'ReadWrite' : 'Read'}/${this.scope.appId}/${this.scope.tenantId}`,
          'x-ms-throttle-information': isWrite ? 'WriteLimitExceeded' : 'ResourceUnitLimitExceeded',
          'x-ms-resource-unit': String(cost.resourceUnits),
        },
      });
    }
    this.resourceUnits.take(cost.resourceUnits);
    if (cost.writes > 0) this.writes.take(cost.writes);
    const headers: Record<string, string> = { 'x-ms-resource-unit': String(cost.resourceUnits) };
    const used = Math.max(this.resourceUnits.used(), cost.writes > 0 ? this.writes.used() : 0);
    if (used > 0.8) headers['x-ms-throttle-limit-percentage'] = used.toFixed(1);
    return headers;
  }
}
