/**
 * Graph beta PATCH /users/{id} {"onPremisesObjectIdentifier": null} and
 * GET /users/{id}/onPremisesSyncBehavior, as the simulator serves them
 * (src/sim/object-identifier-clear.ts, src/sim/sync-behavior-routes.ts; sources:
 * learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes,
 * learn.microsoft.com/graph/api/onpremisessyncbehavior-get).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, guid } from '../../harness/tenant.js';

const IDENTIFIER = '5b7f4a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b';
let sim: RunningSimulator;
let bare: RunningSimulator;
let token: string;
let bareToken: string;

function tenant() {
  const t = castTenant({ users: 3 });
  for (const u of t.users) if (u.id === guid(0) || u.id === guid(1) || u.id === guid(2, 'b')) u.onPremisesObjectIdentifier = IDENTIFIER;
  t.users.find((u) => u.id === guid(1))!.onPremisesSyncBehavior = { isCloudManaged: true };
  return t;
}

beforeAll(async () => {
  sim = await startSimulator({ tenant: tenant(), throttle: false });
  // The app without User-OnPremisesSyncBehavior.ReadWrite.All.
  bare = await startSimulator({ tenant: { ...tenant(), app: { applicationPermissions: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All'] } }, throttle: false });
  trustSimulator(sim);
  trustSimulator(bare);
  token = await tokenFor(sim);
  bareToken = await tokenFor(bare);
});
afterAll(async () => {
  await sim?.close();
  await bare?.close();
});

const userOf = (s: RunningSimulator, id: string) => s.state().users.find((u) => u.id === id)!;
let before = 0;
beforeEach(() => {
  before = sim.state().writes?.length ?? 0;
});

describe('PATCH /beta/users/{id} onPremisesObjectIdentifier', () => {
  it('null clears it: 204, one write recorded, and /beta reads null afterwards', async () => {
    const res = await raw(sim, 'PATCH', `/beta/users/${guid(0)}`, { token, body: { onPremisesObjectIdentifier: null } });
    expect(res.status).toBe(204);
    expect(userOf(sim, guid(0)).onPremisesObjectIdentifier).toBeNull();
    expect((sim.state().writes ?? []).slice(before)).toEqual([expect.objectContaining({ method: 'PATCH', userId: guid(0), status: 204, body: { onPremisesObjectIdentifier: null } })]);
    const read = await raw(sim, 'GET', `/beta/users/${guid(0)}?$select=id,onPremisesObjectIdentifier`, { token });
    expect(read.json).toMatchObject({ id: guid(0), onPremisesObjectIdentifier: null });
  });

  it('is allowed on a user still synced (onPremisesSyncEnabled true): the recovery case', async () => {
    const res = await raw(sim, 'PATCH', `/beta/users/${guid(2, 'b')}`, { token, body: { onPremisesObjectIdentifier: null } });
    expect(res.status).toBe(204);
    expect(userOf(sim, guid(2, 'b')).onPremisesObjectIdentifier).toBeNull();
    // The same user's other properties stay mastered on-premises.
    const other = await raw(sim, 'PATCH', `/beta/users/${guid(2, 'b')}`, { token, body: { onPremisesObjectIdentifier: null, department: 'X' } });
    expect(other.status).toBe(400);
  });

  it('only null: a value is refused and nothing changes', async () => {
    const res = await raw(sim, 'PATCH', `/beta/users/${guid(1)}`, { token, body: { onPremisesObjectIdentifier: 'aaaaaaaa-1c3d-4e5f-8a9b-0c1d2e3f4a5b' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { code: 'Request_BadRequest', message: "Invalid value specified for property 'onPremisesObjectIdentifier' of resource 'User'." } });
    expect(userOf(sim, guid(1)).onPremisesObjectIdentifier).toBe(IDENTIFIER);
  });

  it('v1.0 does not declare the property', async () => {
    const res = await raw(sim, 'PATCH', `/v1.0/users/${guid(1)}`, { token, body: { onPremisesObjectIdentifier: null } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: { message: "Property 'onPremisesObjectIdentifier' does not exist as a declared property or extension property." } });
    expect(userOf(sim, guid(1)).onPremisesObjectIdentifier).toBe(IDENTIFIER);
  });

  it('without User-OnPremisesSyncBehavior.ReadWrite.All: 403 Authorization_RequestDenied, the identifier kept', async () => {
    const res = await raw(bare, 'PATCH', `/beta/users/${guid(0)}`, { token: bareToken, body: { onPremisesObjectIdentifier: null } });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } });
    expect(userOf(bare, guid(0)).onPremisesObjectIdentifier).toBe(IDENTIFIER);
    // The same app may still write what User.ReadWrite.All covers.
    const other = await raw(bare, 'PATCH', `/beta/users/${guid(1)}`, { token: bareToken, body: { department: 'Ops' } });
    expect(other.status).toBe(204);
  });
});

describe('GET /users/{id}/onPremisesSyncBehavior', () => {
  it('answers {id, isCloudManaged} on beta (and v1.0, where the CSDL declares it too)', async () => {
    for (const version of ['beta', 'v1.0']) {
      const managed = await raw(sim, 'GET', `/${version}/users/${guid(1)}/onPremisesSyncBehavior`, { token });
      expect(managed.status).toBe(200);
      expect(managed.json).toMatchObject({ id: guid(1), isCloudManaged: true });
      const plain = await raw(sim, 'GET', `/${version}/users/${guid(2)}/onPremisesSyncBehavior`, { token });
      expect(plain.json).toMatchObject({ id: guid(2), isCloudManaged: false });
    }
  });

  it('404 for an unknown user; 403 without User-OnPremisesSyncBehavior.ReadWrite.All', async () => {
    expect((await raw(sim, 'GET', `/beta/users/${guid(99)}/onPremisesSyncBehavior`, { token })).status).toBe(404);
    const denied = await raw(bare, 'GET', `/beta/users/${guid(1)}/onPremisesSyncBehavior`, { token: bareToken });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ error: { code: 'Authorization_RequestDenied' } });
  });
});
