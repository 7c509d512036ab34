/**
 * An adaptive token bucket (AIMD: additive increase, multiplicative decrease),
 * so a long write run settles just under Graph's budget instead of bouncing off it.
 *
 * Graph's write budget for identity objects is 3,000 writes per 150 s per app per
 * tenant (and 18,000 per 5 min per tenant), i.e. 20 writes/s at best
 * (learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 * Other apps of the same tenant share the tenant budget, so the real ceiling is
 * unknown: the limiter starts at the published ceiling, creeps up while answers
 * are clean, cuts its rate on a 429 and pauses everyone for the server's Retry-After.
 *
 * Tokens are writes, not requests: a `$batch` of 20 PATCHes costs 20. The bucket
 * holds `burstSeconds` of the current rate (at least 1, at most `maxBurst`): a
 * short run goes out at once (Graph's own bucket holds 3,000 writes), a long one
 * averages the rate, and at 0.2/s the writer sends one PATCH every 5 s.
 *
 * How much a 429 cuts (`decreaseFactorFor`, once per episode):
 * - in proportion to the share of throttled answers in a response: a stray 429
 *   on one item of 20 (Graph also throttles for CPU load, not only for budgets)
 *   costs 2.5 %, which the additive increase wins back in seconds. Only a wall
 *   (at least half the items, or the whole request) pauses every sender for
 *   Retry-After; a stray item just waits for its own.
 * - with Retry-After, at most 15 % per episode. Graph's rule is to wait the
 *   Retry-After it sends and retry (learn.microsoft.com/graph/throttling,
 *   "Best practices to handle throttling"), and the identity budgets are token
 *   buckets where "only the requests exceeding the limits will be throttled"
 *   (throttling-limits, identity and access): the pause already paces the
 *   retries, so the cut only has to shed the overshoot. Sending a little above
 *   the refill rate costs 429 answers (which still count against the request
 *   budgets: "all requests accrue against your usage limits", hence the
 *   proportional cut for small shares), not writes. A deep cut costs writes:
 *   at the full budget the limiter cannot go above its 20/s maximum to spend
 *   what the cut left in Graph's bucket. Measured (npm run bench, anchor writes
 *   against a drained 20/s bucket): halving at the run's first wall and
 *   climbing back at 0.25/s per second gave 86 % of the budget; with the cut
 *   capped at 15 %, 98 %. A ceiling far below the rate is still found: walls
 *   come every second or so and each cuts 15 % (20/s to 1/s in 19 of them).
 * - without Retry-After (the server gives no pace): the share times
 *   (1 - `decreaseFactor`), i.e. a wall halves, as the guidance's exponential
 *   backoff would.
 *
 * Pure arithmetic on an injectable clock; `take()` is the only async part.
 */
import { sleep } from './sleep.js';

export interface RateLimiterOptions {
  /** Tokens per second at the start. */
  initialRate: number;
  minRate: number;
  maxRate: number;
  /** Additive increase: tokens/s gained per second of 429-free running at the current rate. */
  increasePerSecond: number;
  /** Multiplicative decrease on a 429 that throttled everything (0.5 = halve); a share s of throttled items cuts s x (1 - decreaseFactor). */
  decreaseFactor: number;
  /** The lowest factor one episode applies when the 429 carried Retry-After (0.85 = cut at most 15 %). */
  retryAfterDecreaseFactor: number;
  /** Bucket size in seconds of the current rate. */
  burstSeconds: number;
  /** Cap on the bucket. */
  maxBurst: number;
  /**
   * One 429 episode halves the rate once: a batch of 20 throttled items, or several
   * batches in flight hitting the same wall, are one signal, not twenty.
   */
  decreaseCooldownMs: number;
  now: () => number;
}

/** Defaults for onPremisesImmutableId writes (see the budget above). */
export const WRITE_RATE_DEFAULTS: Omit<RateLimiterOptions, 'now'> = {
  initialRate: 20,
  minRate: 0.05,
  maxRate: 20,
  // Measured against the simulator's budget (5 writes/s, 300 writes): every setting
  // tried finished in the ideal 50 s; 0.25/s and a 2 s bucket drew the fewest 429s
  // (74 item answers, against 162 for 0.5/s with a 5 s bucket).
  increasePerSecond: 0.25,
  decreaseFactor: 0.5,
  // Bench (anchor writes against a drained bucket, x0.5 and x1): halving on every
  // wall reached 86 % of the 20/s budget; 0.85 reaches 98 % at x1 and keeps 100 %
  // at x0.5 (see the header for why).
  retryAfterDecreaseFactor: 0.85,
  burstSeconds: 2,
  maxBurst: 100,
  decreaseCooldownMs: 1_000,
};

/**
 * Graph's write bucket as a limiter's burst (3,000 writes per 150 s, the source
 * above): a run may spend a full bucket at once, then the refill rate. Apply's
 * anchor writer gives its limiter these values (src/commands/apply.ts), and the
 * benchmark's anchor run uses this constant.
 */
