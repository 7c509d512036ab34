/**
 * Clearing onPremisesObjectIdentifier: Graph beta `PATCH /users/{id}` with
 * `{"onPremisesObjectIdentifier": null}`
 * (learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes:
 * "You can update these attributes via Microsoft Graph Beta with Update User API call";
 * "The required application permissions are User.ReadWrite.All and
 * User-OnPremisesSyncBehavior.ReadWrite.All (the latter is required specifically for
 * the onPremisesObjectIdentifier attribute)"). The July 2026 hard-match hardening
 * (message center MC1263280, learn.microsoft.com/entra/fundamentals/whats-new) added
 * this as the admin's way out "for legitimate recovery scenarios".
 *
 * What the simulator enforces:
 * - /beta only: v1.0 declares no such property (the PATCH validation's "does not exist");
 * - only null: the value is the sync engine's, never the admin's (the docs show only
 *   clearing; a string is refused with Graph's invalid-value answer - our assumption);
 * - the caller holds User-OnPremisesSyncBehavior.ReadWrite.All on top of the route's
 *   User.ReadWrite.All (app-only: `roles`; delegated: `scp` and, as the
 *   onPremisesSyncBehavior pages say for delegated calls, an Entra role: Hybrid
 *   Identity Administrator, the least privileged, or Global Administrator), else 403
 *   Authorization_RequestDenied "Insufficient privileges to complete the operation."
 *   (learn.microsoft.com/graph/errors);
 * - allowed on a user still marked synced (onPremisesSyncEnabled true). The clear-
 *   attributes page speaks of cloud-only users; the hardening notice announces the
 *   clear for recovery, whose users are still synced. An assumption, listed in the README.
 */
import { GraphHttpError } from './graph-error.js';
import { GLOBAL_ADMINISTRATOR, HYBRID_IDENTITY_ADMINISTRATOR } from './permissions.js';
import type { SimRequest } from './request.js';

export const OBJECT_IDENTIFIER = 'onPremisesObjectIdentifier';
export const SYNC_BEHAVIOR_WRITE = 'User-OnPremisesSyncBehavior.ReadWrite.All';

/** Throws Graph's refusal unless this is an allowed clear; called for a body that names the property. */
export function checkObjectIdentifierClear(req: Pick<SimRequest, 'caller'>, value: unknown): void {
  if (value !== null) {
    throw new GraphHttpError(400, 'Request_BadRequest', `Invalid value specified for property '${OBJECT_IDENTIFIER}' of resource 'User'.`);
  }
  if (!callerMayClear(req.caller)) {
    throw new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
}

export function callerMayClear(caller: SimRequest['caller']): boolean {
  if (caller.kind === 'app') return caller.roles.has(SYNC_BEHAVIOR_WRITE);
  return caller.scopes.has(SYNC_BEHAVIOR_WRITE) && (caller.roleTemplateIds.has(HYBRID_IDENTITY_ADMINISTRATOR) || caller.roleTemplateIds.has(GLOBAL_ADMINISTRATOR));
}
