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
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { GraphHttpError } from './graph-error.js';

export interface AuthConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** https://127.0.0.1:PORT */
  baseUrl: string;
  signingKey: Buffer;
  tokenLifetimeSeconds: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Application permissions the simulated app holds (the `roles` claim). */
const APP_ROLES = ['User.ReadWrite.All', 'Directory.Read.All', 'RoleManagement.Read.Directory', 'Domain.Read.All'];

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
 * POST /{tenant}/oauth2/v2.0/token with grant_type=client_credentials.
 * `form` is the parsed application/x-www-form-urlencoded body.
 */
export function tokenEndpoint(config: AuthConfig, tenantInPath: string, form: URLSearchParams, authorization: string | undefined): HttpAnswer {
  if (!knownTenant(config, tenantInPath)) return aadError(config, 400, 'invalid_request', 90002, tenantNotFound(tenantInPath));
  // client_secret_basic is allowed too (RFC 6749 section 2.3.1).
  let clientId = form.get('client_id');
  let secret = form.get('client_secret');
  if (authorization?.toLowerCase().startsWith('basic ')) {
    const [id, pw] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    clientId ??= decodeURIComponent(id ?? '');
    secret ??= decodeURIComponent(pw ?? '');
  }
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    return aadError(config, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }
  if (!clientId) return aadError(config, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  if (clientId.toLowerCase() !== config.clientId.toLowerCase()) {
    return aadError(
      config,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${config.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    );
  }
  if (!secret) {
    return aadError(config, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  if (!sameSecret(secret, config.clientSecret)) {
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
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resource = scopes.find((s) => s.endsWith('/.default'));
  if (!resource || scopes.some((s) => !s.endsWith('/.default') && !['openid', 'profile', 'offline_access'].includes(s))) {
    return aadError(
      config,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
  }
  const lifetime = config.tokenLifetimeSeconds;
  return {
    status: 200,
    headers: {},
    body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: signToken(config, lifetime) },
  };
}

function knownTenant(config: AuthConfig, tenant: string): boolean {
  return tenant.toLowerCase() === config.tenantId.toLowerCase();
}

function tenantNotFound(tenant: string): string {
  return `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The identity platform's error body (v2-oauth2-client-creds-grant-flow, "Error response"). */
function aadError(config: AuthConfig, status: number, error: string, code: number, message: string): HttpAnswer {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: {},
    body: {
      error,
      error_description: `AADSTS${code}: ${message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${config.baseUrl}/error?code=${code}`,
    },
  };
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signToken(config: AuthConfig, lifetime: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ typ: 'JWT', alg: 'HS256' });
  const payload = b64({
    aud: GRAPH_RESOURCE,
    iss: `https://sts.windows.net/${config.tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: config.clientId,
    azp: config.clientId,
    idtyp: 'app',
    oid: config.clientId,
    roles: APP_ROLES,
    sub: config.clientId,
    tid: config.tenantId,
    ver: '1.0',
    uti: randomUUID(),
  });
  const signature = createHmac('sha256', config.signingKey).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * Graph's bearer check. Missing, foreign and expired tokens get 401
 * InvalidAuthenticationToken with Graph's wording for each case.
 */
export function checkBearer(config: AuthConfig, authorization: string | undefined): void {
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
  let claims: { exp?: number; tid?: string };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw fail('Access token validation failure.');
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) throw fail('Lifetime validation failed, the token is expired.');
}
