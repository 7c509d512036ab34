/**
 * PATCH /users/{id | userPrincipalName} with Graph's validation
 * (learn.microsoft.com/graph/api/user-update): 204 and no body on success.
 *
 * Refusals, each 400 unless noted:
 * - unknown user: 404 Request_ResourceNotFound;
 * - body not JSON: BadRequest "Unable to read JSON request payload..."
 * - a property the user type does not have, or one that is read-only
 *   (id, proxyAddresses, onPremisesSyncEnabled, ...);
 * - a synced user (onPremisesSyncEnabled true, or false = was synced):
 *   "Unable to update the specified properties for objects that have
 *   originated within an external service." (not in the Graph docs; Graph's answer
 *   as quoted in public reports, e.g. github.com/microsoftgraph/msgraph-sdk-powershell/issues/2819);
 * - onPremisesImmutableId with `$` or `_` (user resource docs: those
 *   characters cannot be used): "Invalid value specified for property ...";
 * - onPremisesImmutableId or userPrincipalName already held by another
 *   object: "Another object with the same value for property X already
 *   exists." with details [{code: ObjectConflict, target: X}];
 * - onPremisesImmutableId on a user whose UPN is in a Federated domain (the
 *   documented workaround moves the UPN to *.onmicrosoft.com first; Graph's
 *   wording for this refusal is not documented: ours says so).
 * - onPremisesObjectIdentifier (beta): only null, with its own permission, also on
 *   synced users: src/sim/object-identifier-clear.ts.
 * - 403 Authorization_RequestDenied "Insufficient privileges to complete the
 *   operation." when the body changes a sensitive property (onPremisesImmutableId,
 *   accountEnabled, userPrincipalName, ...) of a user the caller's roles do not
 *   cover in Microsoft's "Who can perform sensitive actions" table: an admin role
 *   holder, a member or owner of a role-assignable group, a member of a restricted
 *   management administrative unit (src/graph/sensitive-actions.ts). An app with
 *   User.ReadWrite.All and no Entra role is refused for all three.
 * Every attempt is recorded in the tenant state's `writes`.
 */
import { SENSITIVE_USER_PROPERTIES, sensitiveWriteRefusal } from '../graph/sensitive-actions.js';
import { GraphHttpError, badRequest, resourceNotFound } from './graph-error.js';
import { noContent, type SimContext, type SimRequest, type SimResponse } from './request.js';
import type { SnapshotUser } from '../graph/tenant-snapshot.js';
import { checkObjectIdentifierClear, OBJECT_IDENTIFIER } from './object-identifier-clear.js';
import {
  CLOUD_MASTERED_FOR_SYNCED_USERS,
  COLLECTION_PROPERTIES,
  userPropertyByLower,
  WRITABLE_USER_PROPERTIES,
} from './user-properties.js';

const BOOLEAN_PROPERTIES = new Set(['accountEnabled', 'showInAddressList']);
const COMPLEX_PROPERTIES = new Set(['onPremisesExtensionAttributes', 'passwordProfile', 'employeeOrgData', 'customSecurityAttributes']);

export function invalidValue(property: string): GraphHttpError {
  return badRequest(`Invalid value specified for property '${property}' of resource 'User'.`);
}

export function objectConflict(property: string): GraphHttpError {
  return badRequest(`Another object with the same value for property ${property} already exists.`, 'Request_BadRequest', [
    { code: 'ObjectConflict', target: property },
  ]);
}

export const EXTERNAL_SERVICE_MESSAGE = 'Unable to update the specified properties for objects that have originated within an external service.';

export function patchUser(req: SimRequest, ctx: SimContext, idOrUpn: string): SimResponse {
  const user = ctx.state.findUser(idOrUpn);
  const body = (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? req.body : {}) as Record<string, unknown>;
  const record = (status: number, errorCode?: string, changed?: boolean) =>
    ctx.state.recordWrite({
      method: 'PATCH',
      path: req.path,
      userId: user?.id ?? null,
      body,
      status,
      batched: req.batched,
      ...(errorCode ? { errorCode } : {}),
      ...(changed !== undefined ? { changed } : {}),
    });
  try {
    if (!user) throw resourceNotFound(idOrUpn);
    const changes = validate(req, ctx, user);
    const changed = Object.entries(changes).some(([key, value]) => JSON.stringify(user[key] ?? null) !== JSON.stringify(value));
    ctx.state.update(user, changes);
    record(204, undefined, changed);
    ctx.stats.writes++;
    return noContent();
  } catch (error) {
    if (error instanceof GraphHttpError) record(error.status, error.code);
    throw error;
  }
}

