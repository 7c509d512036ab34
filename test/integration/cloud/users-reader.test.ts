/**
 * The users reader through the real Graph client + real ClientSecretCredential
 * against the HTTPS simulator: paging over a generated tenant of 2,500 users,
 * the cloud-only filter on the server (advanced query) and on the client (when
 * the advanced query is refused), managers expanded or read separately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, createGraph, listAllUsers, listUsers, readManagers, USER_SELECT, type GraphUser } from '../../../src/cloud/index.js';
import { generateTenant } from '../../../src/samples/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { graphFor } from '../../harness/graph.js';
import { startProxy, type TestProxy } from './proxy.js';

const USERS = 3000;
let tenant: TenantSnapshot;
let sim: RunningSimulator;
let proxy: TestProxy;

beforeAll(async () => {
  tenant = generateTenant({ users: USERS, seed: 4242, syncedFraction: 0.2 });
  sim = await startSimulator({ tenant, throttle: false });
  proxy = await startProxy(sim, { dropHeader: 'ConsistencyLevel' });
});
afterAll(async () => {
  await proxy?.close();
  await sim?.close();
});

const cloudOnlyIds = () => new Set(sim.state().users.filter((u) => u.onPremisesSyncEnabled !== true).map((u) => u.id));

describe('listUsers', () => {
  it('streams every cloud-only user page by page with the server-side advanced query, resending ConsistencyLevel on each nextLink', async () => {
    const graph = graphFor(sim);
    const counter = { requests: 0 };
    const modes: string[] = [];
    const pageSizes: number[] = [];
    const seen: GraphUser[] = [];
    const started = performance.now();
    const iterator = listUsers(graph, { cloudOnly: true, counter, onFilterMode: (mode) => modes.push(mode) });
    let summary;
    for (;;) {
      const step = await iterator.next();
      if (step.done) {
        summary = step.value;
        break;
      }
      pageSizes.push(step.value.length);
      seen.push(...step.value);
    }
    const elapsed = performance.now() - started;
    const expected = cloudOnlyIds();
    expect(expected.size).toBeGreaterThan(1998); // more than two pages of 999
    expect(modes).toEqual(['server']);
    expect(summary.filterMode).toBe('server');
    expect(summary.serverCount).toBe(expected.size);
    expect(new Set(seen.map((u) => u.id))).toEqual(expected);
    expect(seen).toHaveLength(expected.size); // no duplicates across pages
    expect(pageSizes.every((n) => n <= 999)).toBe(true);
    expect(pageSizes).toHaveLength(Math.ceil(expected.size / 999));
    expect(counter.requests).toBe(pageSizes.length); // no refused page: the header travelled with every nextLink
    expect(seen.some((u) => u.onPremisesSyncEnabled === true)).toBe(false);
    for (const user of seen.slice(0, 50)) for (const property of USER_SELECT) expect(user).toHaveProperty(property);
    console.info(`[measure] listUsers cloud-only (server filter): ${seen.length} of ${USERS} users, ${counter.requests} requests, ${elapsed.toFixed(0)} ms`);
  });

  it('lists all users (synced included) when cloudOnly is false', async () => {
    const { users, summary } = await listAllUsers(graphFor(sim), { cloudOnly: false });
    expect(summary.filterMode).toBe('none');
    expect(users).toHaveLength(USERS);
    expect(users.filter((u) => u.onPremisesSyncEnabled === true).length).toBe(tenant.users.filter((u) => u.onPremisesSyncEnabled === true).length);
  });

  it('falls back to client-side filtering when the advanced query is refused (a proxy that drops ConsistencyLevel)', async () => {
    const direct = graphFor(sim);
    const graph = createGraph({ ...direct.options, graphUrl: proxy.url, graphHost: '127.0.0.1', scope: direct.options.scope }, { env: {} });
    const counter = { requests: 0 };
    const whyLog: string[] = [];
    const started = performance.now();
    const { users, summary } = await listAllUsers(graph, { cloudOnly: true, counter, onFilterMode: (mode, why) => whyLog.push(`${mode}: ${why}`) });
    const elapsed = performance.now() - started;
    expect(proxy.stripped).toBeGreaterThan(0);
    expect(summary.filterMode).toBe('client');
    expect(summary.filterModeWhy).toMatch(/Request_UnsupportedQuery/);
    expect(whyLog).toHaveLength(1);
    expect(new Set(users.map((u) => u.id))).toEqual(cloudOnlyIds());
    expect(summary.usersRead).toBe(USERS); // the synced users had to be read too
    expect(counter.requests).toBe(1 + Math.ceil(USERS / 999));
    console.info(`[measure] listUsers cloud-only (client fallback): ${users.length} of ${USERS}, ${counter.requests} requests, ${elapsed.toFixed(0)} ms`);
  });

  it('can be told not to try the advanced query', async () => {
    const { users, summary } = await listAllUsers(graphFor(sim), { cloudOnly: true, advancedQuery: false });
    expect(summary.filterMode).toBe('client');
    expect(new Set(users.map((u) => u.id))).toEqual(cloudOnlyIds());
  });

  it('ANDs an admin filter with the cloud-only condition on the server', async () => {
    const { users, summary } = await listAllUsers(graphFor(sim), { cloudOnly: true, filter: "department eq 'Finance'" });
    expect(summary.filterMode).toBe('server');
    const expected = sim.state().users.filter((u) => u.onPremisesSyncEnabled !== true && u.department === 'Finance');
    expect(expected.length).toBeGreaterThan(10);
    expect(new Set(users.map((u) => u.id))).toEqual(new Set(expected.map((u) => u.id)));
  });

  it('refuses a page size Graph would refuse, before sending anything', async () => {
    await expect(listAllUsers(graphFor(sim), { cloudOnly: true, pageSize: 1000 })).rejects.toThrow(RangeError);
  });
});

describe('managers', () => {
  it('expandManager pages by 100 and carries manager ids that match the tenant', async () => {
    const counter = { requests: 0 };
    const started = performance.now();
    const { users, summary } = await listAllUsers(graphFor(sim), { cloudOnly: true, expandManager: true, counter });
    const elapsed = performance.now() - started;
    expect(summary.filterMode).toBe('client');
    expect(counter.requests).toBe(Math.ceil(USERS / 100));
    const truth = new Map(sim.state().users.map((u) => [u.id, u.manager?.id ?? null]));
    for (const user of users) expect(user.manager?.id ?? null).toBe(truth.get(user.id));
    console.info(`[measure] listUsers + $expand=manager: ${users.length} users, ${counter.requests} requests, ${elapsed.toFixed(0)} ms`);
  });

  it('readManagers reads selected users\' managers in $batch of 20; no manager is null', async () => {
    const state = sim.state().users.filter((u) => u.onPremisesSyncEnabled !== true);
    const selected = state.slice(0, 250);
    expect(selected.some((u) => !u.manager)).toBe(true);
    const counter = { requests: 0 };
    const started = performance.now();
    const managers = await readManagers(graphFor(sim), selected.map((u) => u.id), { counter });
    const elapsed = performance.now() - started;
    expect(counter.requests).toBe(Math.ceil(selected.length / 20));
    for (const user of selected) expect(managers.get(user.id)).toBe(user.manager?.id ?? null);
    console.info(`[measure] readManagers: ${selected.length} users, ${counter.requests} requests, ${elapsed.toFixed(0)} ms`);
  });
});

describe('sign-in and TLS failures', () => {
  it('an untrusted simulator certificate fails at once as AUTH_FAILED with a hint, not after retries', async () => {
    const untrusted = await startSimulator({ tenant: baseTenantForTls(), throttle: false });
    try {
      const graph = createGraph(
        { auth: 'secret', tenantId: untrusted.tenantId, clientId: untrusted.clientId, clientSecret: untrusted.clientSecret, graphUrl: untrusted.url, authorityHost: untrusted.authorityHost },
        { env: {} },
      );
      const started = performance.now();
      const error = await listAllUsers(graph, { cloudOnly: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudError);
      expect((error as CloudError).reason).toBe('AUTH_FAILED');
      expect((error as CloudError).message).toMatch(/--graph-ca-file/);
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await untrusted.close();
    }
  });
});

function baseTenantForTls(): TenantSnapshot {
  return { ...tenant, users: tenant.users.slice(0, 5).map(({ manager: _manager, ...u }) => u as typeof u & { id: string; userPrincipalName: string }), roleAssignments: [], roleEligibilityScheduleInstances: [] };
}
