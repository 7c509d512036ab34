/**
 * The Microsoft identity platform, as much of it as a confidential client needs:
 * the OpenID discovery document MSAL reads, the OAuth 2.0 client-credentials
 * token endpoint, and bearer-token checks for the Graph surface.
 *
 * - learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 *   (request, success and error response shapes)
 * - learn.microsoft.com/entra/identity-platform/reference-error-codes (AADSTS codes)
 * - MSAL validates the discovery document's `issuer` against the authority's
 *   scheme+host+port (msal-common Authority.validateIssuer), so the issuer is
 *   this server.
 *
 * Access tokens are HS256 JWTs signed with a key made at start: enough for the
 * simulator to tell its own, unexpired tokens from anything else.
 *
 * Grants served at the token endpoint: client_credentials with a secret or a
 * certificate assertion (client-assertion.ts), the device code (device-code.ts)
 * and refresh_token (what MSAL's silent flow sends when a delegated token is
 * old). Tenants are named by id or by any verified domain, as at Entra
 * ("{tenant}" in learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow:
 * "the directory tenant ... in GUID or domain-name format").
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual, type X509Certificate } from 'node:crypto';
import { aadError as renderAadError, refusalAnswer, type AadRefusal, type HttpAnswer } from './aad-error.js';
import { checkClientAssertion, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.js';
import { DEVICE_CODE_GRANTS, type DeviceCodes, type SignedInUser } from './device-code.js';
import { GraphHttpError } from './graph-error.js';
import { delegatedClaims, type CallerClaims } from './token-claims.js';

export type { HttpAnswer } from './aad-error.js';

export interface AuthConfig {
  tenantId: string;
  /** The tenant's verified domain names: each names the tenant in a sign-in URL too. */
  domains: readonly string[];
  clientId: string;
  clientSecret: string;
  /** Certificates registered on the app (keyCredentials): client assertions must be signed by one. */
  certificates: readonly X509Certificate[];
  deviceCodes: DeviceCodes;
  /** Refresh tokens handed out with delegated tokens, by value. */
  refreshTokens: Map<string, { clientId: string; scopes: string[]; user: SignedInUser }>;
  /** https://127.0.0.1:PORT */
  baseUrl: string;
  signingKey: Buffer;
  tokenLifetimeSeconds: number;
  /** How many client assertions arrived with a jti seen before (accepted; see client-assertion.ts). */
  assertionStats: { accepted: number; repeatedJti: number; seenJti: Set<string> };
  /** The app registration's claims for app-only tokens (src/sim/token-claims.ts appClaims): `roles` from the snapshot's `app`. */
  appClaims: CallerClaims;
  /** Role template ids a signed-in user holds (the `wids` of delegated tokens). */
  rolesOf(userId: string): string[];
}

const GRAPH_RESOURCE = 'https://graph.microsoft.com';
/** Graph by URI and by its well-known application id. */
export const GRAPH_RESOURCES = [GRAPH_RESOURCE, '00000003-0000-0000-c000-000000000000'];
/** OpenID Connect scopes MSAL adds to user sign-ins; they name no resource. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Delegated permissions consented for the app (the `scp` claim of user tokens, when the sign-in asks for .default). */
const DELEGATED_SCOPES = ['User.ReadWrite.All', 'Directory.Read.All', 'RoleManagement.Read.Directory', 'Domain.Read.All', 'OnPremDirectorySynchronization.Read.All'];

/** Who a token is for: the app itself (application permissions) or a signed-in user (delegated). */
export type TokenSubject = { kind: 'app'; appId: string } | { kind: 'user'; appId: string; user: SignedInUser };

const aadError = (config: AuthConfig, status: number, error: string, code: number, message: string): HttpAnswer =>
  renderAadError(config.baseUrl, status, error, code, message);