function validate(req: SimRequest, ctx: SimContext, user: SnapshotUser): Record<string, unknown> {
  if (req.bodyInvalid || req.body === undefined || typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
    throw new GraphHttpError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    );
  }
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
    if (key.startsWith('@odata.')) continue;
    const property = userPropertyByLower(req.version).get(key.toLowerCase());
    // Wording for these two is the directory's for unknown/read-only properties; not documented by Graph.
    if (!property) throw badRequest(`Property '${key}' does not exist as a declared property or extension property.`);
    if (property === OBJECT_IDENTIFIER) {
      // Beta only (userPropertyByLower above), null only, its own permission: src/sim/object-identifier-clear.ts.
      checkObjectIdentifierClear(req, value);
      changes[property] = null;
      continue;
    }
    if (!WRITABLE_USER_PROPERTIES.has(property)) throw badRequest(`Property '${property}' is read-only and cannot be set.`);
    checkType(property, value);
    changes[property] = value;
  }

  if (Object.keys(changes).some((p) => SENSITIVE_USER_PROPERTIES.has(p))) {
    // The body Graph sends for a caller without the privilege (learn.microsoft.com/graph/errors, 403).
    if (sensitiveWriteRefusal(req.caller.roleTemplateIds, ctx.state.sensitiveTargetOf(user)) !== undefined) {
      throw new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    }
  }

  const synced = user.onPremisesSyncEnabled !== undefined && user.onPremisesSyncEnabled !== null;
  if (synced && Object.keys(changes).some((p) => !CLOUD_MASTERED_FOR_SYNCED_USERS.has(p) && p !== OBJECT_IDENTIFIER)) {
    throw badRequest(EXTERNAL_SERVICE_MESSAGE);
  }

  if ('onPremisesImmutableId' in changes) checkImmutableId(ctx, user, changes.onPremisesImmutableId as string | null);
  if ('userPrincipalName' in changes) checkUpn(ctx, user, changes);
  return changes;
}

function checkType(property: string, value: unknown): void {
  if (value === null) {
    if (COLLECTION_PROPERTIES.has(property) || BOOLEAN_PROPERTIES.has(property) || property === 'userPrincipalName') throw invalidValue(property);
    return;
  }
  if (COLLECTION_PROPERTIES.has(property)) {
    if (!Array.isArray(value)) throw invalidValue(property);
    return;
  }
  if (BOOLEAN_PROPERTIES.has(property)) {
    if (typeof value !== 'boolean') throw invalidValue(property);
    return;
  }
  if (COMPLEX_PROPERTIES.has(property)) {
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(property);
    return;
  }
  if (typeof value !== 'string') throw invalidValue(property);
}

function checkImmutableId(ctx: SimContext, user: SnapshotUser, value: string | null): void {
  if (value === null) {
    // Public reports since 2024: v1.0 refuses to clear it. Off by default
    // (github.com/microsoftgraph/msgraph-sdk-powershell/issues/2819: has worked, and has been refused).
    if (ctx.refuseImmutableIdClear) throw invalidValue('onPremisesImmutableId');
  } else if (value === '' || /[$_]/.test(value)) {
    throw invalidValue('onPremisesImmutableId');
  }
  const domain = ctx.state.domainOf(user.userPrincipalName);
  if (domain?.authenticationType === 'Federated') {
    throw badRequest(
      `Unable to update the onPremisesImmutableId of a user whose userPrincipalName is in the federated domain ${domain.id}. ` +
        '(entra2ad simulator wording: Graph does not document its message for this refusal.)',
    );
  }
  if (value !== null) {
    const holder = ctx.state.userWithImmutableId(value);
    if (holder && holder !== user) {
      // duplicateImmutableIdAs500: Graph has been reported answering a duplicate
      // onPremisesImmutableId with 500 and "The given key was not present in the
      // dictionary." instead of 400 ObjectConflict
      // (github.com/microsoftgraph/microsoft-graph-docs/issues/1508). The code is not in the report: ours.
      if (ctx.duplicateImmutableIdAs500) throw new GraphHttpError(500, 'InternalServerError', 'The given key was not present in the dictionary.');
      throw objectConflict('onPremisesImmutableId');
    }
  }
}

function checkUpn(ctx: SimContext, user: SnapshotUser, changes: Record<string, unknown>): void {
  const upn = changes.userPrincipalName as string;
  if (!/^[^@\s]+@[^@\s]+$/.test(upn)) throw invalidValue('userPrincipalName');
  const domain = ctx.state.domainOf(upn);
  if (!domain || !domain.isVerified) {
    throw badRequest(
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.',
    );
  }
  const holder = ctx.state.userWithUpn(upn);
  if (holder && holder !== user) throw objectConflict('userPrincipalName');
  const immutableId = 'onPremisesImmutableId' in changes ? changes.onPremisesImmutableId : user.onPremisesImmutableId;
  if (domain.authenticationType === 'Federated' && (immutableId === null || immutableId === undefined)) {
    // A federated user needs an immutableId (user-post-users); Graph's generic refusal.
    throw badRequest('One or more properties contains invalid values.');
  }
}
