/**
 * GET /users and friends through the REAL Graph client.
 * Docs followed (each rule cites its page):
 * - learn.microsoft.com/graph/api/user-list ($select defaults, $top 1..999, default page 100)
 * - learn.microsoft.com/graph/paging (@odata.nextLink absent on the last page)
 * - learn.microsoft.com/graph/aad-advanced-queries (ne/not/endsWith need ConsistencyLevel + $count;
 *   $count without the header is silently ignored; filter support per property)
 * - learn.microsoft.com/graph/known-issues ($expand on directory objects: at most 100 per page)
 * - learn.microsoft.com/graph/api/user-list-manager (404 when no manager)
 */
import { PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { DEFAULT_USER_PROPERTIES } from '../../../src/sim/user-properties.js';
import { graphClientFor, graphError, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid, MANAGED } from '../../harness/tenant.js';
import type { Client } from '@microsoft/microsoft-graph-client';

let sim: RunningSimulator;
let client: Client;
const USERS = 2500;

beforeAll(async () => {
  sim = await startSimulator({ tenant: castTenant({ users: USERS }), throttle: false });
  trustSimulator(sim);
  client = graphClientFor(sim);
});
afterAll(async () => {
  await sim?.close();
});

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.count'?: number; '@odata.context'?: string };
const totalUsers = () => sim.state().users.length;

describe('$select', () => {
  it('returns exactly the 11 default properties without $select', async () => {
    const page = (await client.api('/users').top(5).get()) as Page;
    expect(page.value).toHaveLength(5);
    for (const user of page.value) expect(Object.keys(user).sort()).toEqual([...DEFAULT_USER_PROPERTIES].sort());
    expect(page.value[1]).toMatchObject({ businessPhones: [], mobilePhone: null, userPrincipalName: `u0@${MANAGED}` });
    expect(page['@odata.context']).toBe(`${sim.url}/v1.0/$metadata#users`);
  });

  it('returns only the named properties, [] for collections and all 15 extension attributes', async () => {
    const page = (await client.api('/users').select(['id', 'onPremisesImmutableId', 'otherMails', 'onPremisesExtensionAttributes', 'proxyaddresses']).top(1).get()) as Page;
    const user = page.value[0] as Record<string, unknown>;
    expect(Object.keys(user)).toEqual(['id', 'onPremisesImmutableId', 'otherMails', 'onPremisesExtensionAttributes', 'proxyAddresses']);
    expect(user.otherMails).toEqual([]);
    expect(Object.keys(user.onPremisesExtensionAttributes as object)).toHaveLength(15);
    expect(page['@odata.context']).toContain('#users(id,onPremisesImmutableId,otherMails,onPremisesExtensionAttributes,proxyAddresses)');
  });

  it('refuses an unknown property as Graph does', async () => {
    const error = await graphError(client.api('/users').select('id,favouriteColour').get());
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.message).toBe("Property 'favouriteColour' does not exist as a declared property or extension property.");
  });

  it('refuses query options without the $', async () => {
    const token = await tokenFor(sim);
    const res = await raw(sim, 'GET', '/v1.0/users?select=id', { token });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'Request_BadRequest', message: "Unrecognized query argument specified: 'select'." } });
  });
});

