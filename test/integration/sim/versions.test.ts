/**
 * /v1.0 and /beta: the same routes, each version with its own property set.
 * onPremisesObjectIdentifier is in no v1.0 schema (msgraph-metadata
 * schemas/v1.0-Prod.csdl; src/sim/metadata/) and is read on /beta/users in
 * Microsoft's docs (learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes).
 * A property a version does not declare in $select: 400 Request_UnsupportedQuery
 * "Property 'x' does not exist as a declared property or extension property."
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';

const IDENTIFIER = '5b7f4a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
let sim: RunningSimulator;
let token: string;
let total: number;

beforeAll(async () => {
  const tenant = castTenant({ users: 1200 });
  tenant.users.find((u) => u.id === guid(3))!.onPremisesObjectIdentifier = IDENTIFIER;
  total = tenant.users.length;
  sim = await startSimulator({ tenant, throttle: false });
  trustSimulator(sim);
  token = await tokenFor(sim);
});
afterAll(async () => {
  await sim?.close();
});

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.context'?: string };

describe('onPremisesObjectIdentifier: beta only', () => {
  it('v1.0 refuses it in $select as an undeclared property', async () => {
    for (const path of ['/v1.0/users?$select=id,onPremisesObjectIdentifier', `/v1.0/users/${guid(3)}?$select=onPremisesObjectIdentifier`]) {
      const res = await raw(sim, 'GET', path, { token });
      expect(res.status, path).toBe(400);
      expect(res.json).toMatchObject({
        error: { code: 'Request_UnsupportedQuery', message: "Property 'onPremisesObjectIdentifier' does not exist as a declared property or extension property." },
      });
    }
  });

  it('v1.0 refuses it in $filter and in a PATCH body too', async () => {
    const filter = await raw(sim, 'GET', `/v1.0/users?$filter=${encodeURIComponent(`onPremisesObjectIdentifier eq '${IDENTIFIER}'`)}`, { token });
    expect(filter.status).toBe(400);
    expect(filter.json).toMatchObject({ error: { code: 'Request_UnsupportedQuery' } });
    const patch = await raw(sim, 'PATCH', `/v1.0/users/${guid(3)}`, { token, body: { onPremisesObjectIdentifier: null } });
    expect(patch.status).toBe(400);
    expect(sim.state().users.find((u) => u.id === guid(3))!.onPremisesObjectIdentifier).toBe(IDENTIFIER);
  });

  it('/beta/users serves it, 999 a page, with nextLinks on /beta', async () => {
    const first = await raw(sim, 'GET', '/beta/users?$select=id,onPremisesObjectIdentifier&$top=999', { token });
    expect(first.status).toBe(200);
    const page = first.json as Page;
    expect(page['@odata.context']).toBe(`${sim.url}/beta/$metadata#users(id,onPremisesObjectIdentifier)`);
    expect(page.value).toHaveLength(999);
    expect(page.value.find((u) => u.id === guid(3))).toEqual({ id: guid(3), onPremisesObjectIdentifier: IDENTIFIER });
    expect(page.value.find((u) => u.id === guid(4))).toEqual({ id: guid(4), onPremisesObjectIdentifier: null });
    expect(page['@odata.nextLink']).toMatch(new RegExp(`^${sim.url.replace(/[.]/g, '\\.')}/beta/users\\?`));
    const second = (await raw(sim, 'GET', page['@odata.nextLink']!.slice(sim.url.length), { token })).json as Page;
    expect(second.value).toHaveLength(total - 999);
    expect(second['@odata.nextLink']).toBeUndefined();
    expect(sim.stats().perPath['GET /beta/users']).toBe(2);
  });

  it('/beta serves the other routes entra2ad uses, counted per version', async () => {
    for (const path of ['/beta/domains', '/beta/roleManagement/directory/roleDefinitions', `/beta/users/${guid(3)}`, '/beta/organization']) {
      const res = await raw(sim, 'GET', path, { token });
      expect(res.status, path).toBe(200);
    }
    expect(sim.stats().perPath['GET /beta/domains']).toBe(1);
    expect(sim.stats().perPath['GET /beta/users/{id}']).toBe(1);
  });

  it('a /beta $batch runs its items on beta', async () => {
    const res = await raw(sim, 'POST', '/beta/$batch', {
      token,
      body: { requests: [{ id: '1', method: 'GET', url: `/users/${guid(3)}?$select=id,onPremisesObjectIdentifier` }] },
    });
    expect(res.status).toBe(200);
    const answers = (res.json as { responses: { status: number; body: Record<string, unknown> }[] }).responses;
    expect(answers[0]).toMatchObject({ status: 200, body: { onPremisesObjectIdentifier: IDENTIFIER } });
    expect(sim.stats().perPath['POST /beta/$batch']).toBe(1);
  });

  it('an unknown version is not Graph', async () => {
    expect((await raw(sim, 'GET', '/v2.0/users', { token })).status).toBe(404);
  });
});
