/**
 * GET /users/{id}/onPremisesSyncBehavior: a user's source of authority
 * (learn.microsoft.com/graph/api/onpremisessyncbehavior-get; resource:
 * learn.microsoft.com/graph/api/resources/onpremisessyncbehavior). 200 with
 * `{id, isCloudManaged}`, `id` being the parent object's id. `isCloudManaged`
 * true: "updates from on-premises Active Directory are blocked in the cloud".
 * The snapshot says so per user (`onPremisesSyncBehavior: {isCloudManaged}`);
 * absent means false (a user nobody switched). Unknown user: 404.
 * Permission (src/sim/permissions.ts): User-OnPremisesSyncBehavior.ReadWrite.All,
 * delegated callers also an Entra role (Hybrid Identity Administrator least).
 */
import { resourceNotFound } from './graph-error.js';
import { ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';

export function getSyncBehavior(req: SimRequest, ctx: SimContext, idOrUpn: string): SimResponse {
  const user = ctx.state.findUser(idOrUpn);
  if (!user) throw resourceNotFound(idOrUpn);
  const behavior = user.onPremisesSyncBehavior as { isCloudManaged?: unknown } | null | undefined;
  return ok({
    '@odata.context': `${versionRoot(ctx, req)}/$metadata#users('${user.id}')/onPremisesSyncBehavior/$entity`,
    id: user.id,
    isCloudManaged: behavior?.isCloudManaged === true,
  });
}
