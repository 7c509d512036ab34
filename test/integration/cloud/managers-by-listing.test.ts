import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManagers, readManagersByListing } from '../../../src/cloud/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { generateTenant } from '../../../src/samples/index.js';
import { graphFor } from '../../harness/graph.js';

// The sharded $expand listing must give the same manager of every user as the
// per-user reads (GET /users/{id}/manager), at a fraction of the resource units.
describe('readManagersByListing', () => {
  let sim: RunningSimulator;
  const tenant = generateTenant({ users: 1200, seed: 11 });
  // A UPN outside the shards (a-z, 0-9): covered by the per-user fallback only.
  const odd = tenant.users[0]!;
  odd.userPrincipalName = `_${odd.userPrincipalName}`;

  beforeAll(async () => {
    sim = await startSimulator({ tenant, throttle: false });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('lists every user in a shard exactly as the per-user reads see them, for fewer requests', async () => {
    const graph = graphFor(sim);
    const before = sim.stats().requests;
    const listed = await readManagersByListing(graph);
    const listingRequests = sim.stats().requests - before;
    const ids = tenant.users.map((u) => u.id);
    const perUser = await readManagers(graph, ids);

    expect(listed.has(odd.id), 'a UPN starting with "_" is in no shard').toBe(false);
    const covered = ids.filter((id) => id !== odd.id);
    expect(covered.every((id) => listed.has(id))).toBe(true);
    for (const id of covered) expect(listed.get(id), id).toBe(perUser.get(id));
    expect([...perUser.values()].filter((m) => m !== null).length, 'the generated tenant has managers').toBeGreaterThan(500);
    // 1,200 users at 100 per page over 36 shards, against 60 batches of 20 items (each item charged).
    expect(listingRequests).toBeLessThan(36 + 1200 / 100 + 10);
  });
});
