/**
 * Identity-and-access throttling, learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits:
 * token buckets of resource units per 10 s and writes per 150 s; GET users costs 2, $select -1;
 * 429 TooManyRequests with Retry-After (seconds, may be fractional); x-ms-resource-unit on answers.
 * Budgets here are tiny (overrides) so the limits are reached in a few requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { graphClientFor, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';

let sim: RunningSimulator;
let token: string;
beforeAll(async () => {
  sim = await startSimulator({ tenant: castTenant({ users: 5 }), throttle: { resourceUnitsPer10s: 20, writesPer150s: 2 } });
  trustSimulator(sim);
  token = await tokenFor(sim);
});
afterAll(async () => {
  await sim?.close();
});

describe('resource units', () => {
  it('charges 2 per GET /users (1 with $select) and answers 429 with Retry-After when the budget is spent', async () => {
    const first = await raw(sim, 'GET', '/v1.0/users', { token });
    expect(first.status).toBe(200);
    expect(first.headers['x-ms-resource-unit']).toBe('2');
    const selected = await raw(sim, 'GET', '/v1.0/users?$select=id', { token });
    expect(selected.headers['x-ms-resource-unit']).toBe('1');
    let throttled;
    for (let i = 0; i < 20 && !throttled; i++) {
      const res = await raw(sim, 'GET', '/v1.0/users', { token });
      if (res.status === 429) throttled = res;
      else expect(res.status).toBe(200);
    }
    expect(throttled).toBeDefined();
    const retryAfter = Number(throttled?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(1.01); // 2 RU at 2 RU/s
    expect(throttled?.json).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect(throttled?.headers['x-ms-throttle-scope']).toBe(`Tenant_Application/Read/${sim.clientId}/${sim.tenantId}`);
    expect(throttled?.headers['x-ms-throttle-information']).toBe('ResourceUnitLimitExceeded');
    expect(sim.stats().throttled).toBeGreaterThanOrEqual(1);
  });

  it('lets the real Graph client through after it honours Retry-After', async () => {
    for (let i = 0; i < 12; i++) await raw(sim, 'GET', '/v1.0/users', { token });
    const before = sim.stats().throttled;
    const started = Date.now();
    const page = (await graphClientFor(sim).api('/users').get()) as { value: unknown[] };
    expect(page.value.length).toBeGreaterThan(0);
    expect(sim.stats().throttled).toBeGreaterThan(before);
    expect(Date.now() - started).toBeGreaterThan(100);
  });
});

describe('writes', () => {
  it('allows 2 writes per 150 s here, then 429 WriteLimitExceeded', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // let resource units refill a little
    const codes: number[] = [];
    let last;
    for (let i = 0; i < 3; i++) {
      last = await raw(sim, 'PATCH', `/v1.0/users/${guid(i)}`, { token, body: { onPremisesImmutableId: Buffer.from(`w${i}`).toString('base64') } });
      codes.push(last.status);
    }
    expect(codes).toEqual([204, 204, 429]);
    expect(last?.headers['x-ms-throttle-information']).toBe('WriteLimitExceeded');
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(30);
    expect(sim.state().writes?.filter((w) => w.status === 204)).toHaveLength(2);
  });
});

describe('throttle: false', () => {
  it('never answers 429', async () => {
    const free = await startSimulator({ tenant: castTenant({ users: 1 }), throttle: false });
    try {
      trustSimulator(free);
      const t = await tokenFor(free);
      for (let i = 0; i < 50; i++) expect((await raw(free, 'GET', '/v1.0/users', { token: t })).status).toBe(200);
    } finally {
      await free.close();
    }
  });
});
