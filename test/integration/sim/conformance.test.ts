/**
 * Conformance with Microsoft's metadata, per API version, from the pinned extract
 * test/fixtures/graph-metadata/extract.json (msgraph-metadata at the commit it names;
 * regenerate with scripts/extract-graph-metadata.mjs). Never reads ../shared or the network.
 *
 * - The simulator serves only declared properties, with their types and
 *   nullability (collections never null), on each version.
 * - Every request the cloud adapter sends (recorded from `fetch` while the real
 *   readers and the anchor writer run against the simulator; `$batch` items
 *   included) names a route that exists on its version, and only properties
 *   that exist there in `$select`, `$expand` and `$filter`.
 * Where the metadata cannot decide, the rule and its doc link are in src/sim/README.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AnchorWriter,
  listAllUsers,
  readGroupUserIds,
  readManagers,
  readManagersByListing,
  readSnapshot,
  type Graph,
} from '../../../src/cloud/index.js';
import type { Directory } from '../../../src/directory/index.js';
import { identifierClearPorts } from '../../../src/apply/identifier-clear-ports.js';
import { readTenantGuards } from '../../../src/inputs/read-inputs.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { DEFAULT_APP_PERMISSIONS } from '../../../src/sim/permissions.js';
import { API_VERSIONS, userPropertiesOf } from '../../../src/sim/user-properties.js';
import { loadExtract, objectProblems, propertyOf, requestProblems, type Version } from '../../harness/graph-conformance.js';
import { graphFor, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, GLOBAL_ADMIN, guid } from '../../harness/tenant.js';

const meta = loadExtract();

function richTenant(): TenantSnapshot {
  const base = castTenant({ users: 6 });
  return {
    ...base,
    users: base.users.map((u, i) => (i === 1 ? { ...u, onPremisesObjectIdentifier: '5b7f4a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b', jobTitle: 'Clerk' } : u)),
    groups: [
      { id: guid(1, 'c'), displayName: 'Tier 0', isAssignableToRole: true, securityEnabled: true, members: [guid(2), guid(2, 'c')], owners: [guid(3)] },
      { id: guid(2, 'c'), displayName: 'Nested', members: [guid(4)] },
    ],
    administrativeUnits: [{ id: guid(1, 'd'), displayName: 'Executives', isMemberManagementRestricted: true, members: [guid(5), guid(2, 'c')] }],
    roleAssignments: [...base.roleAssignments, { id: 'ra-g', principalId: guid(1, 'c'), roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' }],
  };
}

let sim: RunningSimulator;
beforeAll(async () => {
  // The README's permissions plus the one onPremisesSyncBehavior needs (learn.microsoft.com/graph/api/onpremisessyncbehavior-get).
  sim = await startSimulator({
    tenant: { ...richTenant(), app: { applicationPermissions: [...DEFAULT_APP_PERMISSIONS, 'User-OnPremisesSyncBehavior.ReadWrite.All'] } },
    throttle: false,
    syncFeaturesForApps: true,
  });
  trustSimulator(sim);
});
afterAll(async () => {
  await sim?.close();
});

describe('the pinned extract', () => {
  it('names its source and commit, and knows beta-only from v1.0', () => {
    expect(meta.source).toMatchObject({ repository: 'https://github.com/microsoftgraph/msgraph-metadata', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(propertyOf(meta, 'v1.0', 'user', 'onPremisesObjectIdentifier')).toBeUndefined();
    expect(propertyOf(meta, 'beta', 'user', 'onPremisesObjectIdentifier')).toBeDefined();
    expect(propertyOf(meta, 'v1.0', 'user', 'id')).toEqual({ type: 'Edm.String', nullable: false }); // from entity, two base types up
  });
});

describe.each(API_VERSIONS)('%s: what the simulator serves', (version) => {
  it('every user property it knows is declared on this version', () => {
    const missing = userPropertiesOf(version).filter((p) => !propertyOf(meta, version, 'user', p));
    expect(missing).toEqual([]);
  });

  const reads: Array<[string, string, string, unknown?]> = [
    ['user', 'GET', `/users?$select=${userPropertiesOf(version).join(',')}`],
    ['user', 'GET', '/users'],
    ['user', 'GET', `/users/${guid(1)}?$select=${userPropertiesOf(version).join(',')}`],
    ['directoryObject', 'GET', `/users/${guid(0)}/manager`],
    ['directoryObject', 'GET', `/users/${guid(4)}/transitiveMemberOf`],
    ['directoryRole', 'GET', `/users/${guid(2)}/transitiveMemberOf/microsoft.graph.directoryRole`],
    ['user', 'GET', '/users?$expand=manager($select=id)&$top=50'],
    ['group', 'GET', '/groups'],
    ['group', 'GET', `/groups/${guid(1, 'c')}`],
    ['directoryObject', 'GET', `/groups/${guid(1, 'c')}/transitiveMembers`],
    ['directoryObject', 'GET', `/groups/${guid(1, 'c')}/owners`],
    ['domain', 'GET', '/domains'],
    ['unifiedRoleDefinition', 'GET', '/roleManagement/directory/roleDefinitions'],
    ['unifiedRoleAssignment', 'GET', '/roleManagement/directory/roleAssignments?$expand=roleDefinition'],
    ['unifiedRoleEligibilityScheduleInstance', 'GET', '/roleManagement/directory/roleEligibilityScheduleInstances'],
    ['onPremisesDirectorySynchronization', 'GET', '/directory/onPremisesSynchronization'],
    ['administrativeUnit', 'GET', '/directory/administrativeUnits'],
    ['directoryObject', 'GET', `/directory/administrativeUnits/${guid(1, 'd')}/members`],
    ['organization', 'GET', '/organization'],
    ['onPremisesSyncBehavior', 'GET', `/users/${guid(2, 'b')}/onPremisesSyncBehavior`],
    ['directoryObject', 'POST', '/directoryObjects/getByIds', { ids: [guid(0), guid(1, 'c'), guid(2, 'c')] }],
  ];
  it.each(reads)('%s: %s %s', async (type, method, path, body) => {
    const res = await raw(sim, method, `/${version}${path}`, { token: await tokenFor(sim), ...(body ? { body } : {}) });
    expect(res.status, res.text).toBe(200);
    const json = res.json as Record<string, unknown>;
    const objects = Array.isArray(json.value) ? (json.value as Record<string, unknown>[]) : [json];
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap((o) => objectProblems(meta, version as Version, type, o))).toEqual([]);
  });
});

describe('the checks can fail', () => {
  it('a beta-only property served on v1.0, a null collection, a null non-nullable, a wrong type', () => {
    expect(objectProblems(meta, 'v1.0', 'user', { id: 'x', onPremisesObjectIdentifier: 'y' })).toEqual(['v1.0 user.onPremisesObjectIdentifier: not declared on v1.0']);
    expect(objectProblems(meta, 'beta', 'user', { id: 'x', onPremisesObjectIdentifier: 'y' })).toEqual([]);
    expect(objectProblems(meta, 'v1.0', 'user', { businessPhones: null })).toEqual(['v1.0 user.businessPhones: null, but a collection is never null (empty: [])']);
    expect(objectProblems(meta, 'v1.0', 'domain', { isDefault: null })).toEqual(['v1.0 domain.isDefault: null, but declared Nullable="false"']);
    expect(objectProblems(meta, 'v1.0', 'user', { accountEnabled: 'yes' })).toEqual(['v1.0 user.accountEnabled: "yes" is not a boolean']);
  });

  it('a beta-only property requested on v1.0, an unknown route, an unknown $expand or $filter property', () => {
    expect(requestProblems(meta, 'GET', '/v1.0/users?$select=id,onPremisesObjectIdentifier')).toEqual([
      'GET /v1.0/users: $select=onPremisesObjectIdentifier is not a property of user on v1.0',
    ]);
    expect(requestProblems(meta, 'GET', '/beta/users?$select=id,onPremisesObjectIdentifier')).toEqual([]);
    expect(requestProblems(meta, 'GET', '/v1.0/users/x/sponsorz')).toEqual(['GET /v1.0/users/x/sponsorz: sponsorz is not a navigation property of user on v1.0']);
    expect(requestProblems(meta, 'GET', '/v1.0/users?$expand=boss')).toEqual(['GET /v1.0/users: $expand=boss is not a navigation property of user on v1.0']);
    expect(requestProblems(meta, 'GET', "/v1.0/users?$filter=onPremisesObjectIdentifier ne null and startswith(userPrincipalName,'a')")).toEqual([
      'GET /v1.0/users: $filter on onPremisesObjectIdentifier, not a property of user on v1.0',
    ]);
    expect(requestProblems(meta, 'PATCH', '/v1.0/users/x', { onPremisesObjectIdentifier: null })).toEqual([
      'PATCH /v1.0/users/x: PATCH body property onPremisesObjectIdentifier is not a property of user on v1.0',
    ]);
    expect(requestProblems(meta, 'PATCH', '/beta/users/x', { onPremisesObjectIdentifier: null })).toEqual([]);
  });
});

describe("every request the cloud adapter sends", () => {
  interface Sent {
    method: string;
    url: string;
    body?: unknown;
  }
  const sent: Sent[] = [];

  /** Records every Graph request (and each $batch item, under its batch's version) while `run` runs. */
  async function recording(run: () => Promise<unknown>): Promise<void> {
    const original = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
      if (url.startsWith(sim.url) && !url.includes('/oauth2/')) {
        const path = url.slice(sim.url.length);
        if (/^\/(v1\.0|beta)\/\$batch$/.test(path) && typeof init?.body === 'string') {
          const version = path.split('/')[1];
          for (const item of (JSON.parse(init.body) as { requests: { method: string; url: string; body?: unknown }[] }).requests) {
            sent.push({ method: item.method, url: `/${version}${item.url}`, body: item.body });
          }
        } else sent.push({ method, url: path, ...(typeof init?.body === 'string' ? { body: JSON.parse(init.body) as unknown } : {}) });
      }
      return original(input, init);
    }) as typeof fetch;
    try {
      await run();
    } finally {
      globalThis.fetch = original;
    }
  }

  beforeAll(async () => {
    const graph: Graph = graphFor(sim);
    await recording(async () => {
      const { users } = await listAllUsers(graph, { cloudOnly: true });
      await listAllUsers(graph, { cloudOnly: false, select: ['id', 'userPrincipalName', 'onPremisesImmutableId', 'onPremisesDomainName'] });
      await readManagers(graph, users.slice(0, 3).map((u) => u.id));
      await readManagersByListing(graph);
      await readGroupUserIds(graph, guid(1, 'c'));
      await readTenantGuards(graph, users, { objectIdentifierIds: users.map((u) => u.id) });
      await readSnapshot(graph);
      const writer = new AnchorWriter(graph, { flushDelayMs: 0 });
      const written = writer.enqueue({ cloudId: guid(0), userPrincipalName: 'u0@contoso.example', immutableId: '1wfM9xV8fUSHbcAbDlqeOA==' });
      await writer.close();
      await written;
      // apply --clear-object-identifier's Graph side (the directory side is not Graph).
      const clearing = identifierClearPorts(graph, undefined as unknown as Directory);
      await clearing.readIdentifier(guid(1), 'u1@contoso.example');
      await clearing.clear(guid(1), 'u1@contoso.example');
    });
  }, 120_000);

  it('reached every kind of call (listing, $batch items, guards, beta, writes)', () => {
    const routes = new Set(sent.map((s) => `${s.method} ${new URL(s.url, 'https://x').pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '{id}')}`));
    for (const expected of [
      'GET /v1.0/users',
      'GET /v1.0/users/{id}/manager',
      'GET /beta/users',
      'GET /v1.0/roleManagement/directory/roleAssignments',
      'GET /v1.0/roleManagement/directory/roleEligibilityScheduleInstances',
      'POST /v1.0/directoryObjects/getByIds',
      'GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user',
      'GET /v1.0/groups/{id}/owners/microsoft.graph.user',
      'GET /v1.0/directory/administrativeUnits',
      'GET /v1.0/directory/onPremisesSynchronization',
      'GET /v1.0/domains',
      'PATCH /v1.0/users/{id}',
      'PATCH /beta/users/{id}',
    ]) {
      expect(routes, expected).toContain(expected);
    }
  });

  it('each names a route and only properties that exist on the version it calls', () => {
    const problems = [...new Set(sent.flatMap((s) => requestProblems(meta, s.method, s.url, s.body)))];
    expect(problems).toEqual([]);
  });
});
