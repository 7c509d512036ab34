/**
 * Groups in the simulator through the REAL Graph client.
 * Docs followed (each rule cites its page):
 * - learn.microsoft.com/graph/api/group-get (default properties, $select, 404 for an unknown id)
 * - learn.microsoft.com/graph/api/group-list-transitivemembers (flat list of all nested members;
 *   OData cast on the type; a cast to an unsupported member type is 400 Request_UnsupportedQuery;
 *   100 objects by default, $top up to 999)
 * - learn.microsoft.com/graph/paging (@odata.nextLink absent on the last page)
 * - learn.microsoft.com/graph/aad-advanced-queries ($count=true ignored without ConsistencyLevel;
 *   the /$count segment without it is 400 "$count is not currently supported.")
 * Plus the snapshot's validation of `groups`, and `refuseAdvancedQuery` (option and CLI flag).
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeTenant, startSimulator, TenantSnapshotError, type RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotGroup, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';
import { graphClientFor, graphError, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';
import { runSimCli } from './helpers.js';

const USERS = 260;
/** Group ids use the `d` prefix so they never collide with the `a`/`b` user ids of castTenant. */
const ALL = guid(1, 'd'); // u0..u249 directly: paging
const TOP = guid(2, 'd'); // u0, u1, MID
const MID = guid(3, 'd'); // u2, u3, u1 (again), LEAF
const LEAF = guid(4, 'd'); // u4, TOP (a cycle)
const EMPTY = guid(5, 'd');

function groupsTenant(): TenantSnapshot {
  const tenant = castTenant({ users: USERS });
  const groups: SnapshotGroup[] = [
    { id: ALL, displayName: 'All staff', members: Array.from({ length: 250 }, (_, i) => guid(i)) },
    { id: TOP, displayName: 'Sales', description: 'Everyone in sales', members: [guid(0), guid(1), MID] },
    { id: MID, displayName: 'Sales EMEA', members: [guid(2), guid(3), guid(1), LEAF] },
    { id: LEAF, displayName: 'Sales Berlin', members: [guid(4), TOP] },
    { id: EMPTY, displayName: 'Nobody', members: [] },
  ];
  return { ...tenant, groups };
}

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@odata.context'?: string };

let sim: RunningSimulator;
let client: Client;

beforeAll(async () => {
  sim = await startSimulator({ tenant: groupsTenant(), throttle: false });
  trustSimulator(sim);
  client = graphClientFor(sim);
});
afterAll(async () => {
  await sim?.close();
});

async function allPages(first: string, headers: Record<string, string> = {}): Promise<{ pages: Page[]; items: Record<string, unknown>[] }> {
  const pages: Page[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const page = (await client.api(next).headers(headers).get()) as Page;
    pages.push(page);
    next = page['@odata.nextLink'];
  }
  return { pages, items: pages.flatMap((p) => p.value) };
}

