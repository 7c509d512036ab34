/**
 * Shared fixtures for the simulator's integration tests: a tenant built inline,
 * the REAL Graph client and ClientSecretCredential pointed at the simulator,
 * and a raw HTTPS helper for what the SDK hides (headers, dropped sockets).
 */
import { request } from 'node:https';
import tls from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { expect, vi } from 'vitest';
import { buildCli } from '../../../src/cli.js';
import type { SimReadyLine } from '../../../src/commands/sim.js';
import type { RunningSimulator } from '../../../src/sim/index.js';
import type { SnapshotUser, TenantSnapshot } from '../../../src/graph/tenant-snapshot.js';

export const TENANT_ID = '11111111-2222-4333-8444-555555555555';
export const INITIAL = 'contoso.onmicrosoft.com';
export const MANAGED = 'contoso.example';
export const FEDERATED = 'fed.contoso.example';

/** A GUID that is stable per number (so tests can name users). */
export function guid(n: number, prefix = 'a'): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix.repeat(8)}-0000-4000-8000-${hex}`;
}

export interface TenantShape {
  users?: number;
}

/**
 * `users` cloud-only users u0..u(n-1) at contoso.example, plus named ones:
 * - synced (onPremisesSyncEnabled true), wasSynced (false),
 * - fed (UPN in the federated domain),
 * - taken (already holds immutableId 'TAKEN+id=='),
 * - boss (manager of u0 and u1), admin (Global Administrator), eligible (PIM-eligible).
 */
export function makeTenant(shape: TenantShape = {}): TenantSnapshot {
  const n = shape.users ?? 10;
  const users: SnapshotUser[] = [];
  const named = (id: string, upn: string, extra: Partial<SnapshotUser> = {}): SnapshotUser => ({
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0] ?? upn,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    onPremisesImmutableId: null,
    proxyAddresses: [`SMTP:${upn}`],
    ...extra,
  });
  users.push(named(guid(1, 'b'), `boss@${MANAGED}`, { givenName: 'Bea', surname: 'Boss', jobTitle: 'Chief' }));
  for (let i = 0; i < n; i++) {
    users.push(
      named(guid(i), `u${i}@${MANAGED}`, {
        givenName: `Given${i}`,
        surname: `Sur${i}`,
        department: i % 2 === 0 ? 'Sales' : 'Engineering',
        ...(i < 2 ? { manager: { id: guid(1, 'b') } } : {}),
      }),
    );
  }
  users.push(named(guid(2, 'b'), `synced@${MANAGED}`, { onPremisesSyncEnabled: true, onPremisesImmutableId: 'c3luY2Vk' }));
  users.push(named(guid(3, 'b'), `wassynced@${MANAGED}`, { onPremisesSyncEnabled: false }));
  users.push(named(guid(4, 'b'), `fed@${FEDERATED}`));
  users.push(named(guid(5, 'b'), `taken@${MANAGED}`, { onPremisesImmutableId: 'TAKEN+id==' }));
  users.push(named(guid(6, 'b'), `admin@${MANAGED}`));
  users.push(named(guid(7, 'b'), `eligible@${MANAGED}`));
  return {
    tenant: { id: TENANT_ID, initialDomain: INITIAL, displayName: 'Contoso (simulated)' },
    users,
    domains: [
      { id: INITIAL, authenticationType: 'Managed', isVerified: true, isDefault: false, isInitial: true },
      { id: MANAGED, authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: false },
      { id: FEDERATED, authenticationType: 'Federated', isVerified: true, isDefault: false, isInitial: false },
    ],
    roleDefinitions: [
      { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator', isPrivileged: true, isBuiltIn: true, templateId: '62e90394-69f5-4237-9190-012177145e10' },
      { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'User Administrator', isPrivileged: true, isBuiltIn: true, templateId: 'fe930be7-5e62-47db-91af-98c3a49a38b1' },
    ],
    roleAssignments: [{ id: 'ra-1', principalId: guid(6, 'b'), roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/' }],
    roleEligibilityScheduleInstances: [{ id: 're-1', principalId: guid(7, 'b'), roleDefinitionId: 'fe930be7-5e62-47db-91af-98c3a49a38b1', directoryScopeId: '/' }],
    onPremisesSynchronization: [],
  };
}

/**
 * Trust the simulator's CA in THIS process for both HTTP stacks (undici fetch
 * for the Graph client, node:https for MSAL). NODE_EXTRA_CA_CERTS would be read
 * only at process start; tls.setDefaultCACertificates (Node >= 22.19) works now.
 */
export function trustSimulator(sim: RunningSimulator): void {
  const current = tls.getCACertificates('default');
  if (!current.includes(sim.caPem)) tls.setDefaultCACertificates([...current, sim.caPem]);
}

export function credentialFor(sim: RunningSimulator, secret = sim.clientSecret): ClientSecretCredential {
  return new ClientSecretCredential(sim.tenantId, sim.clientId, secret, {
    authorityHost: sim.authorityHost,
    // Instance discovery would go to login.microsoftonline.com (hard-coded in MSAL).
    disableInstanceDiscovery: true,
  });
}

/** The REAL Graph client, as the cloud adapter builds it. */
export function graphClientFor(sim: RunningSimulator, secret?: string): Client {
  const authProvider = new TokenCredentialAuthenticationProvider(credentialFor(sim, secret), {
    scopes: ['https://graph.microsoft.com/.default'],
  });
  return Client.initWithMiddleware({
    authProvider,
    baseUrl: sim.url,
    defaultVersion: 'v1.0',
    // The SDK adds the Authorization header only for Graph hosts and these.
    customHosts: new Set([new URL(sim.url).hostname]),
  });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** One HTTPS request without any SDK, trusting only the simulator's CA. */
export function raw(
  sim: RunningSimulator,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, sim.url);
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const req = request(
      url,
      {
        method,
        ca: sim.caPem,
        agent: false,
        headers: {
          ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export async function tokenFor(sim: RunningSimulator): Promise<string> {
  const token = await credentialFor(sim).getToken('https://graph.microsoft.com/.default');
  return token.token;
}

/** The Graph client's error carries Graph's status and code. */
export interface GraphErrorLike {
  statusCode: number;
  code: string;
  message: string;
  body: string;
  headers?: Headers;
}

export async function graphError(promise: Promise<unknown>): Promise<GraphErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as GraphErrorLike;
  }
  throw new Error('expected the Graph call to fail');
}

/**
 * Runs `entra2ad sim ARGS` in this process, as the command line does, and hands `use`
 * the JSON line it printed. `stop()` sends the SIGTERM an admin's Ctrl+C would (only
 * the simulator sees it; the test runner's own listeners are set aside meanwhile) and
 * waits for the command to end; it is called after `use` if `use` did not.
 * `written` is everything the command wrote to stdout.
 */
export async function runSimCli(
  args: string[],
  use: (ready: SimReadyLine, io: { written: string[]; stop: () => Promise<void> }) => Promise<void>,
): Promise<void> {
  const written: string[] = [];
  const originalWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    written.push(String(chunk));
    return (originalWrite as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  const others = process.listeners('SIGTERM');
  process.removeAllListeners('SIGTERM');
  try {
    const run = buildCli(['sim', ...args]).parseAsync();
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        process.emit('SIGTERM');
        await run;
      })());
    await vi.waitFor(() => expect(written.some((w) => w.startsWith('{"url"'))).toBe(true), { timeout: 10_000 });
    await use(JSON.parse(written.find((w) => w.startsWith('{"url"')) as string) as SimReadyLine, { written, stop });
    await stop();
  } finally {
    process.stdout.write = originalWrite;
    for (const listener of others) process.on('SIGTERM', listener as () => void);
  }
}