export function openIdConfiguration(config: AuthConfig, tenantInPath: string): HttpAnswer {
  if (!knownTenant(config, tenantInPath)) return aadError(config, 400, 'invalid_tenant', 90002, tenantNotFound(tenantInPath));
  const b = config.baseUrl;
  const t = config.tenantId;
  return {
    status: 200,
    headers: {},
    body: {
      token_endpoint: `${b}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${b}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${b}/${t}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${b}/oidc/userinfo`,
      authorization_endpoint: `${b}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${b}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${b}/${t}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
      kerberos_endpoint: `${b}/${t}/kerberos`,
      tenant_region_scope: null,
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    },
  };
}

/** MSAL's instance discovery (only used when disableInstanceDiscovery is false). */
export function instanceDiscovery(config: AuthConfig): HttpAnswer {
  const host = new URL(config.baseUrl).host;
  return {
    status: 200,
    headers: {},
    body: {
      tenant_discovery_endpoint: `${config.baseUrl}/${config.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

/**
 * POST /{tenant}/oauth2/v2.0/token. `form` is the parsed
 * application/x-www-form-urlencoded body.
 */
export function tokenEndpoint(config: AuthConfig, tenantInPath: string, form: URLSearchParams, authorization: string | undefined): HttpAnswer {
  if (!knownTenant(config, tenantInPath)) return aadError(config, 400, 'invalid_request', 90002, tenantNotFound(tenantInPath));
  const grant = form.get('grant_type');
  if (grant !== null && DEVICE_CODE_GRANTS.includes(grant)) return deviceCodeToken(config, form);
  if (grant === 'refresh_token') return refreshToken(config, form);
  if (grant !== 'client_credentials') {
    return aadError(config, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }
  // client_secret_basic is allowed too (RFC 6749 section 2.3.1).
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    secret ??= decodeURIComponent(pw ?? '');
  }
  const assertion = form.get('client_assertion');
  if (!clientId && assertion) clientId = issuerOf(assertion);
  if (!clientId) return aadError(config, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const unknownApp = checkClientId(config, clientId);
  if (unknownApp) return refusalAnswer(config.baseUrl, unknownApp);
  if (assertion) {
    const refusal = checkAssertion(config, form, assertion);
    if (refusal) return refusalAnswer(config.baseUrl, refusal);
  } else if (!secret) {
    return aadError(config, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  } else if (!sameSecret(secret, config.clientSecret)) {
    return aadError(
      config,
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${config.clientId}'.`,
    );
  }
  const scope = form.get('scope');
  if (!scope) return aadError(config, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
  const scopes = checkScopes(scope, 'app');
  if ('code' in scopes) return refusalAnswer(config.baseUrl, scopes);
  return issueTokens(config, { kind: 'app', appId: config.clientId }, scopes.granted);
}

/** AADSTS700016 unless the client id is the simulated app's. */
function checkClientId(config: AuthConfig, clientId: string): AadRefusal | undefined {
  if (clientId.toLowerCase() === config.clientId.toLowerCase()) return undefined;
  return {
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    message: `Application with identifier '${clientId}' was not found in the directory '${config.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  };
}

function checkAssertion(config: AuthConfig, form: URLSearchParams, assertion: string): AadRefusal | undefined {
  // RFC 7523 section 2.2: the type names the assertion format.
  if (form.get('client_assertion_type') !== JWT_BEARER_ASSERTION_TYPE) {
    return { status: 400, error: 'invalid_request', code: 900144, message: `The request body must contain the following parameter: 'client_assertion_type' with the value '${JWT_BEARER_ASSERTION_TYPE}'.` };
  }
  const names = [config.tenantId, ...config.domains];
  const result = checkClientAssertion({
    assertion,
    clientId: form.get('client_id') ?? undefined,
    registeredClientId: config.clientId,
    certificates: config.certificates,
    audiences: names.map((n) => `${config.baseUrl}/${n}/oauth2/v2.0/token`.toLowerCase()),
    nowMs: Date.now(),
  });
  if (!('ok' in result)) return result;
  config.assertionStats.accepted++;
  if (config.assertionStats.seenJti.has(result.jti)) config.assertionStats.repeatedJti++;
  config.assertionStats.seenJti.add(result.jti);
  return undefined;
}

function issuerOf(assertion: string): string | null {
  try {
    const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof claims.iss === 'string' ? claims.iss : null;
  } catch {
    return null;
  }
}

/**
 * Scope rules. A scope names a resource (`https://graph.microsoft.com/...` or
 * Graph's app id, or a bare permission, which means Graph) and a permission or
 * `.default`.
 * - A resource the tenant does not know, or a permission Graph does not have:
 *   400 invalid_scope AADSTS70011, the wording of the sample in
 *   learn.microsoft.com/entra/identity-platform/reference-error-codes
 *   ("The provided value for the input parameter 'scope' isn't valid. The scope
 *   https://example.contoso.com/activity.read isn't valid.").
 * - Client credentials: only `{resource}/.default` (AADSTS1002012,
 *   v2-oauth2-client-creds-grant-flow: "The value passed for the scope parameter
 *   in this request should be the resource identifier ... affixed with the .default suffix").
 */
export function checkScopes(scope: string, kind: 'app' | 'user'): { granted: string[] } | AadRefusal {
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resourceScopes = scopes.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  const invalid = (s: string): AadRefusal => ({
    status: 400,
    error: 'invalid_scope',
    code: 70011,
    message: `The provided value for the input parameter 'scope' isn't valid. The scope ${s} isn't valid.`,
  });
  if (resourceScopes.length === 0) return invalid(scope);
  const granted = new Set<string>();
  for (const s of resourceScopes) {
    const slash = s.lastIndexOf('/');
    const resource = slash < 0 ? GRAPH_RESOURCE : s.slice(0, slash).replace(/\/+$/, '').toLowerCase();
    const permission = slash < 0 ? s : s.slice(slash + 1);
    if (!GRAPH_RESOURCES.includes(resource)) return invalid(s);
    if (kind === 'app') {
      if (permission !== '.default') {
        return {
          status: 400,
          error: 'invalid_scope',
          code: 1002012,
          message: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        };
      }
      // The application permissions come from the app registration (AuthConfig.appClaims), not from the scope.
    } else if (permission === '.default') {
      for (const p of DELEGATED_SCOPES) granted.add(p);
    } else {
      const known = DELEGATED_SCOPES.find((p) => p.toLowerCase() === permission.toLowerCase());
      if (!known) return invalid(s);
      granted.add(known);
    }
  }
  return { granted: [...granted] };
}

/** POST /{tenant}/oauth2/v2.0/devicecode (see device-code.ts). */
export function deviceCodeEndpoint(config: AuthConfig, tenantInPath: string, form: URLSearchParams): HttpAnswer {
  if (!knownTenant(config, tenantInPath)) return aadError(config, 400, 'invalid_request', 90002, tenantNotFound(tenantInPath));
  const clientId = form.get('client_id');
  if (!clientId) return aadError(config, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const unknownApp = checkClientId(config, clientId);
  if (unknownApp) return refusalAnswer(config.baseUrl, unknownApp);
  const scopes = checkScopes(form.get('scope') ?? '', 'user');
  if ('code' in scopes) return refusalAnswer(config.baseUrl, scopes);
  return { status: 200, headers: {}, body: config.deviceCodes.issue(config.clientId, scopes.granted, Date.now()) };
}

function deviceCodeToken(config: AuthConfig, form: URLSearchParams): HttpAnswer {
  const deviceCode = form.get('device_code');
  const clientId = form.get('client_id');
  if (!deviceCode || !clientId) {
    return aadError(config, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'device_code' and 'client_id'.");
  }
  const result = config.deviceCodes.poll(deviceCode, clientId, Date.now());
  if (!('ok' in result)) return refusalAnswer(config.baseUrl, result);
  return issueTokens(config, { kind: 'user', appId: config.clientId, user: result.user }, result.scopes);
}

function refreshToken(config: AuthConfig, form: URLSearchParams): HttpAnswer {
  const held = config.refreshTokens.get(form.get('refresh_token') ?? '');
  if (!held || held.clientId.toLowerCase() !== (form.get('client_id') ?? '').toLowerCase()) {
    return aadError(config, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  }
  return issueTokens(config, { kind: 'user', appId: held.clientId, user: held.user }, held.scopes);
}

/** The success body (v2-oauth2-client-creds-grant-flow; v2-oauth2-device-code "Successful authentication response"). */
function issueTokens(config: AuthConfig, subject: TokenSubject, granted: string[]): HttpAnswer {
  const lifetime = config.tokenLifetimeSeconds;
  const body: Record<string, unknown> = {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: signToken(config, subject, lifetime, granted),
  };
  if (subject.kind === 'user') {
    const refresh = randomBytes(32).toString('base64url');
    config.refreshTokens.set(refresh, { clientId: subject.appId, scopes: granted, user: subject.user });
    body.scope = [...granted.map((p) => `${GRAPH_RESOURCE}/${p}`), 'openid', 'profile', 'offline_access'].join(' ');
    body.refresh_token = refresh;
    body.id_token = idToken(config, subject.user, lifetime);
    // MSAL keys its account cache on client_info (uid.utid); Entra sends it when asked (client_info=1).
    body.client_info = Buffer.from(JSON.stringify({ uid: subject.user.id, utid: config.tenantId })).toString('base64url');
  }
  return { status: 200, headers: {}, body };
}

export function managedIdentityToken(config: AuthConfig, appId: string): { token: string; expiresOn: number } {
  const lifetime = config.tokenLifetimeSeconds;
  return { token: signToken(config, { kind: 'app', appId }, lifetime), expiresOn: Math.floor(Date.now() / 1000) + lifetime };
}

function knownTenant(config: AuthConfig, tenant: string): boolean {
  const t = tenant.toLowerCase();
  return t === config.tenantId.toLowerCase() || config.domains.some((d) => d.toLowerCase() === t);
}

function tenantNotFound(tenant: string): string {
  return `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Access token claims (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
 * app tokens carry `roles` (application permissions) and `idtyp: app`; user
 * tokens carry `scp` (delegated permissions, space-separated), `idtyp: user`,
 * and the user's `oid` and `upn`.
 */
function signToken(config: AuthConfig, subject: TokenSubject, lifetime: number, scopes: readonly string[] = DELEGATED_SCOPES): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ typ: 'JWT', alg: 'HS256' });
  const common = {
    aud: GRAPH_RESOURCE,
    iss: `https://sts.windows.net/${config.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: subject.appId,
    azp: subject.appId,
    tid: config.tenantId,
    ver: '1.0',
    uti: randomUUID(),
  };
  // The caller's claims: src/sim/token-claims.ts (the model every route's permission check reads).
  const claims = {
    ...common,
    ...(subject.kind === 'app'
      ? {
          ...config.appClaims,
          appid: subject.appId,
          azp: subject.appId,
          // A managed identity is its own service principal (same permissions as the app registration here).
          ...(subject.appId.toLowerCase() === config.clientId.toLowerCase() ? {} : { oid: subject.appId, sub: subject.appId }),
        }
      : delegatedClaims(subject.appId, { ...subject.user, roleTemplateIds: config.rolesOf(subject.user.id) }, scopes)),
  };
  const payload = b64(claims);
  const signature = createHmac('sha256', config.signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** An OpenID id_token for MSAL's account cache (v2 claims; MSAL does not check its signature). */
function idToken(config: AuthConfig, user: SignedInUser, lifetime: number): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = b64({
    aud: config.clientId,
    iss: `${config.baseUrl}/${config.tenantId}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    oid: user.id,
    sub: user.id,
    tid: config.tenantId,
    preferred_username: user.userPrincipalName,
    name: user.userPrincipalName,
    ver: '2.0',
  });
  return `${b64({ typ: 'JWT', alg: 'none' })}.${payload}.`;
}

/**
 * Graph's bearer check. Missing, foreign and expired tokens get 401
 * InvalidAuthenticationToken with Graph's wording for each case.
 */
export function checkBearer(config: AuthConfig, authorization: string | undefined): Record<string, unknown> {
  const challenge = {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="${config.baseUrl}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
  };
  const fail = (message: string) => new GraphHttpError(401, 'InvalidAuthenticationToken', message, { headers: challenge });
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
  if (!match) throw fail('Access token is empty.');
  const [header, payload, signature] = (match[1] as string).split('.');
  if (!header || !payload || !signature) throw fail('IDX14100: JWT is not well formed, there are no dots (.).');
  const expected = createHmac('sha256', config.signingKey).update(`${header}.${payload}`).digest('base64url');
  if (!sameSecret(signature, expected)) throw fail('Access token validation failure. Invalid audience.');
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw fail('Access token validation failure.');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw fail('Lifetime validation failed, the token is expired.');
  // Who is calling: src/sim/token-claims.ts callerOf.
  return claims;
}

/** A delegated access token for `user` with these scopes, as a sign-in of that user gives (tests; RunningSimulator.delegatedToken). */
export function delegatedAccessToken(config: AuthConfig, user: SignedInUser, scopes: readonly string[]): string {
  return signToken(config, { kind: 'user', appId: config.clientId, user }, config.tokenLifetimeSeconds, scopes);
}
