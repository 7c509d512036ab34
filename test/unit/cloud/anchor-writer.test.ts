/**
 * The anchor writer's reaction to throttling, against a scripted Graph (no
 * network): what it tells the rate limiter. Assertions are on counts and the
 * limiter's rate, not on time; Retry-After is 10 ms so the retries come at once.
 */
import { describe, expect, it } from 'vitest';
import { AnchorWriter } from '../../../src/cloud/anchor-writer.js';
import { CloudError } from '../../../src/cloud/errors.js';
import type { Graph } from '../../../src/cloud/graph-client.js';
import { AdaptiveRateLimiter } from '../../../src/cloud/rate-limiter.js';

interface BatchRequest {
  requests: { id: string; method: string; url: string }[];
}

/** A Graph whose `POST /$batch` is `post(call, request)` (call counts from 1). */
function graphPosting(post: (call: number, request: BatchRequest) => Promise<unknown>): Graph {
  let calls = 0;
  const request = {
    version: () => request,
    middlewareOptions: () => request,
    header: () => request,
    option: () => request,
    post: (payload: BatchRequest) => post(++calls, payload),
  };
  return { client: { api: () => request } } as unknown as Graph;
}

/** A Graph whose `POST /$batch` answers with `answer(call, request)` as the responses. */
function scriptedGraph(answer: (call: number, request: BatchRequest) => unknown[]): Graph {
  return graphPosting(async (call, payload) => ({ responses: answer(call, payload) }));
}

const ok = (id: string) => ({ id, status: 204, headers: {} });
const throttled = (id: string, retryAfter?: string) => ({
  id,
  status: 429,
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
  body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
});

function items(count: number) {
  return Array.from({ length: count }, (_, i) => ({ cloudId: `id-${i}`, userPrincipalName: `user${i}@contoso.example`, immutableId: `v${i}` }));
}

/**
 * Writes 20 users (one batch) with a fresh limiter at 200/s, so that refilling
 * 20 tokens after a wall takes a tenth of a second; no additive increase, so
 * the rate shows the cuts alone.
 */
async function writeTwenty(graph: Graph) {
  const limiter = new AdaptiveRateLimiter({ initialRate: 200, maxRate: 200, increasePerSecond: 0 });
  // A flush delay of 1 s instead of 25 ms: the first batch goes out when the 20th item is in, even
  // when a loaded machine pauses in the enqueue loop (with 25 ms, such a pause sent a batch of 1 first
  // and the counts below were off). Retries of fewer than 20 wait out the same second.
  const writer = new AnchorWriter(graph, { rateLimiter: limiter, flushDelayMs: 1000 });
  const results = await Promise.all(items(20).map((item) => writer.enqueue(item)));
  await writer.close();
  return { limiter, results, stats: writer.stats };
}

describe('AnchorWriter and the rate limiter under 429', () => {
  it('a batch refused whole with Retry-After (Graph\'s budget wall) cuts the rate by 15 %, not half, and every item is retried and written', async () => {
    const graph = scriptedGraph((call, payload) => payload.requests.map((r) => (call === 1 ? throttled(r.id, '0.01') : ok(r.id))));
    const { limiter, results, stats } = await writeTwenty(graph);
    expect(limiter.rate).toBeCloseTo(170, 9);
    expect(limiter.snapshot().decreases).toBe(1);
    expect(stats.throttled).toBe(20);
    expect(results.map((r) => [r.outcome, r.attempts])).toEqual(Array(20).fill(['written', 2]));
  });

  it('the same wall without Retry-After halves the rate', async () => {
    const graph = scriptedGraph((call, payload) => payload.requests.map((r) => (call === 1 ? throttled(r.id) : ok(r.id))));
    const { limiter, results } = await writeTwenty(graph);
    expect(limiter.rate).toBeCloseTo(100, 9);
    expect(results.every((r) => r.outcome === 'written')).toBe(true);
  });

  it('a whole $batch request answered 429 with Retry-After is a wall too: 15 % cut, items retried', async () => {
    const graph = graphPosting(async (call, payload) => {
      if (call === 1) throw new CloudError('THROTTLED', { status: 429, code: 'TooManyRequests', retryAfterMs: 10 });
      return { responses: payload.requests.map((r) => ok(r.id)) };
    });
    const { limiter, results } = await writeTwenty(graph);
    expect(limiter.rate).toBeCloseTo(170, 9);
    expect(results.every((r) => r.outcome === 'written' && r.attempts === 2)).toBe(true);
  });

  it('one stray 429 among 20 answers costs 2.5 % and the item is written on its retry', async () => {
    const graph = scriptedGraph((call, payload) => payload.requests.map((r, i) => (call === 1 && i === 0 ? throttled(r.id, '0.01') : ok(r.id))));
    const { limiter, results } = await writeTwenty(graph);
    expect(limiter.rate).toBeCloseTo(195, 9);
    expect(results.filter((r) => r.attempts === 2)).toHaveLength(1);
    expect(results.every((r) => r.outcome === 'written')).toBe(true);
  });
});
