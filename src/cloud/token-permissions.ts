/**
 * What the access token says the caller may do, read before apply writes
 * anything: an app-only token lists its application permissions in `roles`, a
 * delegated one its scopes in `scp`
 * (learn.microsoft.com/entra/identity-platform/access-token-claims-reference).
 * Without a permission that lets it write onPremisesImmutableId, apply would
 * create AD accounts whose anchors it cannot write: it stops first instead.
 *
 * Microsoft documents access tokens as opaque to clients; a token that cannot
 * be read (not a JWT, encrypted) is "unknown" and apply goes on - the per-user
 * 403 then names the permission (src/cloud/permissions.ts).
 */
import { CloudError, translateGraphError } from './errors.js';
import type { Graph } from './graph-client.js';
import { callPermissionOf, permissionHint } from './permissions.js';

export interface TokenGrants {
  kind: 'app' | 'delegated';
  /** Application permissions (`roles`) or delegated scopes (`scp`). */
  granted: ReadonlySet<string>;
  /**
   * Entra role template ids (`wids`, lower case): the service principal's roles in an
   * app-only token, the signed-in user's in a delegated one. What "Who can perform
   * sensitive actions" looks at (src/graph/sensitive-actions.ts).
   */
  roleTemplateIds: ReadonlySet<string>;
}

/** The permissions in a JWT access token, or undefined when it cannot be read. Pure. */
export function grantsOfToken(token: string): TokenGrants | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const roleTemplateIds = new Set(Array.isArray(claims.wids) ? claims.wids.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase()) : []);
  if (typeof claims.scp === 'string') return { kind: 'delegated', granted: new Set(claims.scp.split(' ').filter(Boolean)), roleTemplateIds };
  if (Array.isArray(claims.roles)) return { kind: 'app', granted: new Set(claims.roles.filter((r): r is string => typeof r === 'string')), roleTemplateIds };
  return undefined;
}

/**
 * Permissions Microsoft accepts for PATCH /users/{id} (learn.microsoft.com/graph/api/user-update):
 * the same for app-only and delegated callers.
 */
export const IMMUTABLE_ID_WRITE_PERMISSIONS: readonly string[] = ['User.ReadWrite.All', 'Directory.ReadWrite.All'];

/** Throws FORBIDDEN (exit 1) when the token is readable and holds no permission to write onPremisesImmutableId. */
export function requireImmutableIdWrite(grants: TokenGrants | undefined): void {
  if (!grants) return;
  if (IMMUTABLE_ID_WRITE_PERMISSIONS.some((p) => grants.granted.has(p))) return;
  const call = callPermissionOf('PATCH', '/users/x');
  const hint = call ? permissionHint(call) : `the app needs ${IMMUTABLE_ID_WRITE_PERMISSIONS[0]}`;
  throw tokenLacks(grants, `holds none of ${IMMUTABLE_ID_WRITE_PERMISSIONS.join(', ')}`, `; nothing was written - ${hint}`, 'check the write permission before apply');
}

/**
 * FORBIDDEN (exit 1) before a write the token cannot make: `the access token <lacks> (it
 * has: ...)<rest>`, `rest` saying what was not done and how to fix it.
 */
export function tokenLacks(grants: Pick<TokenGrants, 'granted'>, lacks: string, rest: string, operation: string): CloudError {
  return new CloudError(
    'FORBIDDEN',
    { status: 403, code: 'Authorization_RequestDenied', message: `the access token ${lacks} (it has: ${[...grants.granted].sort().join(', ') || 'nothing'})${rest}` },
    { operation },
  );
}

/** Reads the token the client would send (one token request at most; MSAL caches it). */
export async function tokenGrants(graph: Graph): Promise<TokenGrants | undefined> {
  let token;
  try {
    token = await graph.credential.getToken(graph.options.scope);
  } catch (error) {
    throw translateGraphError(error, { operation: 'sign in' });
  }
  return token ? grantsOfToken(token.token) : undefined;
}
