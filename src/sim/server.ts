/**
 * The simulator's HTTPS server on loopback: identity endpoints, the Graph
 * /v1.0 and /beta surface, and two test-only endpoints outside it:
 * - GET /_sim/state: the current tenant snapshot (with writes), no auth;
 * - GET /_sim/stats: request counters, no auth.
 *
 * Every Graph answer carries `request-id` and echoes the caller's
 * `client-request-id` (learn.microsoft.com/graph/errors, innerError), and
 * every error has Graph's JSON shape with Content-Type application/json.
 */
import { createHmac, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { debuglog } from 'node:util';
import { UsageError } from '../errors.js';
import {
  checkBearer,
  delegatedAccessToken,
  deviceCodeEndpoint,
  GRAPH_RESOURCES,
  instanceDiscovery,
  managedIdentityToken,
  openIdConfiguration,
  tokenEndpoint,
  type AuthConfig,
  type HttpAnswer,
} from './auth.js';
import { runBatch } from './batch.js';
import { makeCertificates } from './certs.js';
import { DeviceCodes, type SignedInUser } from './device-code.js';
import { checkManagedIdentityRequest, type ManagedIdentityConfig } from './managed-identity.js';
import { FaultInjector } from './faults.js';
import { GraphHttpError, errorBody } from './graph-error.js';
import { loadTenant, normalizeTenant } from './normalize.js';
import type { DeviceLoginOptions, RunningSimulator, SimulatorOptions } from './options.js';
import { serveGraph } from './pipeline.js';
import { randomStream } from './random.js';
import { count, type ApiVersion, type SimContext, type SimRequest, type SimResponse, type SimStats } from './request.js';
import { TenantState } from './state.js';
import { Throttle } from './throttle.js';
import { appClaims, callerOf } from './token-claims.js';
import { DEFAULT_APP_PERMISSIONS, GLOBAL_ADMINISTRATOR } from './permissions.js';
import { API_VERSIONS } from './user-properties.js';

const debug = debuglog('entra2ad:sim');
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const snapshot = typeof options.tenant === 'string' ? await loadTenant(options.tenant) : normalizeTenant(options.tenant);
  const state = new TenantState(snapshot, options.eventualLagMs ?? 0);
  const clientId = options.clientId ?? randomUUID();
  const clientSecret = options.clientSecret ?? `sim~${randomBytes(24).toString('base64url')}`;
  const host = options.host ?? '127.0.0.1';
  // Loopback only: the simulator hands out a secret and serves a tenant's data.
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) {
    throw new UsageError('SIM_HOST', `The simulator listens on loopback only; ${host} is not a loopback address.`);
  }
  const seed = options.seed ?? 1;
  const certs = await makeCertificates();

  const stats: SimStats = { requests: 0, throttled: 0, faults: 0, writes: 0, lostAnswers: 0, perPath: {} };
  const server = createServer({ key: certs.serverKey, cert: certs.serverCert, keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const auth: AuthConfig = {
    tenantId: state.tenantId,
    domains: snapshot.domains.filter((d) => d.isVerified).map((d) => d.id),
    clientId,
    clientSecret,
    certificates: (options.clientCertificates ?? []).map((pem) => new X509Certificate(pem)),
    deviceCodes: new DeviceCodes({
      lifetimeSeconds: options.deviceCode?.lifetimeSeconds ?? 900,
      intervalSeconds: options.deviceCode?.intervalSeconds ?? 5,
      verificationUri: `${url}/devicelogin`,
    }),
    refreshTokens: new Map(),
    baseUrl: url,
    signingKey: createHmac('sha256', randomBytes(32)).update(clientSecret).digest(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
    assertionStats: { accepted: 0, repeatedJti: 0, seenJti: new Set() },
    // The app registration (snapshot `app`, default: the README's permission table) decides `roles`.
    appClaims: appClaims({
      appId: clientId,
      servicePrincipalId: state.snapshot.app?.servicePrincipalId ?? clientId,
      applicationPermissions: state.snapshot.app?.applicationPermissions ?? DEFAULT_APP_PERMISSIONS,
      directoryRoles: state.snapshot.app?.directoryRoles ?? [],
    }),
    rolesOf: (userId) => {
      // The device-login stand-in user (not in the tenant) signs in as a Global Administrator: the role
      // the README asks of a delegated admin (reading the sync features needs it).
      if (!state.findUser(userId)) return [GLOBAL_ADMINISTRATOR];
      return activeRoleTemplateIds(state, userId);
    },
  };
  const signedIn = (upn: string | undefined): SignedInUser | undefined => {
    if (upn === undefined) {
      const domain = snapshot.domains.find((d) => d.isDefault)?.id ?? snapshot.domains[0]?.id ?? 'contoso.com';
      return { id: '5a1e0000-0000-4000-8000-00000000ad01', userPrincipalName: `sim-admin@${domain}` };
    }
    const user = state.findUser(upn);
    return user ? { id: user.id, userPrincipalName: user.userPrincipalName } : undefined;
  };
  const deviceLogin = (userCode: string, login: DeviceLoginOptions = {}): boolean => {
    const user = signedIn(login.user);
    return user !== undefined && auth.deviceCodes.complete(userCode, user, login.decline ?? false, Date.now());
  };
  const managedIdentity: ManagedIdentityConfig = {
    identityHeader: randomBytes(18).toString('base64url'),
    clientId: options.managedIdentityClientId ?? randomUUID(),
    resources: GRAPH_RESOURCES,
  };
  const msiServer = await startManagedIdentityServer(host, auth, managedIdentity, stats);
  const ctx: SimContext = {
    state,
    baseUrl: url,
    throttle: options.throttle === false ? null : new Throttle(options.throttle ?? {}, state.users.length, { appId: clientId, tenantId: state.tenantId }),
    faults: new FaultInjector(options.faults ?? {}, seed, options.latencyMs ?? 0, options.jitterMs ?? 0),
    batchRandom: randomStream(seed, 'batch'),
    stats,
    syncFeaturesForbidden: options.syncFeaturesForbidden ?? false,
    refuseImmutableIdClear: options.refuseImmutableIdClear ?? false,
    refuseAdvancedQuery: options.refuseAdvancedQuery ?? false,
    duplicateImmutableIdAs500: options.duplicateImmutableIdAs500 ?? false,
    eventualLagAllListings: options.eventualLagAllListings ?? false,
    refuseRoutes: new Set(options.refuseRoutes ?? []),
    appOnlyExceptions: new Set(options.syncFeaturesForApps ? ['GET /directory/onPremisesSynchronization'] : []),
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, ctx, auth, deviceLogin).catch((error: unknown) => {
      debug('unhandled error: %o', error);
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'generalException', message: 'The simulator failed: see its log.' } });
      else res.destroy();
    });
  });

  let closed = false;
  return {
    url,
    caFile: certs.caFile,
    caPem: certs.caPem,
    tenantId: state.tenantId,
    clientId,
    clientSecret,
    authorityHost: url,
    managedIdentity: { endpoint: msiServer.endpoint, header: managedIdentity.identityHeader, clientId: managedIdentity.clientId },
    deviceLogin,
    pendingDeviceCodes: () => auth.deviceCodes.pendingUserCodes(Date.now()),
    state: () => state.toSnapshot(),
    delegatedToken: (user, scopes) => {
      const found = state.findUser(user);
      if (!found) throw new UsageError('SIM_NO_SUCH_USER', `No user ${user} in the simulated tenant.`);
      return delegatedAccessToken(auth, { id: found.id, userPrincipalName: found.userPrincipalName }, scopes);
    },
    stats: () => structuredClone(stats),
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await msiServer.close();
      await certs.dispose();
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new GraphHttpError(413, 'RequestEntityTooLarge', 'The request body is too large.'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, contentType = 'application/json; charset=utf-8'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store', ...headers });
  res.end(text);
}

function sendAnswer(res: ServerResponse, answer: HttpAnswer, req: IncomingMessage): void {
  const headers: Record<string, string> = { ...answer.headers };
  const crid = req.headers['client-request-id'];
  if (typeof crid === 'string') headers['client-request-id'] = crid;
  headers['x-ms-request-id'] = randomUUID();
  sendJson(res, answer.status, answer.body, headers);
}

/**
 * The App Service identity endpoint on its own plain-HTTP listener, on the same
 * loopback address (see managed-identity.ts for the protocol and its sources).
 */
async function startManagedIdentityServer(
  host: string,
  auth: AuthConfig,
  config: ManagedIdentityConfig,
  stats: SimStats,
): Promise<{ endpoint: string; close: () => Promise<void> }> {
  const server = createHttpServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/msi/token' || (req.method ?? 'GET').toUpperCase() !== 'GET') {
      return sendJson(res, 404, { statusCode: 404, message: 'Not found.' });
    }
    count(stats, 'GET /msi/token');
    const decision = checkManagedIdentityRequest(config, url.searchParams, header(req, 'x-identity-header'));
    if (!('ok' in decision)) return sendJson(res, decision.status, decision.body);
    const { token, expiresOn } = managedIdentityToken(auth, decision.clientId);
    sendJson(res, 200, { access_token: token, expires_on: String(expiresOn), resource: decision.resource, token_type: 'Bearer', client_id: decision.clientId });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${port}/msi/token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SimContext,
  auth: AuthConfig,
  deviceLogin: (userCode: string, options?: DeviceLoginOptions) => boolean,
): Promise<void> {
  ctx.stats.requests++;
  const url = new URL(req.url ?? '/', ctx.baseUrl);
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();

  if (path === '/_sim/state' && method === 'GET') return sendJson(res, 200, ctx.state.toSnapshot());
  if (path === '/_sim/stats' && method === 'GET') return sendJson(res, 200, ctx.stats);

  // Identity platform (not throttled, no faults: MSAL's retries are not what is under test).
  let m = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
  if (m && method === 'GET') {
    count(ctx.stats, 'GET /{tenant}/v2.0/.well-known/openid-configuration');
    return sendAnswer(res, openIdConfiguration(auth, decodeURIComponent(m[1] as string)), req);
  }
  if (path === '/common/discovery/instance' && method === 'GET') {
    count(ctx.stats, 'GET /common/discovery/instance');
    return sendAnswer(res, instanceDiscovery(auth), req);
  }
  m = /^\/([^/]+)\/discovery\/v2\.0\/keys$/.exec(path);
  if (m && method === 'GET') return sendJson(res, 200, { keys: [] });
  m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (m && method === 'POST') {
    count(ctx.stats, 'POST /{tenant}/oauth2/v2.0/token');
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const repeats = auth.assertionStats.repeatedJti;
    const answer = tokenEndpoint(auth, decodeURIComponent(m[1] as string), form, header(req, 'authorization'));
    if (auth.assertionStats.repeatedJti > repeats) count(ctx.stats, 'client assertion with a jti seen before');
    if (answer.status !== 200) count(ctx.stats, `token refused: ${(answer.body as { error?: string }).error ?? 'error'}`);
    return sendAnswer(res, answer, req);
  }
  m = /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/.exec(path);
  if (m && method === 'POST') {
    count(ctx.stats, 'POST /{tenant}/oauth2/v2.0/devicecode');
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    return sendAnswer(res, deviceCodeEndpoint(auth, decodeURIComponent(m[1] as string), form), req);
  }
  // verification_uri: what an admin who opens it in a browser needs to know.
  if (path === '/devicelogin' && method === 'GET') {
    const text = `entra2ad simulator: this stands in for microsoft.com/devicelogin. Complete the sign-in with\n  curl --cacert CAFILE -d '{"user_code":"CODE"}' ${ctx.baseUrl}/_sim/devicelogin\n(add "user":"upn" to sign in as a tenant user, "decline":true to refuse).\n`;
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  // The user's browser at verification_uri, reduced to one call: { user_code, user?, decline? }.
  if (path === '/_sim/devicelogin' && method === 'POST') {
    let body: { user_code?: unknown; user?: unknown; decline?: unknown } = {};
    try {
      body = JSON.parse((await readBody(req)).toString('utf8')) as typeof body;
    } catch {
      // an empty or broken body is an unknown code below
    }
    const login: DeviceLoginOptions = { decline: body.decline === true };
    if (typeof body.user === 'string') login.user = body.user;
    const ok = typeof body.user_code === 'string' && deviceLogin(body.user_code, login);
    return sendJson(res, ok ? 200 : 400, ok ? { signedIn: true } : { error: 'unknown, expired or used user_code, or unknown user' });
  }

  // Both versions run the same routes; what differs per version (the properties a
  // type declares) is decided by the handlers from SimRequest.version.
  for (const version of API_VERSIONS) {
    if (path === `/${version}` || path.startsWith(`/${version}/`)) return handleGraph(req, res, ctx, auth, url, method, version);
  }
  return sendJson(res, 404, { error: { code: 'NotFound', message: `No such endpoint: ${method} ${path}` } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function idsOf(req: IncomingMessage): { requestId: string; clientRequestId: string } {
  const requestId = randomUUID();
  return { requestId, clientRequestId: header(req, 'client-request-id') ?? requestId };
}

function commonHeaders(ids: { requestId: string; clientRequestId: string }): Record<string, string> {
  return {
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Loopback', Slice: 'E', Ring: 'sim', ScaleUnit: '000', RoleInstance: 'entra2ad-sim' } }),
    'Strict-Transport-Security': 'max-age=31536000',
    'Cache-Control': 'no-cache',
  };
}

function sendGraphError(res: ServerResponse, error: GraphHttpError, ids: { requestId: string; clientRequestId: string }): void {
  sendJson(res, error.status, errorBody(error, ids), { ...commonHeaders(ids), ...error.headers }, 'application/json');
}

async function handleGraph(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: SimContext,
  auth: AuthConfig,
  url: URL,
  method: string,
  version: ApiVersion,
): Promise<void> {
  const ids = idsOf(req);
  const fate = ctx.faults.next(true);
  const delay = ctx.faults.delay();
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (error) {
    if (error instanceof GraphHttpError) return sendGraphError(res, error, ids);
    throw error;
  }
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  if (fate.kind === 'drop') {
    ctx.stats.faults++;
    debug('dropping connection for %s %s', method, url.pathname);
    req.socket.destroy();
    return;
  }
  try {
    let claims: Record<string, unknown>;
    try {
      claims = checkBearer(auth, header(req, 'authorization'));
    } catch (error) {
      // Counted so a test can tell a run that outlived its tokens from one that never met an expired one.
      if (error instanceof GraphHttpError && error.status === 401 && /expired/.test(error.message)) count(ctx.stats, 'expired token refused (401)');
      throw error;
    }
    const caller = callerOf(claims);
    if (fate.kind === 'error') {
      ctx.stats.faults++;
      throw fate.error;
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown;
    let bodyInvalid = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        bodyInvalid = true;
      }
    }
    const sim: SimRequest = { method, version, path: url.pathname.slice(version.length + 1) || '/', query, headers, body, bodyInvalid, batched: false, caller };
    const writesBefore = ctx.state.writes.length;
    const acceptedBefore = ctx.stats.writes;
    // A lone PATCH whose answer became a 504 after commit (afterCommit504Rate) throws here and is not dropped as well.
    const response: SimResponse = sim.path === '/$batch' && method === 'POST' ? runBatch(sim, ctx) : serveGraph(sim, ctx);
    if (ctx.stats.writes > acceptedBefore && ctx.faults.dropAfterCommit()) {
      // afterCommitDropRate: the writes are stored; the connection dies before any answer.
      for (const write of ctx.state.writes.slice(writesBefore)) {
        if (write.status >= 300 || write.answerLost !== undefined) continue;
        write.answerLost = 'drop';
        ctx.stats.lostAnswers++;
      }
      ctx.stats.faults++;
      debug('dropping connection after commit for %s %s', method, url.pathname);
      req.socket.destroy();
      return;
    }
    const outHeaders = { ...commonHeaders(ids), ...response.headers };
    if (response.text !== undefined) {
      res.writeHead(response.status, { ...outHeaders, 'Content-Length': String(Buffer.byteLength(response.text)) });
      res.end(response.text);
    } else if (response.body === undefined) {
      res.writeHead(response.status, outHeaders);
      res.end();
    } else {
      const text = JSON.stringify(response.body);
      res.writeHead(response.status, { ...outHeaders, 'OData-Version': '4.0', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    }
  } catch (error) {
    if (error instanceof GraphHttpError) return sendGraphError(res, error, ids);
    throw error;
  }
}

/** Template ids of the roles a user holds through active assignments (the `wids` of its delegated tokens). */
function activeRoleTemplateIds(state: TenantState, userId: string): string[] {
  const snapshot = state.snapshot;
  const byId = new Map(snapshot.roleDefinitions.map((d) => [d.id, d.templateId ?? d.id]));
  const out = new Set<string>();
  for (const a of snapshot.roleAssignments) if (a.principalId.toLowerCase() === userId.toLowerCase()) out.add(byId.get(a.roleDefinitionId) ?? a.roleDefinitionId);
  return [...out];
}
