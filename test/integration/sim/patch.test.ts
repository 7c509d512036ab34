/**
 * PATCH /users/{id} through the REAL Graph client.
 * Docs followed:
 * - learn.microsoft.com/graph/api/user-update (204 No Content, settable properties)
 * - learn.microsoft.com/graph/api/resources/user (onPremisesImmutableId: '$' and '_' not allowed;
 *   proxyAddresses, onPremisesSyncEnabled read-only)
 * - learn.microsoft.com/graph/errors (error shape); conflict and "external service" wording as
 *   quoted in public reports (e.g. github.com/microsoftgraph/msgraph-sdk-powershell/issues/2819)
 * Federated refusal: Graph's wording is undocumented; the test asserts status and code only.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import type { Client } from '@microsoft/microsoft-graph-client';
import { graphClientFor, graphError, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant, FEDERATED, guid, INITIAL, MANAGED } from '../../harness/tenant.js';

let sim: RunningSimulator;
let client: Client;

beforeAll(async () => {
  sim = await startSimulator({ tenant: castTenant({ users: 5 }), throttle: false });
  trustSimulator(sim);
  client = graphClientFor(sim);
});
afterAll(async () => {
  await sim?.close();
});

const userOf = (id: string) => sim.state().users.find((u) => u.id === id);
let writesBefore = 0;
beforeEach(() => {
  writesBefore = sim.state().writes?.length ?? 0;
});
const newWrites = () => (sim.state().writes ?? []).slice(writesBefore);

describe('PATCH onPremisesImmutableId', () => {
  it('answers 204 with no body, changes the user and records exactly one write', async () => {
    const token = await tokenFor(sim);
    const res = await raw(sim, 'PATCH', `/v1.0/users/${guid(0)}`, { token, body: { onPremisesImmutableId: '1wfM9xV8fUSHbcAbDlqeOA==' } });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect(userOf(guid(0))?.onPremisesImmutableId).toBe('1wfM9xV8fUSHbcAbDlqeOA==');
    expect(newWrites()).toEqual([expect.objectContaining({ method: 'PATCH', userId: guid(0), status: 204, body: { onPremisesImmutableId: '1wfM9xV8fUSHbcAbDlqeOA==' } })]);
  });

  it('works through the Graph client, by UPN too', async () => {
    await client.api(`/users/u1@${MANAGED}`).patch({ onPremisesImmutableId: 'dSGhEU8/eEaPZyWOPhTYyw==' });
    expect(userOf(guid(1))?.onPremisesImmutableId).toBe('dSGhEU8/eEaPZyWOPhTYyw==');
    const again = (await client.api(`/users/${guid(1)}`).select('onPremisesImmutableId').get()) as Record<string, unknown>;
    expect(again.onPremisesImmutableId).toBe('dSGhEU8/eEaPZyWOPhTYyw==');
  });

  it('refuses a value another user holds: ObjectConflict', async () => {
    const error = await graphError(client.api(`/users/${guid(2)}`).patch({ onPremisesImmutableId: 'TAKEN+id==' }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toBe('Another object with the same value for property onPremisesImmutableId already exists.');
    expect(JSON.parse(error.body).details).toEqual([{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }]);
    expect(userOf(guid(2))?.onPremisesImmutableId).toBeNull();
    expect(newWrites()).toEqual([expect.objectContaining({ status: 400, errorCode: 'Request_BadRequest', userId: guid(2) })]);
  });

  it('lets a user keep its own value (no conflict with itself)', async () => {
    await client.api(`/users/taken@${MANAGED}`).patch({ onPremisesImmutableId: 'TAKEN+id==' });
    expect(newWrites().map((w) => w.status)).toEqual([204]);
  });

  it.each(['abc$def', 'abc_def'])('refuses %s: $ and _ are not allowed', async (value) => {
    const error = await graphError(client.api(`/users/${guid(3)}`).patch({ onPremisesImmutableId: value }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toBe("Invalid value specified for property 'onPremisesImmutableId' of resource 'User'.");
  });

  it.each([
    ['synced', guid(2, 'b')],
    ['was synced', guid(3, 'b')],
  ])('refuses a %s user: originated within an external service', async (_label, id) => {
    const error = await graphError(client.api(`/users/${id}`).patch({ onPremisesImmutableId: 'bmV3dmFsdWU=' }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toBe('Unable to update the specified properties for objects that have originated within an external service.');
  });

  it('refuses a user whose UPN is in a federated domain', async () => {
    const error = await graphError(client.api(`/users/${guid(4, 'b')}`).patch({ onPremisesImmutableId: 'ZmVkZXJhdGVk' }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(userOf(guid(4, 'b'))?.onPremisesImmutableId).toBeNull();
  });

  it('allows the documented federated workaround: move to onmicrosoft.com, set, move back', async () => {
    const id = guid(4, 'b');
    await client.api(`/users/${id}`).patch({ userPrincipalName: `fed@${INITIAL}` });
    await client.api(`/users/${id}`).patch({ onPremisesImmutableId: 'ZmVkZXJhdGVk' });
    await client.api(`/users/${id}`).patch({ userPrincipalName: `fed@${FEDERATED}` });
    expect(userOf(id)).toMatchObject({ userPrincipalName: `fed@${FEDERATED}`, onPremisesImmutableId: 'ZmVkZXJhdGVk' });
    const byNewUpn = (await client.api(`/users/fed@${FEDERATED}`).select('id').get()) as Record<string, unknown>;
    expect(byNewUpn.id).toBe(id);
  });

  it('clears with null', async () => {
    await client.api(`/users/${guid(0)}`).patch({ onPremisesImmutableId: null });
    expect(userOf(guid(0))?.onPremisesImmutableId).toBeNull();
    // The value is free again.
    await client.api(`/users/${guid(3)}`).patch({ onPremisesImmutableId: '1wfM9xV8fUSHbcAbDlqeOA==' });
  });
});

describe('PATCH validation of other properties', () => {
  it.each(['proxyAddresses', 'id', 'onPremisesSyncEnabled'])('refuses read-only %s', async (property) => {
    const error = await graphError(client.api(`/users/${guid(4)}`).patch({ [property]: property === 'onPremisesSyncEnabled' ? true : ['x'] }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('Request_BadRequest');
    expect(error.message).toContain(property);
  });

  it('refuses an unknown property', async () => {
    const error = await graphError(client.api(`/users/${guid(4)}`).patch({ favouriteColour: 'blue' }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("Property 'favouriteColour' does not exist as a declared property or extension property.");
  });

  it('refuses a UPN in a domain the tenant does not have, and a UPN another user has', async () => {
    const domain = await graphError(client.api(`/users/${guid(4)}`).patch({ userPrincipalName: 'x@elsewhere.example' }));
    expect(domain.message).toMatch(/^The domain portion of the userPrincipalName property is invalid/);
    const taken = await graphError(client.api(`/users/${guid(4)}`).patch({ userPrincipalName: `u0@${MANAGED}` }));
    expect(JSON.parse(taken.body).details).toEqual([{ code: 'ObjectConflict', target: 'userPrincipalName' }]);
  });

  it('answers 404 for an unknown user and records the attempt', async () => {
    const error = await graphError(client.api('/users/00000000-0000-4000-8000-00000000dead').patch({ onPremisesImmutableId: 'eA==' }));
    expect(error.statusCode).toBe(404);
    expect(error.code).toBe('Request_ResourceNotFound');
    expect(newWrites()).toEqual([expect.objectContaining({ status: 404, userId: null })]);
  });

  it('refuses a body that is not JSON', async () => {
    const token = await tokenFor(sim);
    const res = await raw(sim, 'PATCH', `/v1.0/users/${guid(4)}`, { token, body: '{not json' });
    expect(res.status).toBe(400);
    expect((res.json as { error: { code: string } }).error.code).toBe('BadRequest');
  });

  it('refuses DELETE on a user with 405', async () => {
    const error = await graphError(client.api(`/users/${guid(4)}`).delete());
    expect(error.statusCode).toBe(405);
  });
});

describe('GET /_sim/state', () => {
  it('serves the live tenant with its writes, without auth', async () => {
    const res = await raw(sim, 'GET', '/_sim/state');
    expect(res.status).toBe(200);
    const state = res.json as { users: { id: string; onPremisesImmutableId: string | null }[]; writes: unknown[] };
    expect(state.users.find((u) => u.id === guid(3))?.onPremisesImmutableId).toBe('1wfM9xV8fUSHbcAbDlqeOA==');
    expect(state.writes.length).toBe(sim.state().writes?.length);
    const stats = await raw(sim, 'GET', '/_sim/stats');
    expect((stats.json as { writes: number }).writes).toBe(sim.stats().writes);
  });
});
