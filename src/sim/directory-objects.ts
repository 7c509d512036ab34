/**
 * POST /directoryObjects/getByIds (learn.microsoft.com/graph/api/directoryobject-getbyids):
 * body `{ "ids": [...], "types"?: ["user", "group", ...] }`, at most 1000 ids;
 * the objects found, each with its `@odata.type`, users with their default
 * properties ("Only a subset of user properties are returned by default in
 * v1.0"); ids that are not found (or not of a requested type) are left out.
 * The simulator holds users and groups only: other types never match.
 */
import { GraphHttpError, badRequest } from './graph-error.js';
import { projectGroup } from './groups-routes.js';
import { ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';
import { projectDirectoryObject } from './user-projection.js';

export const MAX_GET_BY_IDS = 1000;

const KNOWN_TYPES = new Set(['user', 'group', 'device', 'serviceprincipal', 'application', 'orgcontact', 'administrativeunit', 'directoryrole', 'approleassignment']);

export function getByIds(req: SimRequest, ctx: SimContext): SimResponse {
  const body = req.body as { ids?: unknown; types?: unknown } | undefined;
  if (req.bodyInvalid || typeof body !== 'object' || body === null || !Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')) {
    throw badRequest("The request body must hold 'ids', an array of object ids.");
  }
  // Limit from the page ("You can specify up to 1000 IDs"); the refusal's wording is ours.
  if (body.ids.length > MAX_GET_BY_IDS) throw new GraphHttpError(400, 'Request_BadRequest', `Too many ids: at most ${MAX_GET_BY_IDS} per request.`);
  let types: Set<string> | null = null;
  if (body.types !== undefined) {
    if (!Array.isArray(body.types) || body.types.some((t) => typeof t !== 'string')) throw badRequest("'types' must be an array of resource type names.");
    types = new Set((body.types as string[]).map((t) => t.toLowerCase().replace(/^microsoft\.graph\./, '')));
    const unknown = [...types].find((t) => !KNOWN_TYPES.has(t));
    if (unknown !== undefined) throw badRequest(`Invalid type '${unknown}' in 'types'.`);
  }
  const value: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const id of body.ids as string[]) {
    const key = id.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const user = ctx.state.findUser(id);
    if (user && user.id.toLowerCase() === key) {
      if (!types || types.has('user')) value.push(projectDirectoryObject(user, null));
      continue;
    }
    const group = ctx.state.findGroup(id);
    if (group && (!types || types.has('group'))) value.push({ '@odata.type': '#microsoft.graph.group', ...projectGroup(group, null) });
  }
  return ok({ '@odata.context': `${versionRoot(ctx, req)}/$metadata#directoryObjects`, value });
}
