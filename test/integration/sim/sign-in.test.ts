/**
 * Every sign-in the simulator serves, through the REAL @azure/identity
 * credentials (MSAL underneath) and, for the protocol corners the SDK hides,
 * raw requests:
 * - certificate (client assertion): learn.microsoft.com/entra/identity-platform/certificate-credentials
 * - device code: learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code, RFC 8628
 * - managed identity (App Service): learn.microsoft.com/azure/app-service/overview-managed-identity
 * - tenants by domain, unknown scopes: v2-oauth2-client-creds-grant-flow, reference-error-codes
 */
import { createPrivateKey } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientCertificateCredential, ClientSecretCredential, DeviceCodeCredential, ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCloudOptions } from '../../../src/cloud/cloud-options.js';
import { createCredential } from '../../../src/cloud/credential.js';
import { issueThrowawayClientCertificate, type ThrowawayClientCertificate } from '../../../src/lab/throwaway-ca.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { raw, trustSimulator } from '../../harness/graph.js';
import { castTenant, MANAGED } from '../../harness/tenant.js';

const GRAPH = 'https://graph.microsoft.com/.default';
const day = 86_400_000;
let sim: RunningSimulator;
let registered: ThrowawayClientCertificate;
let stranger: ThrowawayClientCertificate;
let lapsed: ThrowawayClientCertificate;

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
const form = (fields: Record<string, string>) => ({
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const failureOf = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (error: unknown) => error as Error);

beforeAll(async () => {
  const now = Date.now();
  [registered, stranger, lapsed] = await Promise.all([
    issueThrowawayClientCertificate({ name: 'entra2ad test app', notBeforeDate: new Date(now - day), notAfterDate: new Date(now + day) }),
    issueThrowawayClientCertificate({ name: 'not registered', notBeforeDate: new Date(now - day), notAfterDate: new Date(now + day) }),
    issueThrowawayClientCertificate({ name: 'lapsed', notBeforeDate: new Date(now - 3 * day), notAfterDate: new Date(now - day) }),
  ]);
  sim = await startSimulator({
    tenant: castTenant({ users: 2 }),
    throttle: false,
    clientCertificates: [registered.certPem, lapsed.certPem],
    deviceCode: { intervalSeconds: 1, lifetimeSeconds: 60 },
  });
  trustSimulator(sim);
}, 60_000);
afterAll(async () => {
  await sim?.close();
});

function certificateCredential(cert: ThrowawayClientCertificate, tenant = sim.tenantId): ClientCertificateCredential {
  return new ClientCertificateCredential(tenant, sim.clientId, { certificate: `${cert.certPem}\n${cert.keyPem}` }, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
}

describe('certificate credential', () => {
  it('signs in with the registered certificate, by tenant id and by domain, and Graph takes the token', async () => {
    for (const tenant of [sim.tenantId, MANAGED]) {
      const token = await certificateCredential(registered, tenant).getToken(GRAPH);
      expect(claimsOf(token.token)).toMatchObject({ appid: sim.clientId, tid: sim.tenantId, idtyp: 'app' });
      const res = await raw(sim, 'GET', '/v1.0/organization', { token: token.token });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a certificate that is not registered on the app: AADSTS700027 "The key was not found"', async () => {
    const error = await failureOf(certificateCredential(stranger).getToken(GRAPH));
    expect(error.message).toContain('AADSTS700027');
    expect(error.message).toContain('The key was not found');
  });

  it('refuses a registered certificate that has expired: AADSTS700027 "The key used is expired"', async () => {
    const error = await failureOf(certificateCredential(lapsed).getToken(GRAPH));
    expect(error.message).toContain('AADSTS700027');
    expect(error.message).toContain('The key used is expired');
  });

  it("signs in through entra2ad's own factory with an encrypted key and AZURE_CLIENT_CERTIFICATE_PASSWORD", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2a-cert-'));
    try {
      const encrypted = createPrivateKey(registered.keyPem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw-for-test' }).toString();
      const file = join(dir, 'app.pem');
      await writeFile(file, `${registered.certPem}\n${encrypted}`, { mode: 0o600 });
      const options = resolveCloudOptions(
        { auth: 'certificate', tenantId: sim.tenantId, clientId: sim.clientId, certificatePath: file, authorityHost: sim.authorityHost, graphUrl: sim.url },
        { AZURE_CLIENT_CERTIFICATE_PASSWORD: 'pw-for-test' },
      );
      const token = await createCredential(options).getToken(GRAPH);
      expect(claimsOf(token?.token ?? '')).toMatchObject({ appid: sim.clientId });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes the assertion MSAL re-sends with the same jti after the token expired (what Entra accepts)', async () => {
    const short = await startSimulator({ tenant: castTenant({ users: 1 }), throttle: false, clientCertificates: [registered.certPem], tokenLifetimeSeconds: 1 });
    try {
      trustSimulator(short);
      const credential = new ClientCertificateCredential(short.tenantId, short.clientId, { certificate: `${registered.certPem}\n${registered.keyPem}` }, { authorityHost: short.authorityHost, disableInstanceDiscovery: true });
      const first = await credential.getToken(GRAPH);
      await new Promise((r) => setTimeout(r, 1500));
      const second = await credential.getToken(GRAPH);
      expect(second.token).not.toBe(first.token);
      expect(short.stats().perPath['POST /{tenant}/oauth2/v2.0/token']).toBe(2);
    } finally {
      await short.close();
    }
  });
});

describe('scopes and tenants', () => {
  it('answers a scope for a resource it does not know with invalid_scope AADSTS70011', async () => {
    const credential = new ClientSecretCredential(sim.tenantId, sim.clientId, sim.clientSecret, { authorityHost: sim.authorityHost, disableInstanceDiscovery: true });
    const error = await failureOf(credential.getToken('https://graph.microsoft.us/.default'));
    expect(error.message).toContain('AADSTS70011');
    const res = await raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/token`, form({ grant_type: 'client_credentials', client_id: sim.clientId, client_secret: sim.clientSecret, scope: 'https://unknown.example/.default' }));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_scope', error_codes: [70011] });
  });

  it('knows the tenant by each verified domain, and not by an unknown one (AADSTS90002)', async () => {
    for (const name of ['contoso.onmicrosoft.com', MANAGED]) {
      const res = await raw(sim, 'GET', `/${name}/v2.0/.well-known/openid-configuration`);
      expect(res.status, name).toBe(200);
    }
    const res = await raw(sim, 'GET', '/fabrikam.example/v2.0/.well-known/openid-configuration');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error_codes: [90002] });
  });
});

describe('device code', () => {
  const start = async () => {
    const res = await raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/devicecode`, form({ client_id: sim.clientId, scope: `${GRAPH} openid profile offline_access` }));
    expect(res.status).toBe(200);
    return res.json as { device_code: string; user_code: string; interval: number; expires_in: number; message: string; verification_uri: string };
  };
  const poll = (deviceCode: string) =>
    raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/token`, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: sim.clientId, device_code: deviceCode }));

  it('answers authorization_pending, then slow_down when polled faster than the interval', async () => {
    const code = await start();
    const page = await raw(sim, 'GET', new URL(code.verification_uri).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('/_sim/devicelogin');
    expect(code.message).toContain(code.user_code);
    expect(code).toMatchObject({ interval: 1, expires_in: 60 });
    expect((await poll(code.device_code)).json).toMatchObject({ error: 'authorization_pending' });
    expect((await poll(code.device_code)).json).toMatchObject({ error: 'slow_down' });
  });

  it('gives a delegated token (scp, not roles) once the user signed in, and a refresh token that works', async () => {
    const code = await start();
    expect(sim.pendingDeviceCodes()).toContain(code.user_code);
    const login = await raw(sim, 'POST', '/_sim/devicelogin', { body: { user_code: code.user_code, user: `u0@${MANAGED}` } });
    expect(login.status).toBe(200);
    const res = await poll(code.device_code);
    expect(res.status).toBe(200);
    const body = res.json as { access_token: string; refresh_token: string; id_token: string };
    const claims = claimsOf(body.access_token);
    expect(claims).toMatchObject({ idtyp: 'user', upn: `u0@${MANAGED}` });
    expect(String(claims.scp).split(' ')).toContain('User.ReadWrite.All');
    expect(claims.roles).toBeUndefined();
    // The code is used up.
    expect((await poll(code.device_code)).json).toMatchObject({ error: 'invalid_grant' });
    const refreshed = await raw(sim, 'POST', `/${sim.tenantId}/oauth2/v2.0/token`, form({ grant_type: 'refresh_token', client_id: sim.clientId, refresh_token: body.refresh_token, scope: GRAPH }));
    expect(refreshed.status).toBe(200);
  });

  it('answers authorization_declined when the user says no, and expired_token (AADSTS70019) after expires_in', async () => {
    const declined = await start();
    expect(sim.deviceLogin(declined.user_code, { decline: true })).toBe(true);
    expect((await poll(declined.device_code)).json).toMatchObject({ error: 'authorization_declined' });
    const quick = await startSimulator({ tenant: castTenant({ users: 1 }), throttle: false, deviceCode: { lifetimeSeconds: 1, intervalSeconds: 1 } });
    try {
      trustSimulator(quick);
      const res = await raw(quick, 'POST', `/${quick.tenantId}/oauth2/v2.0/devicecode`, form({ client_id: quick.clientId, scope: GRAPH }));
      const code = res.json as { device_code: string; user_code: string };
      await new Promise((r) => setTimeout(r, 1200));
      expect(quick.deviceLogin(code.user_code)).toBe(false);
      const expired = await raw(quick, 'POST', `/${quick.tenantId}/oauth2/v2.0/token`, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: quick.clientId, device_code: code.device_code }));
      expect(expired.json).toMatchObject({ error: 'expired_token', error_codes: [70019] });
    } finally {
      await quick.close();
    }
  });

  it('signs DeviceCodeCredential in once the code shown to the user is entered', async () => {
    const prompts: string[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: sim.tenantId,
      clientId: sim.clientId,
      authorityHost: sim.authorityHost,
      disableInstanceDiscovery: true,
      userPromptCallback: (info) => {
        prompts.push(info.message);
        // The user reads the code in the message and enters it.
        const userCode = /enter the code (\S+)/.exec(info.message)?.[1] ?? '';
        setTimeout(() => sim.deviceLogin(userCode), 200);
      },
    });
    const token = await credential.getToken(GRAPH);
    expect(prompts).toHaveLength(1);
    expect(claimsOf(token.token)).toMatchObject({ idtyp: 'user', appid: sim.clientId });
    expect((await raw(sim, 'GET', '/v1.0/organization', { token: token.token })).status).toBe(200);
  });
});

describe('managed identity (App Service protocol)', () => {
  const withIdentityEnv = async <T>(env: Record<string, string>, use: () => Promise<T>): Promise<T> => {
    const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
    Object.assign(process.env, env);
    try {
      return await use();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };

  it('serves ManagedIdentityCredential from IDENTITY_ENDPOINT on loopback, with the header, for Graph', async () => {
    const endpoint = new URL(sim.managedIdentity.endpoint);
    expect(endpoint.protocol).toBe('http:');
    expect(endpoint.hostname).toBe('127.0.0.1');
    const token = await withIdentityEnv({ IDENTITY_ENDPOINT: sim.managedIdentity.endpoint, IDENTITY_HEADER: sim.managedIdentity.header }, () =>
      new ManagedIdentityCredential().getToken(GRAPH),
    );
    expect(claimsOf(token.token)).toMatchObject({ appid: sim.managedIdentity.clientId, idtyp: 'app', aud: 'https://graph.microsoft.com' });
    expect(sim.stats().perPath['GET /msi/token']).toBeGreaterThanOrEqual(1);
    expect((await raw(sim, 'GET', '/v1.0/organization', { token: token.token })).status).toBe(200);
  });

  it('answers the documented response, and refuses a wrong header, api-version or user-assigned client id', async () => {
    // Raw: MSAL caches managed identity tokens process-wide, so a second credential would not even ask.
    const query = `?api-version=2019-08-01&resource=${encodeURIComponent('https://graph.microsoft.com')}`;
    const wrongHeader = await fetch(`${sim.managedIdentity.endpoint}${query}`, { headers: { 'X-IDENTITY-HEADER': 'not-it' } });
    expect(wrongHeader.status).toBe(401);
    const oldVersion = await fetch(`${sim.managedIdentity.endpoint}?api-version=2017-09-01&resource=https://graph.microsoft.com`, { headers: { 'X-IDENTITY-HEADER': sim.managedIdentity.header } });
    expect(oldVersion.status).toBe(400);
    const good = await fetch(`${sim.managedIdentity.endpoint}${query}`, { headers: { 'X-IDENTITY-HEADER': sim.managedIdentity.header } });
    expect(await good.json()).toMatchObject({ token_type: 'Bearer', resource: 'https://graph.microsoft.com', client_id: sim.managedIdentity.clientId, expires_on: expect.stringMatching(/^\d+$/) });
    const wrongId = await withIdentityEnv({ IDENTITY_ENDPOINT: sim.managedIdentity.endpoint, IDENTITY_HEADER: sim.managedIdentity.header }, () =>
      failureOf(new ManagedIdentityCredential({ clientId: '00000000-0000-4000-8000-0000000000ff' }).getToken(GRAPH)),
    );
    expect(wrongId.message).toContain('No User Assigned or Delegated Managed Identity found');
  });
});
