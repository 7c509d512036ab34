/**
 * A tenant that refuses advanced queries (the simulator's `refuseAdvancedQuery`:
 * every `ConsistencyLevel: eventual` request is 400 Request_UnsupportedQuery,
 * as for tenants without advanced query support - learn.microsoft.com/graph/aad-advanced-queries).
 * The users reader must fall back to listing without the server-side cloud-only
 * filter and drop synced users itself (filterMode 'client'), with the same result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAllUsers } from '../../../src/cloud/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser } from '../../../src/graph/tenant-snapshot.js';
import { graphFor } from '../../harness/graph.js';
import { buildTenant, cloudUser, guid } from '../../harness/tenant.js';

const USERS = 1500;
let sim: RunningSimulator;
let users: SnapshotUser[];

beforeAll(async () => {
  users = Array.from({ length: USERS }, (_, i) =>
    cloudUser(guid(i, 'c'), `u${i}@contoso.example`, i % 4 === 0 ? { onPremisesSyncEnabled: true, onPremisesImmutableId: `c3luY2Vk${i}` } : i % 4 === 1 ? { onPremisesSyncEnabled: false } : {}),
  );
  sim = await startSimulator({ tenant: buildTenant({ users: users }), throttle: false, refuseAdvancedQuery: true });
});
afterAll(async () => {
  await sim?.close();
});

describe('listUsers against a tenant that refuses advanced queries', () => {
  it('falls back to client-side cloud-only filtering after one refused request', async () => {
    const counter = { requests: 0 };
    const told: string[] = [];
    const { users: listed, summary } = await listAllUsers(graphFor(sim), { cloudOnly: true, counter, onFilterMode: (mode, why) => told.push(`${mode}: ${why}`) });
    expect(summary.filterMode).toBe('client');
    expect(summary.filterModeWhy).toMatch(/Request_UnsupportedQuery/);
    expect(told).toEqual([`client: ${summary.filterModeWhy}`]);
    const expected = new Set(users.filter((u) => u.onPremisesSyncEnabled !== true).map((u) => u.id));
    expect(new Set(listed.map((u) => u.id))).toEqual(expected);
    expect(listed).toHaveLength(expected.size);
    expect(summary.usersRead).toBe(USERS); // synced users had to be read too
    expect(summary.serverCount).toBeUndefined();
    expect(counter.requests).toBe(1 + Math.ceil(USERS / 999));
    // Every refused request was the advanced one; the fallback pages carried no header.
    expect(sim.stats().perPath['GET /v1.0/users']).toBe(counter.requests);
  });

  it('an admin filter still goes to the server, ANDed on the client with cloud-only', async () => {
    const { users: listed, summary } = await listAllUsers(graphFor(sim), { cloudOnly: true, filter: `startsWith(userPrincipalName,'u1')` });
    expect(summary.filterMode).toBe('client');
    const expected = users.filter((u) => u.onPremisesSyncEnabled !== true && u.userPrincipalName.startsWith('u1')).map((u) => u.id);
    expect(new Set(listed.map((u) => u.id))).toEqual(new Set(expected));
  });

  it('listing all users (no cloud-only filter) needs no advanced query at all', async () => {
    const counter = { requests: 0 };
    const { users: listed, summary } = await listAllUsers(graphFor(sim), { cloudOnly: false, counter });
    expect(summary.filterMode).toBe('none');
    expect(listed).toHaveLength(USERS);
    expect(counter.requests).toBe(Math.ceil(USERS / 999));
  });
});