describe('$top and paging', () => {
  it.each([0, 1000])('refuses $top=%i with Request_UnsupportedQuery', async (top) => {
    const error = await graphError(client.api('/users').top(top).get());
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.message).toBe(`Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`);
  });

  it('pages 100 at a time by default', async () => {
    const page = (await client.api('/users').get()) as Page;
    expect(page.value).toHaveLength(100);
    expect(page['@odata.nextLink']).toMatch(new RegExp(`^${sim.url.replace(/\./g, '\\.')}/v1\\.0/users\\?.*\\$skiptoken=`));
  });

  it('pages every user exactly once with PageIterator, $top=999, and no nextLink on the last page', async () => {
    const seen: string[] = [];
    let pages = 0;
    let last: PageCollection | undefined;
    const first = (await client.api('/users').select('id').top(999).get()) as PageCollection;
    const iterator = new PageIterator(client, first, (user: { id: string }) => {
      seen.push(user.id);
      return true;
    });
    await iterator.iterate();
    // Walk the pages by hand as well, to look at the last one.
    let page = first;
    for (;;) {
      pages++;
      last = page;
      const next = page['@odata.nextLink'];
      if (!next) break;
      page = (await client.api(next).get()) as PageCollection;
    }
    expect(seen).toHaveLength(totalUsers());
    expect(new Set(seen).size).toBe(totalUsers());
    expect(pages).toBe(Math.ceil(totalUsers() / 999));
    expect(last).not.toHaveProperty('@odata.nextLink');
    expect(iterator.isComplete()).toBe(true);
  });

  it('gives no nextLink when the last page is exactly full and only non-matching users follow', async () => {
    // u0..u2499 match; the named users after them do not. 2500 = 5 x 500.
    let page = (await client.api('/users').filter(`startswith(userPrincipalName,'u')`).select('id').top(500).get()) as Page;
    const sizes = [page.value.length];
    while (page['@odata.nextLink']) {
      page = (await client.api(page['@odata.nextLink']).get()) as Page;
      sizes.push(page.value.length);
    }
    expect(sizes).toEqual([500, 500, 500, 500, 500]);
  });
});

