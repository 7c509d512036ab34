/**
 * Retry policy for Graph reads (and any single request): throttled (429) and
 * transient (5xx, dropped connection, timeout) answers are retried; everything
 * else is thrown at once, translated.
 *
 * Why not only the library's RetryHandler: it stops after 3 tries, caps at 10,
 * does not retry a dropped connection, cannot be aborted while it sleeps, and
 * hides 429s from our rate limiter. A 100,000-user listing is 100+ pages; one
 * page giving up after 3 throttled answers would lose the whole run.
 *
 * Delays: the server's `Retry-After` when given (Graph's throttling guidance:
 * learn.microsoft.com/graph/throttling#best-practices-to-handle-throttling),
 * else exponential backoff with jitter.
 */
import { translateGraphError, type CloudError, type CloudErrorContext } from './errors.js';
import { sleep } from './sleep.js';

export interface RetryPolicy {
  /** Attempts in all while Graph keeps answering 429. Throttling is slowness, not failure: generous. */
  maxThrottledAttempts: number;
  /** Attempts in all for 5xx / network failures. */
  maxTransientAttempts: number;
  /** First backoff when the server gives no Retry-After. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxThrottledAttempts: 30,
  maxTransientAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
};

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  context?: CloudErrorContext;
  onRetry?: (error: CloudError, delayMs: number, attempt: number) => void;
  random?: () => number;
}

/** Exponential backoff with "equal jitter": between half and all of base * 2^(attempt-1), capped. */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/** The delay before the next try, or undefined when the error is final. */
export function retryDelay(error: CloudError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (error.reason === 'THROTTLED') {
    if (attempt >= policy.maxThrottledAttempts) return undefined;
    return error.retryAfterMs ?? backoffDelay(attempt, policy, random);
  }
  if (error.reason === 'TRANSIENT') {
    if (attempt >= policy.maxTransientAttempts) return undefined;
    return Math.max(error.retryAfterMs ?? 0, backoffDelay(attempt, policy, random));
  }
  return undefined;
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (raw) {
      const error = translateGraphError(raw, options.context);
      const delay = options.signal?.aborted ? undefined : retryDelay(error, attempt, policy, options.random);
      if (delay === undefined) throw error;
      options.onRetry?.(error, delay, attempt);
      await sleep(delay, options.signal);
    }
  }
}