describe('snapshot groups', () => {
  const base = () => castTenant({ users: 3 });

  it('are optional: a snapshot without groups has none and serves an empty /groups', async () => {
    expect(normalizeTenant(base()).groups).toBeUndefined();
    const plain = await startSimulator({ tenant: base(), throttle: false });
    try {
      trustSimulator(plain);
      const page = (await graphClientFor(plain).api('/groups').get()) as Page;
      expect(page.value).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  it('are validated, every bad path named', () => {
    const tenant = {
      ...base(),
      groups: [
        { id: guid(1, 'd'), displayName: 'Ok', members: [guid(0), guid(2, 'd')] },
        { id: guid(2, 'd'), displayName: 'Bad members', members: [guid(77), guid(0), guid(0), guid(2, 'd'), 42] },
        { id: guid(1, 'd'), displayName: 'Duplicate id', members: [] },
        { id: guid(0), displayName: 'User id', members: [] },
        { id: guid(6, 'd'), members: 'nope' },
        'not an object',
      ],
    };
    let error: unknown;
    try {
      normalizeTenant(tenant);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TenantSnapshotError);
    expect((error as TenantSnapshotError).problems).toEqual([
      `groups[2].id: duplicates groups[0].id`,
      `groups[3].id: is already the id of a user (object ids are unique across users and groups)`,
      `groups[1].members[0]: no user or group has id ${guid(77)}`,
      `groups[1].members[2]: duplicates groups[1].members[1]`,
      `groups[1].members[3]: a group cannot be a member of itself`,
      `groups[1].members[4]: must be the id of a user or group`,
      `groups[4].displayName: must be a non-empty string`,
      `groups[4].members: must be an array of user or group ids`,
      `groups[5]: must be an object`,
    ]);
  });

  it('must be an array', () => {
    expect(() => normalizeTenant({ ...base(), groups: {} })).toThrow(TenantSnapshotError);
  });
});

describe('GET /groups/{id}', () => {
  it('returns the default properties, with what the snapshot gives; $select picks', async () => {
    const group = (await client.api(`/groups/${TOP}`).get()) as Record<string, unknown>;
    expect(group).toMatchObject({
      '@odata.context': `${sim.url}/v1.0/$metadata#groups/$entity`,
      id: TOP,
      displayName: 'Sales',
      description: 'Everyone in sales',
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
    });
    expect(group).not.toHaveProperty('members');
    const picked = (await client.api(`/groups/${TOP}`).select(['id', 'displayName']).get()) as Record<string, unknown>;
    expect(picked).toEqual({ '@odata.context': `${sim.url}/v1.0/$metadata#groups(id,displayName)/$entity`, id: TOP, displayName: 'Sales' });
  });

  it('is 404 Request_ResourceNotFound for an unknown id, and refuses an unknown $select property', async () => {
    const missing = guid(99, 'd');
    const error = await graphError(client.api(`/groups/${missing}`).get());
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.message).toBe(`Resource '${missing}' does not exist or one of its queried reference-property objects are not present.`);
    const bad = await graphError(client.api(`/groups/${TOP}`).select('nope').get());
    expect(bad.statusCode).toBe(400);
    expect(bad.code).toBe('Request_UnsupportedQuery');
  });
});

describe('GET /groups/{id}/transitiveMembers/microsoft.graph.user', () => {
  it('flattens nested groups (a cycle included) and lists each user once, ids only with $select=id, no advanced query needed', async () => {
    const page = (await client.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
    expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users(id)`);
    expect(page['@odata.nextLink']).toBeUndefined();
    expect(page.value.map((u) => Object.keys(u))).toEqual(Array.from({ length: 5 }, () => ['id']));
    expect(page.value.map((u) => u.id).sort()).toEqual([guid(0), guid(1), guid(2), guid(3), guid(4)].sort());
    // From a nested group, only what is below it (and, through the cycle, above it).
    const leaf = (await client.api(`/groups/${LEAF}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
    expect(leaf.value.map((u) => u.id).sort()).toEqual([guid(0), guid(1), guid(2), guid(3), guid(4)].sort());
    const mid = (await client.api(`/groups/${MID}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
    expect(mid.value).toHaveLength(5);
  });

  it('pages 100 by default, follows $top up to 999, and leaves nextLink out on the last page', async () => {
    const byDefault = await allPages(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id`);
    expect(byDefault.pages.map((p) => p.value.length)).toEqual([100, 100, 50]);
    expect(byDefault.pages.map((p) => p['@odata.nextLink'] !== undefined)).toEqual([true, true, false]);
    expect(new Set(byDefault.items.map((u) => u.id))).toEqual(new Set(Array.from({ length: 250 }, (_, i) => guid(i))));
    expect(byDefault.pages[0]?.['@odata.nextLink']).toMatch(new RegExp(`^${sim.url}/v1.0/groups/${ALL}/transitiveMembers/microsoft.graph.user\\?\\$select=id&\\$skiptoken=`));

    const small = await allPages(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id&$top=99`);
    expect(small.pages.map((p) => p.value.length)).toEqual([99, 99, 52]);
    expect(small.items).toHaveLength(250);

    const big = await allPages(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id&$top=999`);
    expect(big.pages).toHaveLength(1);
    expect(big.items).toHaveLength(250);

    const tooBig = await graphError(client.api(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id&$top=1000`).get());
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.code).toBe('Request_UnsupportedQuery');
    expect(tooBig.message).toBe("Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });

  it('answers the default user properties without $select', async () => {
    const page = (await client.api(`/groups/${LEAF}/transitiveMembers/microsoft.graph.user`).top(1).get()) as Page;
    expect(page.value[0]).toHaveProperty('userPrincipalName');
    expect(page.value[0]).toHaveProperty('businessPhones', []);
    expect(page['@odata.nextLink']).toBeDefined();
  });

  it('is 404 Request_ResourceNotFound for an unknown group', async () => {
    const missing = guid(98, 'd');
    const error = await graphError(client.api(`/groups/${missing}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get());
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.message).toContain(missing);
  });

  it('an empty group is an empty page without nextLink', async () => {
    const page = (await client.api(`/groups/${EMPTY}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
    expect(page.value).toEqual([]);
    expect(page['@odata.nextLink']).toBeUndefined();
  });

  it('$count=true is ignored without ConsistencyLevel: eventual, and counts every page with it', async () => {
    const plain = (await client.api(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id&$count=true`).get()) as Page;
    expect(plain['@odata.count']).toBeUndefined();
    const advanced = (await client.api(`/groups/${ALL}/transitiveMembers/microsoft.graph.user?$select=id&$count=true`).header('ConsistencyLevel', 'eventual').get()) as Page;
    expect(advanced['@odata.count']).toBe(250);
  });

  it('$filter is an advanced query on this relationship', async () => {
    const refused = await graphError(client.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.user`).filter(`id eq '${guid(3)}'`).get());
    expect(refused.statusCode).toBe(400);
    expect(refused.code).toBe('Request_UnsupportedQuery');
    const page = (await client
      .api(`/groups/${TOP}/transitiveMembers/microsoft.graph.user?$count=true&$select=id`)
      .filter(`id eq '${guid(3)}'`)
      .header('ConsistencyLevel', 'eventual')
      .get()) as Page;
    expect(page.value).toEqual([{ id: guid(3) }]);
    expect(page['@odata.count']).toBe(1);
  });
});

describe('the other shapes of transitiveMembers', () => {
  it('without a cast lists users and nested groups, each with its @odata.type', async () => {
    const page = (await client.api(`/groups/${TOP}/transitiveMembers`).query({ $select: 'id' }).get()) as Page;
    expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#directoryObjects(id)`);
    const types = page.value.map((o) => `${String(o['@odata.type'])} ${String(o.id)}`).sort();
    expect(types).toEqual(
      [
        ...[0, 1, 2, 3, 4].map((i) => `#microsoft.graph.user ${guid(i)}`),
        `#microsoft.graph.group ${MID}`,
        `#microsoft.graph.group ${LEAF}`,
      ].sort(),
    );
  });

  it('the microsoft.graph.group cast lists the nested groups', async () => {
    const page = (await client.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.group`).query({ $select: 'id,displayName' }).get()) as Page;
    expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#groups(id,displayName)`);
    expect(page.value).toEqual([
      { id: MID, displayName: 'Sales EMEA' },
      { id: LEAF, displayName: 'Sales Berlin' },
    ]);
  });

  it('a cast to a type that cannot be a member is 400 Request_UnsupportedQuery; an unknown segment is 400 BadRequest', async () => {
    const unsupported = await graphError(client.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.application`).get());
    expect(unsupported.statusCode).toBe(400);
    expect(unsupported.code).toBe('Request_UnsupportedQuery');
    const devices = (await client.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.device`).get()) as Page;
    expect(devices.value).toEqual([]);
    const unknown = await graphError(client.api(`/groups/${TOP}/transitiveMembers/nonsense`).get());
    expect(unknown.statusCode).toBe(400);
    expect(unknown.code).toBe('BadRequest');
    expect(unknown.message).toBe("Resource not found for the segment 'nonsense'.");
  });

  it('/$count needs ConsistencyLevel: eventual and answers plain text', async () => {
    const token = await tokenFor(sim);
    const refused = await raw(sim, 'GET', `/v1.0/groups/${TOP}/transitiveMembers/microsoft.graph.user/$count`, { token });
    expect(refused.status).toBe(400);
    expect((refused.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'Request_BadRequest', message: '$count is not currently supported.' });
    const users = await raw(sim, 'GET', `/v1.0/groups/${TOP}/transitiveMembers/microsoft.graph.user/$count`, { token, headers: { ConsistencyLevel: 'eventual' } });
    expect(users.status).toBe(200);
    expect(users.headers['content-type']).toMatch(/^text\/plain/);
    expect(users.text).toBe('5');
    const all = await raw(sim, 'GET', `/v1.0/groups/${TOP}/transitiveMembers/$count`, { token, headers: { ConsistencyLevel: 'eventual' } });
    expect(all.text).toBe('7');
  });

  it('counts each route under its template in the stats', () => {
    const perPath = sim.stats().perPath;
    expect(perPath['GET /v1.0/groups/{id}']).toBeGreaterThan(0);
    expect(perPath['GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user']).toBeGreaterThan(0);
    expect(perPath['GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count']).toBe(2);
  });
});

describe('refuseAdvancedQuery', () => {
  let refusing: RunningSimulator;
  let refusingClient: Client;
  beforeAll(async () => {
    refusing = await startSimulator({ tenant: groupsTenant(), throttle: false, refuseAdvancedQuery: true });
    trustSimulator(refusing);
    refusingClient = graphClientFor(refusing);
  });
  afterAll(async () => {
    await refusing?.close();
  });

  it('answers 400 Request_UnsupportedQuery to any request with ConsistencyLevel: eventual, on every route', async () => {
    for (const path of ['/users?$filter=onPremisesSyncEnabled ne true&$count=true&$select=id', '/users?$select=id', `/groups/${TOP}/transitiveMembers/microsoft.graph.user?$select=id`]) {
      const error = await graphError(refusingClient.api(path).header('ConsistencyLevel', 'eventual').get());
      expect(error.statusCode, path).toBe(400);
      expect(error.code, path).toBe('Request_UnsupportedQuery');
    }
  });

  it('still answers the same requests without the header', async () => {
    const users = (await refusingClient.api('/users').select('id').top(5).get()) as Page;
    expect(users.value).toHaveLength(5);
    const members = (await refusingClient.api(`/groups/${TOP}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
    expect(members.value).toHaveLength(5);
  });

  it('refuses a $batch item that carries the header, and only that item', async () => {
    const answer = (await refusingClient.api('/$batch').post({
      requests: [
        { id: '1', method: 'GET', url: '/users?$select=id&$top=1', headers: { ConsistencyLevel: 'eventual' } },
        { id: '2', method: 'GET', url: '/users?$select=id&$top=1' },
      ],
    })) as { responses: { id: string; status: number; body?: { error?: { code: string } } }[] };
    const byId = new Map(answer.responses.map((r) => [r.id, r]));
    expect(byId.get('1')?.status).toBe(400);
    expect(byId.get('1')?.body?.error?.code).toBe('Request_UnsupportedQuery');
    expect(byId.get('2')?.status).toBe(200);
  });
});

describe('entra2ad sim --refuse-advanced-query', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'entra2ad-sim-groups-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves a snapshot file with groups and refuses advanced queries', async () => {
    const tenantFile = join(dir, 'tenant.json');
    await writeFile(tenantFile, JSON.stringify(groupsTenant()));
    await runSimCli(['--tenant', tenantFile, '--no-throttle', '--refuse-advanced-query'], async (ready) => {
      // Connect with what the JSON line says (the CA from its caFile, the secret from its clientSecretFile).
      const handle = { ...ready, caPem: await readFile(ready.caFile, 'utf8'), clientSecret: (await readFile(ready.clientSecretFile, 'utf8')).trim() } as unknown as RunningSimulator;
      trustSimulator(handle);
      const cliClient = graphClientFor(handle);
      const error = await graphError(cliClient.api('/users').header('ConsistencyLevel', 'eventual').select('id').get());
      expect(error.statusCode).toBe(400);
      expect(error.code).toBe('Request_UnsupportedQuery');
      const members = (await cliClient.api(`/groups/${MID}/transitiveMembers/microsoft.graph.user`).query({ $select: 'id' }).get()) as Page;
      expect(members.value).toHaveLength(5);
    });
  });
});
