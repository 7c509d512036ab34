/**
 * The guards reader against the simulator loaded with the committed sample
 * tenant (samples/tenant.contoso.json), through the real client and credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError, listAllUsers, readDomains, readObjectIdentifierListing, readPrivilegedRoleHolders, readSyncFeatures, isFederatedUpn } from '../../../src/cloud/index.js';
import { SAMPLE_TENANT_FILE } from '../../../src/samples/index.js';
import type { RunningSimulator } from '../../../src/sim/index.js';
import { startSimulator } from '../../../src/sim/index.js';
import { readTenantGuards } from '../../../src/inputs/read-inputs.js';
import type { GraphUser } from '../../../src/graph/user.js';
import { delegatedGraphFor, graphFor } from '../../harness/graph.js';

let sim: RunningSimulator;
let forbidden: RunningSimulator;
const idOf = (name: string) => {
  const user = sim.state().users.find((u) => u.displayName === name);
  if (!user) throw new Error(`no ${name} in the sample`);
  return user.id;
};

beforeAll(async () => {
  sim = await startSimulator({ tenant: SAMPLE_TENANT_FILE, throttle: false });
  forbidden = await startSimulator({ tenant: SAMPLE_TENANT_FILE, throttle: false, syncFeaturesForbidden: true });
});
afterAll(async () => {
  await sim?.close();
  await forbidden?.close();
});

describe('privileged role holders', () => {
  it('finds active and PIM-eligible holders of privileged roles only', async () => {
    const graph = graphFor(sim);
    const { users } = await listAllUsers(graph, { cloudOnly: false });
    const holders = await readPrivilegedRoleHolders(graph, { knownUserIds: new Set(users.map((u) => u.id)) });
    expect(holders.eligibilityKnown).toBe(true);
    expect(holders.groupsExpanded).toBe(true);
    expect(holders.get(idOf('Ada Admin'))).toEqual({ roles: ['Global Administrator'], eligible: false, active: true, viaGroups: [] });
    expect(holders.get(idOf('Break Glass (emergency access)'))?.roles).toEqual(['Global Administrator']);
    expect(holders.get(idOf('Priya Patel'))).toEqual({ roles: ['Privileged Role Administrator'], eligible: true, active: false, viaGroups: [] });
    expect(holders.get(idOf('Kwame Mensah'))).toEqual({ roles: ['Helpdesk Administrator', 'User Administrator'], eligible: true, active: true, viaGroups: [] });
    expect(holders.has(idOf('Olga Petrova'))).toBe(false); // Reports Reader is not privileged
    expect(holders.size).toBe(4);
  });

  it('looks the principals up with POST /directoryObjects/getByIds when it does not know they are users', async () => {
    const before = sim.stats().perPath['POST /v1.0/directoryObjects/getByIds'] ?? 0;
    const holders = await readPrivilegedRoleHolders(graphFor(sim));
    expect(holders.size).toBe(4);
    expect(holders.groupsExpanded).toBe(true);
    expect(sim.stats().perPath['POST /v1.0/directoryObjects/getByIds']).toBe(before + 1);
  });
});

describe('domains and sync features', () => {
  it('reads domains and the federated set', async () => {
    const { domains, federated } = await readDomains(graphFor(sim));
    expect(domains.map((d) => d.id).sort()).toEqual(['contoso.example', 'contoso.onmicrosoft.com', 'fabrikam.example']);
    expect([...federated]).toEqual(['fabrikam.example']);
    expect(isFederatedUpn('nina.fischer@fabrikam.example', federated)).toBe(true);
  });

  it('reads the tenant sync features signed in delegated as a Global Administrator (the only way Graph allows)', async () => {
    const features = await readSyncFeatures(delegatedGraphFor(sim, idOf('Ada Admin'), ['OnPremDirectorySynchronization.Read.All']));
    expect(features.known).toBe(true);
    if (!features.known) return;
    expect(features.features).toMatchObject({ blockCloudObjectTakeoverThroughHardMatchEnabled: false, blockSoftMatchEnabled: false, passwordSyncEnabled: true });
  });

  it('app-only: 403 by default (the page lists no application permission), reported as unknown with why', async () => {
    const features = await readSyncFeatures(graphFor(sim));
    expect(features).toMatchObject({ known: false, reason: 'FORBIDDEN' });
    if (features.known) return;
    expect(features.message).toMatch(/Authorization_RequestDenied.*supports no application permission.*OnPremDirectorySynchronization\.Read\.All, signed in as a Global Administrator/s);
  });

  it('delegated, but the user is no Global Administrator, or the scope is missing: 403', async () => {
    for (const [user, scopes] of [
      [idOf('Olga Petrova'), ['OnPremDirectorySynchronization.Read.All']],
      [idOf('Ada Admin'), ['User.Read.All']],
    ] as const) {
      const features = await readSyncFeatures(delegatedGraphFor(sim, user, scopes));
      expect(features).toMatchObject({ known: false, reason: 'FORBIDDEN' });
    }
  });

  it('answers "unknown" (not a crash) when Graph says 403, as it does to app-only callers', async () => {
    const features = await readSyncFeatures(graphFor(forbidden));
    expect(features).toMatchObject({ known: false, reason: 'FORBIDDEN' });
    if (features.known) return;
    expect(features.message).toMatch(/Authorization_RequestDenied/);
  });
});

describe('onPremisesObjectIdentifier', () => {
  it('reads it for chosen users from the /beta/users listing, and nothing else', async () => {
    const helga = idOf('Helga Jensen');
    const zoe = idOf('Zoë Martin');
    const counter = { requests: 0 };
    const values = await readObjectIdentifierListing(graphFor(sim), { only: new Set([helga, zoe.toUpperCase()]), counter });
    expect([...values.keys()].sort()).toEqual([helga, zoe].map((id) => id.toLowerCase()).sort());
    expect(values.get(helga.toLowerCase())).toBe(sim.state().users.find((u) => u.id === helga)?.onPremisesObjectIdentifier);
    expect(values.get(helga.toLowerCase())).toMatch(/^[0-9a-f-]{36}$/);
    expect(values.get(zoe.toLowerCase())).toBeNull();
    expect(counter.requests).toBe(1); // one page of 999 holds the sample tenant
    expect(sim.stats().perPath['GET /beta/users']).toBeGreaterThanOrEqual(1);
  });
});

describe('the guards read while the users are still being listed (apply with a reviewed plan)', () => {
  const requestsTo = (path: string) => sim.stats().perPath[path] ?? 0;

  it('sends its own reads before the listing ends, and reads the same guards as after it', async () => {
    const graph = graphFor(sim);
    const { users } = await listAllUsers(graph, { cloudOnly: false });
    const ids = users.map((u) => u.id);
    const after = await readTenantGuards(graph, users, { objectIdentifierIds: ids });

    const betaListings = requestsTo('GET /beta/users');
    const assignments = requestsTo('GET /v1.0/roleManagement/directory/roleAssignments');
    let finishListing!: (listed: readonly GraphUser[]) => void;
    const listing = new Promise<readonly GraphUser[]>((resolve) => (finishListing = resolve));
    const during = readTenantGuards(graph, listing, { objectIdentifierIds: ids });
    // Nothing resolves the listing until the guards' own requests have reached Graph: were they waiting for it, this would time out.
    await expect.poll(() => requestsTo('GET /beta/users') > betaListings && requestsTo('GET /v1.0/roleManagement/directory/roleAssignments') > assignments, { timeout: 10_000 }).toBe(true);
    finishListing(users);
    // The same guards, but for the request ids Graph's messages carry.
    const withoutRequestIds = (guards: unknown) => JSON.stringify(guards, (_, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)).replace(/request-id [0-9a-f-]+/g, 'request-id');
    expect(withoutRequestIds(await during)).toBe(withoutRequestIds(after));
  });

  it("fails with the listing's own error when the listing fails, even a refusal it could have taken for a role read gap", async () => {
    const refused = new CloudError('FORBIDDEN', { status: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges' }, { operation: 'GET /users' });
    const listing = Promise.reject(refused);
    await expect(readTenantGuards(graphFor(sim), listing, { objectIdentifierIds: [idOf('Ada Admin')] })).rejects.toBe(refused);
  });
});
