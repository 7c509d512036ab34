/**
 * Seeded fault injection: same seed, same faults; dropped connections; latency.
 * The 429/503/504 answers keep Graph's error shape (learn.microsoft.com/graph/errors) and carry
 * Retry-After, which the Graph SDK's RetryHandler honours (learn.microsoft.com/graph/throttling).
 */
import { describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { graphClientFor, raw, tokenFor, useSimulators } from '../../harness/graph.js';
import { castTenant } from '../../harness/tenant.js';

const start = useSimulators(() => castTenant({ users: 3 }));

async function statuses(sim: RunningSimulator, n: number): Promise<number[]> {
  const token = await tokenFor(sim);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await raw(sim, 'GET', '/v1.0/users?$select=id', { token })).status);
  return out;
}

const faults = { rate429: 0.15, rate503: 0.15, rate504: 0.1 };

describe('fault injection', () => {
  it('repeats the same schedule for the same seed and changes it for another', async () => {
    const a = await statuses(await start({ seed: 42, faults }), 60);
    const b = await statuses(await start({ seed: 42, faults }), 60);
    const c = await statuses(await start({ seed: 43, faults }), 60);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 429, 503, 504]));
  });

  it('answers faults in Graph error shape with Retry-After', async () => {
    const sim = await start({ seed: 1, faults: { rate503: 1 } });
    const res = await raw(sim, 'GET', '/v1.0/users', { token: await tokenFor(sim) });
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((res.json as { error: { innerError: Record<string, string> } }).error.innerError['request-id']).toBe(res.headers['request-id']);
    expect(sim.stats().faults).toBe(1);
  });

  it('drops connections without an answer', async () => {
    const sim = await start({ seed: 1, faults: { dropRate: 1 } });
    const token = await tokenFor(sim); // the token endpoint is not subject to faults
    await expect(raw(sim, 'GET', '/v1.0/users', { token })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
    expect(sim.stats().faults).toBe(1);
  });

  it('adds latency', async () => {
    const sim = await start({ latencyMs: 150, jitterMs: 50 });
    const token = await tokenFor(sim);
    const started = Date.now();
    await raw(sim, 'GET', '/v1.0/users', { token });
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('lets the real Graph client ride through transient 503/504/429', async () => {
    const sim = await start({ seed: 5, faults: { rate503: 0.3, rate504: 0.1, rate429: 0.1 } });
    const client = graphClientFor(sim);
    for (let i = 0; i < 10; i++) {
      const page = (await client.api('/users').select('id').get()) as { value: unknown[] };
      expect(page.value.length).toBeGreaterThan(0);
    }
    expect(sim.stats().faults).toBeGreaterThan(0);
  });
});
