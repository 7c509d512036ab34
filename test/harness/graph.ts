/**
 * Talking to the Graph simulator from a test: trust its CA in this process, the
 * REAL Graph SDK client and ClientSecretCredential pointed at it, the adapter's
 * own client (createGraph, app-only or with a delegated token), a raw HTTPS
 * helper for what the SDK hides (headers, dropped sockets), and what the
 * simulator recorded of the writes.
 */
import { request } from 'node:https';
import tls from 'node:tls';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { afterEach } from 'vitest';
import { createGraph, type Graph } from '../../src/cloud/index.js';
import type { SimWrite, TenantSnapshot } from '../../src/graph/tenant-snapshot.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/sim/index.js';

/**
 * Trust the simulator's CA in THIS process for both HTTP stacks (undici fetch
 * for the Graph client, node:https for MSAL). NODE_EXTRA_CA_CERTS would be read
 * only at process start; tls.setDefaultCACertificates (Node >= 22.19) works now.
 */
export function trustSimulator(sim: RunningSimulator): void {
  const current = tls.getCACertificates('default');
  if (!current.includes(sim.caPem)) tls.setDefaultCACertificates([...current, sim.caPem]);
}

/**
 * Registers afterEach in the calling file: the simulators `start` began are closed after each test.
 * `start(options)` runs one on `tenant()` with throttling off (unless `options` say otherwise), its CA
 * trusted in this process.
 */
export function useSimulators(tenant: () => TenantSnapshot): (options?: Partial<SimulatorOptions>) => Promise<RunningSimulator> {
  const running: RunningSimulator[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const sim = await startSimulator({ tenant: tenant(), throttle: false, ...options });
    running.push(sim);
    trustSimulator(sim);
    return sim;
  };
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

/** Secret sign-in to the simulator: its Graph URL and authority, its CA trusted. */
function simSignIn(sim: RunningSimulator, clientSecret = sim.clientSecret) {
  return { auth: 'secret', tenantId: sim.tenantId, clientId: sim.clientId, clientSecret, graphUrl: sim.url, authorityHost: sim.authorityHost, ca: sim.caPem } as const;
}

/** The adapter's client for a simulator, app-only (the REAL ClientSecretCredential: no credential injected). */
export function graphFor(sim: RunningSimulator, overrides: { clientSecret?: string; requestTimeoutMs?: number } = {}): Graph {
  return createGraph(simSignIn(sim, overrides.clientSecret), { env: {}, ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}) });
}

/**
 * The adapter's client with a DELEGATED token for `user` (id or UPN) holding `scopes`
 * (the simulator mints it as a sign-in of that user would: src/sim/token-claims.ts).
 */
export function delegatedGraphFor(sim: RunningSimulator, user: string, scopes: readonly string[]): Graph {
  const credential = {
    getToken: async () => ({ token: sim.delegatedToken(user, scopes), expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  return createGraph(simSignIn(sim), { env: {}, credential });
}

// ---------------------------------------------------------------- the simulator's record of the writes

export function immutableIdWrites(sim: RunningSimulator): SimWrite[] {
  return (sim.state().writes ?? []).filter((w) => 'onPremisesImmutableId' in w.body);
}

/** Successful (2xx) immutableId writes, per cloud user id. */
export function successfulWritesByUser(sim: RunningSimulator): Map<string, SimWrite[]> {
  const byUser = new Map<string, SimWrite[]>();
  for (const write of immutableIdWrites(sim)) {
    if (write.status < 200 || write.status >= 300 || write.userId === null) continue;
    byUser.set(write.userId, [...(byUser.get(write.userId) ?? []), write]);
  }
  return byUser;
}

export function cloudImmutableIds(sim: RunningSimulator): Map<string, string | null> {
  return new Map(sim.state().users.map((u) => [u.id, (u.onPremisesImmutableId as string | null | undefined) ?? null]));
}

/** The simulator's accepted or refused PATCHes that concern `userId`. */
export function writesTo(sim: RunningSimulator, userId: string): SimWrite[] {
  return (sim.state().writes ?? []).filter((w) => w.userId?.toLowerCase() === userId.toLowerCase());
}
