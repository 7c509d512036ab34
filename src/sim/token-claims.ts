/**
 * The claims of the simulator's access tokens, and who a token says the caller
 * is. The model follows the Microsoft identity platform's access token
 * reference (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
 *
 * - app-only (client credentials, managed identity): `idtyp: "app"`, `roles` =
 *   the application permissions admin-consented to the app (the snapshot's
 *   `app.applicationPermissions`, default: the README's permission table),
 *   `oid` = the service principal's object id, `wids` = the Entra role
 *   template ids assigned to the service principal (`app.directoryRoles`).
 * - delegated (device code, interactive): `idtyp: "user"`, `scp` = the
 *   delegated permissions, space-separated, `oid` = the signed-in user's
 *   object id, `upn`, `wids` = the role template ids the user holds actively.
 *
 * Graph authorises on `roles` for app-only tokens and on `scp` (plus the
 * user's roles where a page says so) for delegated ones: src/sim/permissions.ts.
 */

export interface AppIdentity {
  appId: string;
  /** The service principal's object id (the `oid` of app-only tokens). */
  servicePrincipalId: string;
  applicationPermissions: readonly string[];
  /** Entra role template ids assigned to the service principal. */
  directoryRoles: readonly string[];
}

export interface DelegatedUser {
  id: string;
  userPrincipalName: string;
  /** Role template ids the user holds (active assignments). */
  roleTemplateIds: readonly string[];
}

/** Claims particular to the caller; the signer adds aud, iss, iat, nbf, exp, tid, ver, uti. */
export type CallerClaims = Record<string, unknown>;

export function appClaims(app: AppIdentity): CallerClaims {
  return {
    appid: app.appId,
    azp: app.appId,
    idtyp: 'app',
    oid: app.servicePrincipalId,
    sub: app.servicePrincipalId,
    roles: [...app.applicationPermissions],
    ...(app.directoryRoles.length > 0 ? { wids: [...app.directoryRoles] } : {}),
  };
}

export function delegatedClaims(appId: string, user: DelegatedUser, scopes: readonly string[]): CallerClaims {
  return {
    appid: appId,
    azp: appId,
    idtyp: 'user',
    oid: user.id,
    sub: user.id,
    upn: user.userPrincipalName,
    scp: scopes.join(' '),
    wids: [...user.roleTemplateIds],
  };
}

export type Caller =
  | { kind: 'app'; appId: string; objectId: string; roles: ReadonlySet<string>; roleTemplateIds: ReadonlySet<string> }
  | { kind: 'user'; appId: string; objectId: string; scopes: ReadonlySet<string>; roleTemplateIds: ReadonlySet<string> };

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Who the (already verified) claims say the caller is. A token with `scp` is delegated. */
export function callerOf(claims: Record<string, unknown>): Caller {
  const appId = typeof claims.appid === 'string' ? claims.appid : '';
  const objectId = typeof claims.oid === 'string' ? claims.oid : '';
  const roleTemplateIds = new Set(strings(claims.wids));
  if (typeof claims.scp === 'string') {
    return { kind: 'user', appId, objectId, scopes: new Set(claims.scp.split(' ').filter(Boolean)), roleTemplateIds };
  }
  return { kind: 'app', appId, objectId, roles: new Set(strings(claims.roles)), roleTemplateIds };
}
