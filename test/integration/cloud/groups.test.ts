/**
 * The group members reader (src/cloud/group-members-reader.ts) through the
 * adapter's real Graph client and ClientSecretCredential against the HTTPS
 * simulator: nested groups flattened into one id set, paging through
 * nextLinks, a missing group named in a NOT_FOUND error, transient faults
 * retried by our policy, tenants that refuse advanced queries, and the
 * fallback to client-side type filtering when Graph refuses the OData cast.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CloudError, readGroupUserIds } from '../../../src/cloud/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotGroup, SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { graphFor } from '../../harness/graph.js';
import { buildTenant, cloudUser, guid } from '../../harness/tenant.js';

const USERS = 1200;
const group = (n: number) => guid(n, 'e');
const BIG = group(1); // u0..u1099 directly, and SMALL nested
const SMALL = group(2); // u1100..u1109, and u0 again
const LEAF = group(3); // u1110, and BIG (a cycle)
const EMPTY = group(4);

function tenant(): TenantSnapshot {
  const users: SnapshotUser[] = Array.from({ length: USERS }, (_, i) => cloudUser(guid(i, 'c'), `u${i}@contoso.example`));
  const groups: SnapshotGroup[] = [
    { id: BIG, displayName: 'Everyone', members: [...Array.from({ length: 1100 }, (_, i) => guid(i, 'c')), SMALL] },
    { id: SMALL, displayName: 'Pilot', members: [...Array.from({ length: 10 }, (_, i) => guid(1100 + i, 'c')), guid(0, 'c'), LEAF] },
    { id: LEAF, displayName: 'Pilot Berlin', members: [guid(1110, 'c'), BIG] },
    { id: EMPTY, displayName: 'Nobody yet', members: [] },
  ];
  return buildTenant({ users, groups });
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => guid(from + i, 'c'));

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tenant: tenant(), throttle: false });
});
afterAll(async () => {
  await sim?.close();
});

describe('readGroupUserIds', () => {
  it('reads every transitive user member once, 999 per page, following nextLink until it is absent', async () => {
    const counter = { requests: 0 };
    const modes: string[] = [];
    const ids = await readGroupUserIds(graphFor(sim), BIG, { counter, onCastMode: (mode) => modes.push(mode) });
    expect(ids).toEqual(new Set(range(0, 1111)));
    expect(counter.requests).toBe(2); // 1111 users: 999 + 112
    expect(modes).toEqual(['server']);
    expect(sim.stats().perPath['GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user']).toBeGreaterThanOrEqual(2);
  });

  it('pages at the size asked for, and a nested group gives only what is below it (plus its cycle)', async () => {
    const counter = { requests: 0 };
    const ids = await readGroupUserIds(graphFor(sim), SMALL, { counter, pageSize: 100 });
    // SMALL -> LEAF -> BIG (cycle) -> everyone
    expect(ids.size).toBe(1111);
    expect(counter.requests).toBe(12);
  });

  it('an empty group is an empty set after one request', async () => {
    const counter = { requests: 0 };
    expect(await readGroupUserIds(graphFor(sim), EMPTY, { counter })).toEqual(new Set());
    expect(counter.requests).toBe(1);
  });

  it('a missing group is a CloudError NOT_FOUND naming the group, without retries', async () => {
    const missing = group(99);
    const counter = { requests: 0 };
    const error = await readGroupUserIds(graphFor(sim), missing, { counter }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudError);
    expect((error as CloudError).reason).toBe('NOT_FOUND');
    expect((error as CloudError).graphCode).toBe('Request_ResourceNotFound');
    expect((error as CloudError).message).toContain(`no group with id ${missing}`);
    expect(counter.requests).toBe(1);
  });

  it('refuses a page size Graph would refuse, before sending anything', async () => {
    await expect(readGroupUserIds(graphFor(sim), BIG, { pageSize: 1000 })).rejects.toThrow(RangeError);
  });

  it('retries transient failures (503, 504, dropped connections) with our policy and still reads everything', async () => {
    const flaky = await startSimulator({ tenant: tenant(), throttle: false, seed: 5, faults: { rate503: 0.25, rate504: 0.1, dropRate: 0.1 } });
    try {
      const counter = { requests: 0 };
      const ids = await readGroupUserIds(graphFor(flaky), BIG, { counter, pageSize: 200, retryPolicy: { baseDelayMs: 5, maxDelayMs: 20, maxTransientAttempts: 20 } });
      expect(ids).toEqual(new Set(range(0, 1111)));
      expect(flaky.stats().faults).toBeGreaterThan(0);
      expect(counter.requests).toBeGreaterThan(6);
    } finally {
      await flaky.close();
    }
  });

  it('needs no advanced query: works against a tenant that refuses ConsistencyLevel: eventual', async () => {
    const refusing = await startSimulator({ tenant: tenant(), throttle: false, refuseAdvancedQuery: true });
    try {
      expect(await readGroupUserIds(graphFor(refusing), SMALL)).toEqual(new Set(range(0, 1111)));
    } finally {
      await refusing.close();
    }
  });

  it('falls back to the uncast list filtered by @odata.type when Graph refuses the cast (400 Request_UnsupportedQuery)', async () => {
    const graph = graphFor(sim);
    // Stand-in for a service that refuses this cast: ask for a type the simulator refuses
    // with Graph's documented answer for an unsupported member type.
    const api = graph.client.api.bind(graph.client);
    const spy = vi.spyOn(graph.client, 'api').mockImplementation((path) => api(typeof path === 'string' ? path.replace('/microsoft.graph.user?', '/microsoft.graph.application?') : path));
    try {
      const counter = { requests: 0 };
      const modes: string[] = [];
      const ids = await readGroupUserIds(graph, SMALL, { counter, onCastMode: (mode, why) => modes.push(`${mode}: ${why}`) });
      expect(ids).toEqual(new Set(range(0, 1111)));
      expect(modes).toHaveLength(1);
      expect(modes[0]).toMatch(/^client: Graph refused the OData cast \(Request_UnsupportedQuery: /);
      // 1 refused + 2 pages of 999 (1111 users + 2 nested groups read too).
      expect(counter.requests).toBe(3);
    } finally {
      spy.mockRestore();
    }
  });
});
