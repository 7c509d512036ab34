/**
 * Seeded fault injection: the failures a real client meets on the way to Graph,
 * on a schedule that repeats for the same seed (request N gets the same fate
 * every run). Each decision draws from its own stream (src/sim/random.ts), so
 * jitter does not shift the fault schedule.
 */
import { GraphHttpError } from './graph-error.js';
import { randomStream, type Random } from './random.js';

export interface FaultOptions {
  /** Share of requests answered 429 TooManyRequests, 0..1. */
  rate429?: number;
  /** Share answered 503 ServiceUnavailable. */
  rate503?: number;
  /** Share answered 504 GatewayTimeout. */
  rate504?: number;
  /** Share whose connection is destroyed without an answer. */
  dropRate?: number;
  /**
   * Share of accepted writes (PATCH, alone or as a `$batch` item) whose answer
   * is replaced by 504 GatewayTimeout AFTER the change was stored: the write
   * landed, the client cannot know it. What a gateway timeout in front of a slow
   * but successful backend looks like (learn.microsoft.com/graph/errors: 504
   * "The server, while acting as a proxy, didn't receive a timely response from
   * the upstream server"); nothing says Graph rolls the write back.
   */
  afterCommit504Rate?: number;
  /**
   * Share of requests that stored at least one write (a PATCH, or a `$batch`
   * with an accepted PATCH item) whose connection is then destroyed without an
   * answer: for a `$batch`, every item's answer is lost at once.
   */
  afterCommitDropRate?: number;
}

export type Fate = { kind: 'ok' } | { kind: 'drop' } | { kind: 'error'; error: GraphHttpError };

export class FaultInjector {
  private readonly faultRandom: Random;
  private readonly jitterRandom: Random;
  private readonly retryRandom: Random;
  private readonly afterCommitRandom: Random;

  constructor(
    private readonly options: FaultOptions,
    seed: number,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
  ) {
    this.faultRandom = randomStream(seed, 'faults');
    this.jitterRandom = randomStream(seed, 'jitter');
    this.retryRandom = randomStream(seed, 'retry');
    this.afterCommitRandom = randomStream(seed, 'after-commit');
  }

  /** After an accepted write: is its answer replaced by a 504? (its own stream: the other schedules do not move) */
  answerLostAfterCommit(): GraphHttpError | undefined {
    const rate = this.options.afterCommit504Rate ?? 0;
    if (rate <= 0 || this.afterCommitRandom() >= rate) return undefined;
    return new GraphHttpError(504, 'GatewayTimeout', 'The gateway did not receive a timely response from the upstream server.', {
      headers: { 'Retry-After': this.retryAfter() },
    });
  }

  /** After a request stored a write: is its connection dropped before the answer? */
  dropAfterCommit(): boolean {
    const rate = this.options.afterCommitDropRate ?? 0;
    return rate > 0 && this.afterCommitRandom() < rate;
  }

  /** Milliseconds to hold this request: fixed latency plus uniform jitter. */
  delay(): number {
    if (this.latencyMs <= 0 && this.jitterMs <= 0) return 0;
    return Math.max(0, this.latencyMs + (this.jitterMs > 0 ? this.jitterRandom() * this.jitterMs : 0));
  }

  /**
   * The fate of the next request. One draw per request decides it, so the
   * schedule depends only on the seed and the order requests arrive in.
   * `canDrop` is false inside $batch (an item cannot lose its connection).
   */
  next(canDrop = true): Fate {
    const { rate429 = 0, rate503 = 0, rate504 = 0, dropRate = 0 } = this.options;
    if (rate429 + rate503 + rate504 + dropRate <= 0) return { kind: 'ok' };
    const r = this.faultRandom();
    let edge = dropRate;
    if (r < edge) return canDrop ? { kind: 'drop' } : { kind: 'error', error: this.serviceUnavailable() };
    edge += rate429;
    if (r < edge) {
      return {
        kind: 'error',
        error: new GraphHttpError(429, 'TooManyRequests', 'Too many requests. Retry after the number of seconds in the Retry-After header.', {
          headers: { 'Retry-After': this.retryAfter(), 'x-ms-throttle-information': 'CPULimitExceeded' },
        }),
      };
    }
    edge += rate503;
    if (r < edge) return { kind: 'error', error: this.serviceUnavailable() };
    edge += rate504;
    if (r < edge) {
      return {
        kind: 'error',
        error: new GraphHttpError(504, 'GatewayTimeout', 'The gateway did not receive a timely response from the upstream server.', {
          headers: { 'Retry-After': this.retryAfter() },
        }),
      };
    }
    return { kind: 'ok' };
  }

  /**
   * A short, fractional Retry-After (0.1-1 s). Short on purpose: the Graph SDK
   * waits 3 s when none is given, which would make fault-heavy tests crawl.
   */
  private retryAfter(): string {
    return (0.1 + this.retryRandom() * 0.9).toFixed(3);
  }

  private serviceUnavailable(): GraphHttpError {
    // learn.microsoft.com/graph/errors lists 503 with code serviceNotAvailable.
    return new GraphHttpError(503, 'serviceNotAvailable', 'The service is temporarily unavailable. Try again later.', {
      headers: { 'Retry-After': this.retryAfter() },
    });
  }
}