export const GRAPH_WRITE_BURST = { burstSeconds: 150, maxBurst: 3000 } as const satisfies Partial<RateLimiterOptions>;

export interface RateLimiterSnapshot {
  rate: number;
  tokens: number;
  pausedUntil: number;
  decreases: number;
}

export class AdaptiveRateLimiter {
  private readonly options: RateLimiterOptions;
  private currentRate: number;
  private tokens: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private lastDecrease = Number.NEGATIVE_INFINITY;
  private decreases = 0;

  constructor(options: Partial<RateLimiterOptions> = {}) {
    this.options = { ...WRITE_RATE_DEFAULTS, now: Date.now, ...options };
    const { minRate, maxRate, initialRate } = this.options;
    if (!(minRate > 0) || !(maxRate >= minRate)) throw new RangeError('rate limiter: need 0 < minRate <= maxRate');
    this.currentRate = clamp(initialRate, minRate, maxRate);
    this.tokens = this.capacity();
    this.lastRefill = this.options.now();
  }

  get rate(): number {
    return this.currentRate;
  }

  /** Bucket size: `burstSeconds` of the current rate, at least 1 token, at most `maxBurst`. */
  capacity(): number {
    return Math.max(1, Math.min(this.options.maxBurst, Math.floor(this.currentRate * this.options.burstSeconds)));
  }

  /**
   * Milliseconds until `want` tokens (capped at the capacity) can be taken; 0 = now.
   */
  delayFor(want: number): number {
    const now = this.options.now();
    this.refill(now);
    const needed = Math.min(Math.max(1, want), this.capacity());
    const pause = Math.max(0, this.pausedUntil - now);
    const missing = needed - this.tokens;
    const fill = missing <= 0 ? 0 : Math.ceil((missing / this.currentRate) * 1000);
    return Math.max(pause, fill);
  }

  /** Takes min(want, capacity) tokens if available now and returns how many; 0 when the caller must wait. */
  tryTake(want: number): number {
    if (this.delayFor(want) > 0) return 0;
    const count = Math.min(Math.max(1, want), this.capacity());
    this.tokens -= count;
    return count;
  }

  /** Waits for tokens, then takes them (see tryTake). */
  async take(want: number, signal?: AbortSignal): Promise<number> {
    for (;;) {
      const taken = this.tryTake(want);
      if (taken > 0) return taken;
      await sleep(Math.max(1, this.delayFor(want)), signal);
    }
  }

  /** Clean answers: creep up by `increasePerSecond` per second's worth of successes. */
  onSuccess(count: number): void {
    if (count <= 0) return;
    const { increasePerSecond, maxRate } = this.options;
    this.currentRate = Math.min(maxRate, this.currentRate + (increasePerSecond * count) / this.currentRate);
  }

  /**
   * 429s in an answer. `share` = throttled items / items in the answer (1 for a
   * throttled request). A wall (share >= 0.5) pauses everyone for Retry-After and
   * empties the bucket; the rate is multiplied by `decreaseFactorFor(...)`, once
   * per episode (`decreaseCooldownMs`).
   */
  onThrottle(retryAfterMs: number | undefined, share = 1): void {
    const now = this.options.now();
    this.refill(now);
    const fraction = Math.min(1, Math.max(0, share));
    if (fraction >= 0.5) {
      this.pausedUntil = Math.max(this.pausedUntil, now + (retryAfterMs ?? 1_000));
      this.tokens = Math.min(this.tokens, 0);
    }
    if (now - this.lastDecrease >= this.options.decreaseCooldownMs) {
      const factor = decreaseFactorFor(fraction, retryAfterMs !== undefined, this.options);
      this.currentRate = Math.max(this.options.minRate, this.currentRate * factor);
      this.lastDecrease = now;
      this.decreases++;
    }
  }

  snapshot(): RateLimiterSnapshot {
    this.refill(this.options.now());
    return { rate: this.currentRate, tokens: this.tokens, pausedUntil: this.pausedUntil, decreases: this.decreases };
  }

  private refill(now: number): void {
    // Time spent paused does not fill the bucket: after Retry-After we restart gently.
    const from = Math.max(this.lastRefill, Math.min(now, this.pausedUntil));
    if (now > from) this.tokens = Math.min(this.capacity(), this.tokens + ((now - from) / 1000) * this.currentRate);
    this.lastRefill = Math.max(this.lastRefill, now);
  }
}

/**
 * The factor one 429 episode multiplies the rate by: `share` (0..1) of the
 * answer's items were throttled; `retryAfter` = the server said when to retry.
 * Proportional to the share, capped at `1 - retryAfterDecreaseFactor` with
 * Retry-After (see the header).
 */
export function decreaseFactorFor(share: number, retryAfter: boolean, options: Pick<RateLimiterOptions, 'decreaseFactor' | 'retryAfterDecreaseFactor'>): number {
  const fraction = Math.min(1, Math.max(0, share));
  const cut = (1 - options.decreaseFactor) * fraction;
  return 1 - (retryAfter ? Math.min(cut, 1 - options.retryAfterDecreaseFactor) : cut);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
