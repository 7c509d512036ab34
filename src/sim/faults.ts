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
}

export type Fate = { kind: 'ok' } | { kind: 'drop' } | { kind: 'error'; error: GraphHttpError };

export class FaultInjector {
  private readonly faultRandom: Random;
  private readonly jitterRandom: Random;
  private readonly retryRandom: Random;

  constructor(
    private readonly options: FaultOptions,
    seed: number,
    private readonly latencyMs: number,
    private readonly jitterMs: number,
  ) {
    this.faultRandom = randomStream(seed, 'faults');
    this.jitterRandom = randomStream(seed, 'jitter');
    this.retryRandom = randomStream(seed, 'retry');
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