describe('$filter', () => {
  it('filters with eq (case-insensitive), startswith, in, and/or', async () => {
    const byUpn = (await client.api('/users').filter(`userPrincipalName eq 'U7@CONTOSO.EXAMPLE'`).get()) as Page;
    expect(byUpn.value.map((u) => u.id)).toEqual([guid(7)]);
    const starts = (await client.api('/users').filter(`startswith(userPrincipalName,'u12')`).select('userPrincipalName').top(999).get()) as Page;
    expect(starts.value.length).toBe(111); // u12, u120-u129, u1200-u1299
    const inList = (await client.api('/users').filter(`id in ('${guid(1)}','${guid(2)}') or userPrincipalName eq 'boss@${MANAGED}'`).get()) as Page;
    expect(inList.value).toHaveLength(3);
    const both = (await client.api('/users').filter(`department eq 'Sales' and startswith(displayName,'u1')`).select('id').top(999).get()) as Page;
    expect(both.value.length).toBeGreaterThan(0);
  });

  it("refuses 'onPremisesSyncEnabled ne true' without the advanced query parameters", async () => {
    const error = await graphError(client.api('/users').filter('onPremisesSyncEnabled ne true').get());
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_UnsupportedQuery');
    expect(error.message).toMatch(/^Operator 'ne' is not supported because the required parameters might be missing\. Try adding \$count=true query parameter and ConsistencyLevel:eventual header\./);
    // The header alone is not enough: $count=true is required too.
    const headerOnly = await graphError(client.api('/users').header('ConsistencyLevel', 'eventual').filter('onPremisesSyncEnabled ne true').get());
    expect(headerOnly.code).toBe('Request_UnsupportedQuery');
  });

  it('accepts it with ConsistencyLevel: eventual and $count=true, counts on the first page, and wants the header on every page', async () => {
    const first = (await client
      .api('/users')
      .header('ConsistencyLevel', 'eventual')
      .count(true)
      .filter('onPremisesSyncEnabled ne true')
      .select('id,onPremisesSyncEnabled')
      .top(999)
      .get()) as Page;
    expect(first['@odata.count']).toBe(totalUsers() - 1); // every user but `synced`
    expect(first.value.every((u) => u.onPremisesSyncEnabled !== true)).toBe(true);
    const next = first['@odata.nextLink'] as string;
    const second = (await client.api(next).header('ConsistencyLevel', 'eventual').get()) as Page;
    expect(second).not.toHaveProperty('@odata.count');
    const withoutHeader = await graphError(client.api(next).get());
    expect(withoutHeader.code).toBe('Request_UnsupportedQuery');
  });

  it('counts with /users/$count only as an advanced query', async () => {
    const error = await graphError(client.api('/users/$count').get());
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toBe('$count is not currently supported.');
    const token = await tokenFor(sim);
    const res = await raw(sim, 'GET', `/v1.0/users/$count?$filter=${encodeURIComponent('onPremisesSyncEnabled eq true')}`, { token, headers: { ConsistencyLevel: 'eventual' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1');
  });

  it('ignores $count=true silently without the header', async () => {
    const page = (await client.api('/users').count(true).top(1).get()) as Page;
    expect(page).not.toHaveProperty('@odata.count');
  });

  it('needs advanced parameters for not, endsWith, and eq on onPremisesImmutableId', async () => {
    // The SDK puts $filter into the URL as given: a '+' (common in immutableIds) must be sent as %2B,
    // or the query string turns it into a space, as it does for Graph.
    for (const filter of [`not(department eq 'Sales')`, `endswith(userPrincipalName,'@${MANAGED}')`, `onPremisesImmutableId eq 'TAKEN%2Bid=='`]) {
      const error = await graphError(client.api('/users').filter(filter).get());
      expect(error.code, filter).toBe('Request_UnsupportedQuery');
      const ok = (await client.api('/users').header('ConsistencyLevel', 'eventual').count(true).filter(filter).select('id').get()) as Page;
      expect(ok['@odata.count'], filter).toBeGreaterThan(0);
    }
  });

  it('refuses properties that cannot be filtered and filters it cannot parse', async () => {
    const notFilterable = await graphError(client.api('/users').filter(`faxNumber eq '1'`).get());
    expect(notFilterable.code).toBe('Request_UnsupportedQuery');
    expect(notFilterable.message).toBe("Unsupported or invalid query filter clause specified for property 'faxNumber' of resource 'User'.");
    const broken = await graphError(client.api('/users').filter(`displayName eq`).get());
    expect(broken.statusCode).toBe(400);
  });

  it("reads a raw '+' in $filter as a space, as any query string does", async () => {
    const page = (await client.api('/users').header('ConsistencyLevel', 'eventual').count(true).filter(`onPremisesImmutableId eq 'TAKEN+id=='`).get()) as Page;
    expect(page['@odata.count']).toBe(0);
  });

  it('filters proxyAddresses with any()', async () => {
    const page = (await client.api('/users').filter(`proxyAddresses/any(p:p eq 'SMTP:u3@${MANAGED}')`).select('id').get()) as Page;
    expect(page.value.map((u) => u.id)).toEqual([guid(3)]);
  });
});

describe('$expand=manager', () => {
  it('adds manager.id to users that have one and nothing to others', async () => {
    const page = (await client.api('/users').expand('manager($select=id)').select('id').top(5).get()) as Page;
    const byId = new Map(page.value.map((u) => [u.id, u]));
    expect(byId.get(guid(0))?.manager).toEqual({ '@odata.type': '#microsoft.graph.user', id: guid(1, 'b') });
    expect(byId.get(guid(2))).not.toHaveProperty('manager');
  });

  it('caps pages at 100 even with $top=999', async () => {
    const page = (await client.api('/users').expand('manager($select=id)').select('id').top(999).get()) as Page;
    expect(page.value).toHaveLength(100);
    expect(page['@odata.nextLink']).toBeDefined();
  });

  it('refuses two expansions', async () => {
    const error = await graphError(client.api('/users').expand('manager,memberOf').get());
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('maximum allowed is 1');
  });
});

describe('single users and relationships', () => {
  it('gets a user by id and by UPN, 404 otherwise', async () => {
    const byId = (await client.api(`/users/${guid(3)}`).select('id,userPrincipalName').get()) as Record<string, unknown>;
    expect(byId).toMatchObject({ id: guid(3), userPrincipalName: `u3@${MANAGED}` });
    const byUpn = (await client.api(`/users/${encodeURIComponent(`U3@${MANAGED}`)}`).get()) as Record<string, unknown>;
    expect(byUpn.id).toBe(guid(3));
    const error = await graphError(client.api('/users/nobody@contoso.example').get());
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(error.message).toBe("Resource 'nobody@contoso.example' does not exist or one of its queried reference-property objects are not present.");
  });

  it('gets the manager, 404 Request_ResourceNotFound when there is none', async () => {
    const manager = (await client.api(`/users/${guid(0)}/manager`).select('id').get()) as Record<string, unknown>;
    expect(manager.id).toBe(guid(1, 'b'));
    const error = await graphError(client.api(`/users/${guid(1, 'b')}/manager`).get());
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
  });

  it('lists active directory roles of a user', async () => {
    const admin = (await client.api(`/users/${guid(6, 'b')}/transitiveMemberOf/microsoft.graph.directoryRole`).get()) as Page;
    expect(admin.value.map((r) => r.displayName)).toEqual(['Global Administrator']);
    const plain = (await client.api(`/users/${guid(0)}/transitiveMemberOf/microsoft.graph.directoryRole`).get()) as Page;
    expect(plain.value).toEqual([]);
  });
});

describe('tenant-level reads', () => {
  it('lists role assignments and eligibilities filtered by principalId', async () => {
    const active = (await client.api('/roleManagement/directory/roleAssignments').version('beta').filter(`principalId eq '${guid(6, 'b')}'`).expand('roleDefinition').get()) as Page;
    expect(active.value).toHaveLength(1);
    expect(active.value[0]?.roleDefinition).toMatchObject({ displayName: 'Global Administrator', isPrivileged: true });
    // isPrivileged is beta only (not in v1.0-Prod.csdl): v1.0 leaves it out, and refuses to filter on it.
    const onV1 = (await client.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${guid(6, 'b')}'`).expand('roleDefinition').get()) as Page;
    expect(onV1.value[0]?.roleDefinition).not.toHaveProperty('isPrivileged');
    expect((await graphError(client.api('/roleManagement/directory/roleDefinitions').filter('isPrivileged eq true').get())).statusCode).toBe(400);
    const eligible = (await client.api('/roleManagement/directory/roleEligibilityScheduleInstances').filter(`principalId eq '${guid(7, 'b')}'`).get()) as Page;
    expect(eligible.value).toHaveLength(1);
    const none = (await client.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${guid(0)}'`).get()) as Page;
    expect(none.value).toEqual([]);
    const definitions = (await client.api('/roleManagement/directory/roleDefinitions').version('beta').filter('isPrivileged eq true').top(1).get()) as Page;
    expect(definitions.value).toHaveLength(1);
    expect(definitions['@odata.nextLink']).toBeDefined();
  });

  it('lists domains with their authenticationType', async () => {
    const page = (await client.api('/domains').get()) as Page;
    expect(Object.fromEntries(page.value.map((d) => [d.id, d.authenticationType]))).toEqual({
      'contoso.onmicrosoft.com': 'Managed',
      'contoso.example': 'Managed',
      'fed.contoso.example': 'Federated',
    });
  });

  it('answers onPremisesSynchronization (all features false by default) to a delegated Global Administrator', async () => {
    const token = sim.delegatedToken(guid(6, 'b'), ['OnPremDirectorySynchronization.Read.All']);
    const res = await raw(sim, 'GET', '/v1.0/directory/onPremisesSynchronization', { token });
    expect(res.status).toBe(200);
    const page = res.json as Page;
    expect((page.value[0]?.features as Record<string, boolean>).blockCloudObjectTakeoverThroughHardMatchEnabled).toBe(false);
  });

  it('answers 403 Authorization_RequestDenied to an app-only token by default (learn.microsoft.com/graph/api/onpremisesdirectorysynchronization-get: "Application: Not supported.")', async () => {
    const error = await graphError(client.api('/directory/onPremisesSynchronization').get());
    expect(error.statusCode).toBe(403);
    expect(error.code).toBe('Authorization_RequestDenied');
    expect(error.message).toBe('Insufficient privileges to complete the operation.');
  });

  it('answers 403 to a delegated user who is not a Global Administrator', async () => {
    const token = sim.delegatedToken(guid(7, 'b'), ['OnPremDirectorySynchronization.Read.All']);
    expect((await raw(sim, 'GET', '/v1.0/directory/onPremisesSynchronization', { token })).status).toBe(403);
  });

  it('answers 403 Authorization_RequestDenied when sync features are forbidden, delegated callers too', async () => {
    const forbidden = await startSimulator({ tenant: castTenant({ users: 1 }), syncFeaturesForbidden: true, throttle: false });
    try {
      trustSimulator(forbidden);
      const token = forbidden.delegatedToken(guid(6, 'b'), ['OnPremDirectorySynchronization.Read.All']);
      const res = await raw(forbidden, 'GET', '/v1.0/directory/onPremisesSynchronization', { token });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
    } finally {
      await forbidden.close();
    }
  });

  it('answers unknown segments like Graph', async () => {
    const error = await graphError(client.api('/contacts2').get());
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("Resource not found for the segment 'contacts2'.");
  });
});
