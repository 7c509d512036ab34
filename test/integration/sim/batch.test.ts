/**
 * POST /v1.0/$batch through the REAL Graph client.
 * Docs followed: learn.microsoft.com/graph/json-batching (at most 20 requests; ids unique or the
 * batch is 400; malformed batch 400; each answer has its own status/headers/body; answers may come
 * in any order; dependsOn and 424; items throttled individually, 429 items with their own Retry-After)
 * and learn.microsoft.com/graph/throttling#throttling-and-batching.
 */
import { BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { graphClientFor, graphError, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';

interface BatchAnswer {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: { error?: { code: string; message: string }; [k: string]: unknown };
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tenant: castTenant({ users: 30 }), throttle: false, seed: 7 });
  trustSimulator(sim);
});
afterAll(async () => {
  await sim?.close();
});

const gets = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${guid(i)}?$select=id` }));

async function batch(target: RunningSimulator, requests: unknown[]): Promise<BatchAnswer[]> {
  const answer = (await graphClientFor(target).api('/$batch').post({ requests })) as { responses: BatchAnswer[] };
  return answer.responses;
}

describe('$batch limits', () => {
  it('refuses more than 20 requests with 400', async () => {
    const error = await graphError(graphClientFor(sim).api('/$batch').post({ requests: gets(21) }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe('Number of requests inside batch exceeds the limit.');
  });

  it('accepts exactly 20', async () => {
    expect(await batch(sim, gets(20))).toHaveLength(20);
  });

  it('refuses duplicate ids (case-insensitive) with 400', async () => {
    const error = await graphError(
      graphClientFor(sim)
        .api('/$batch')
        .post({ requests: [{ id: 'a', method: 'GET', url: '/users' }, { id: 'A', method: 'GET', url: '/domains' }] }),
    );
    expect(error.statusCode).toBe(400);
  });

  it('refuses a malformed batch with 400', async () => {
    for (const body of [{}, { requests: 'x' }, { requests: [{ id: '1', url: '/users' }] }, { requests: [] }]) {
      const error = await graphError(graphClientFor(sim).api('/$batch').post(body));
      expect(error.statusCode, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('$batch answers', () => {
  it('answers each item with its own status, headers and body, out of order', async () => {
    const requests = gets(20);
    requests[3] = { id: '4', method: 'GET', url: '/users/nobody@contoso.example' };
    const answers = await batch(sim, requests);
    const ids = answers.map((a) => a.id);
    expect([...ids].sort()).toEqual(requests.map((r) => r.id).sort());
    expect(ids).not.toEqual(requests.map((r) => r.id));
    const missing = answers.find((a) => a.id === '4');
    expect(missing?.status).toBe(404);
    expect(missing?.headers['Content-Type']).toBe('application/json');
    expect(missing?.body?.error?.code).toBe('Request_ResourceNotFound');
    const found = answers.find((a) => a.id === '1');
    expect(found).toMatchObject({ status: 200, body: { id: guid(0) } });
    expect(found?.headers['Content-Type']).toMatch(/^application\/json/);
  });

  it('is parseable by the SDK BatchResponseContent', async () => {
    const raw = await graphClientFor(sim).api('/$batch').post({ requests: gets(3) });
    const content = new BatchResponseContent(raw);
    const response = content.getResponseById('2');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { id: string }).id).toBe(guid(1));
  });

  it('shuffles the same way for the same seed', async () => {
    const other = await startSimulator({ tenant: castTenant({ users: 30 }), throttle: false, seed: 7 });
    const fresh = await startSimulator({ tenant: castTenant({ users: 30 }), throttle: false, seed: 7 });
    try {
      trustSimulator(other);
      trustSimulator(fresh);
      const a = (await batch(other, gets(10))).map((x) => x.id);
      const b = (await batch(fresh, gets(10))).map((x) => x.id);
      expect(a).toEqual(b);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  it('runs PATCH items and answers 424 for items whose dependency failed', async () => {
    const answers = await batch(sim, [
      { id: 'miss', method: 'GET', url: '/users/nobody@contoso.example' },
      { id: 'after', method: 'PATCH', url: `/users/${guid(5)}`, dependsOn: ['miss'], headers: { 'Content-Type': 'application/json' }, body: { onPremisesImmutableId: 'ZGVwZW5kcw==' } },
      { id: 'write', method: 'PATCH', url: `/users/${guid(6)}`, headers: { 'Content-Type': 'application/json' }, body: { onPremisesImmutableId: 'd3JpdGU=' } },
    ]);
    const byId = Object.fromEntries(answers.map((a) => [a.id, a]));
    expect(byId.after?.status).toBe(424);
    expect(byId.write?.status).toBe(204);
    expect(byId.write).not.toHaveProperty('body');
    const state = sim.state();
    expect(state.users.find((u) => u.id === guid(5))?.onPremisesImmutableId).toBeNull();
    expect(state.users.find((u) => u.id === guid(6))?.onPremisesImmutableId).toBe('d3JpdGU=');
    expect(state.writes?.filter((w) => w.userId === guid(6))).toEqual([expect.objectContaining({ status: 204, batched: true })]);
  });

  it('answers 400 for an item with a body but no Content-Type', async () => {
    const [answer] = await batch(sim, [{ id: '1', method: 'PATCH', url: `/users/${guid(7)}`, body: { onPremisesImmutableId: 'eA==' } }]);
    expect(answer?.status).toBe(400);
  });
});

describe('$batch and throttling', () => {
  it('throttles items individually, each 429 with its own Retry-After', async () => {
    const tight = await startSimulator({ tenant: castTenant({ users: 30 }), throttle: { writesPer150s: 3 }, seed: 3 });
    try {
      trustSimulator(tight);
      const requests = Array.from({ length: 6 }, (_, i) => ({
        id: `w${i}`,
        method: 'PATCH',
        url: `/users/${guid(i)}`,
        headers: { 'Content-Type': 'application/json' },
        body: { onPremisesImmutableId: Buffer.from(`user-${i}`).toString('base64') },
      }));
      const answers = await batch(tight, requests);
      const ok = answers.filter((a) => a.status === 204);
      const throttled = answers.filter((a) => a.status === 429);
      expect(ok).toHaveLength(3);
      expect(throttled).toHaveLength(3);
      for (const a of throttled) {
        expect(Number(a.headers['Retry-After'])).toBeGreaterThan(0);
        expect(a.body?.error?.code).toBe('TooManyRequests');
        expect(a.headers['x-ms-throttle-information']).toBe('WriteLimitExceeded');
      }
      expect(tight.stats().throttled).toBe(3);
      expect(tight.state().writes?.filter((w) => w.status === 204)).toHaveLength(3);
    } finally {
      await tight.close();
    }
  });
});
