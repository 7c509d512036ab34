/**
 * Token flow through the REAL @azure/identity ClientSecretCredential (MSAL
 * underneath) and the bearer check of every Graph call.
 * Docs followed:
 * - learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow (token request/response, errors)
 * - learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS7000215)
 * - learn.microsoft.com/graph/errors (401 InvalidAuthenticationToken, error shape)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { credentialFor, graphClientFor, graphError, raw, tokenFor, trustSimulator } from '../../harness/graph.js';
import { castTenant } from '../../harness/tenant.js';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ tenant: castTenant(), throttle: false });
  trustSimulator(sim);
});
afterAll(async () => {
  await sim?.close();
});

describe('token endpoint', () => {
  it('gives the real ClientSecretCredential a token for Graph', async () => {
    const token = await credentialFor(sim).getToken('https://graph.microsoft.com/.default');
    expect(token.token.split('.')).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000_000);
    const claims = JSON.parse(Buffer.from(token.token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ tid: sim.tenantId, appid: sim.clientId, aud: 'https://graph.microsoft.com' });
    expect(sim.stats().perPath['GET /{tenant}/v2.0/.well-known/openid-configuration']).toBeGreaterThanOrEqual(1);
  });

  it('refuses a wrong secret with AADSTS7000215 invalid_client', async () => {
    const error = (await credentialFor(sim, 'not-the-secret')
      .getToken('https://graph.microsoft.com/.default')
      .then(() => undefined, (e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toContain('AADSTS7000215');
    expect(error.message).toContain('invalid_client');
  });

  it('answers the raw token endpoint like Entra: 401 invalid_client with error_codes', async () => {
    const res = await raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: 'nope', scope: 'https://graph.microsoft.com/.default' }).toString(),
    });
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    expect((res.json as { error_description: string }).error_description).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(res.text).not.toContain(sim.clientSecret);
  });

  it('refuses a scope without /.default (client credentials need it)', async () => {
    const res = await raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/token`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret, scope: 'User.Read' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_scope', error_codes: [1002012] });
  });

  it('refuses an unknown tenant with AADSTS90002', async () => {
    const res = await raw(sim, 'GET', '/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error_codes: [90002] });
  });
});

describe('bearer check on Graph', () => {
  it('answers 401 InvalidAuthenticationToken in Graph error shape without a token', async () => {
    const res = await raw(sim, 'GET', '/v1.0/users', { headers: { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' } });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['client-request-id']).toBe('c0ffee00-0000-4000-8000-000000000001');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const body = res.json as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe('InvalidAuthenticationToken');
    expect(body.error.message).toBe('Access token is empty.');
    expect(body.error.innerError).toMatchObject({ 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001', 'request-id': res.headers['request-id'] });
    expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  it('answers 401 for a token it did not issue', async () => {
    const token = await tokenFor(sim);
    const [h, p] = token.split('.');
    const res = await raw(sim, 'GET', '/v1.0/users', { token: `${h}.${p}.forged` });
    expect(res.status).toBe(401);
    expect((res.json as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
  });

  it('serves the real Graph client once signed in', async () => {
    const page = (await graphClientFor(sim).api('/users').get()) as { value: unknown[] };
    expect(page.value.length).toBeGreaterThan(0);
  });

  it('surfaces the wrong-secret failure through the Graph client too', async () => {
    const error = await graphError(graphClientFor(sim, 'wrong').api('/users').get());
    expect(String((error as unknown as Error).message ?? error)).toContain('AADSTS7000215');
  });
});
