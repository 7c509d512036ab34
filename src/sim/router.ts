/**
 * Which handler answers which Graph path, on /v1.0 and /beta alike (the
 * routes are the same; what a version declares - the properties of a type -
 * is the handlers' business, from `req.version`). A route that exists on one
 * version only says so here. Unknown segments and methods get
 * Graph's own answers:
 * - unknown segment: 400 BadRequest "Resource not found for the segment 'x'."
 * - known resource, wrong method: 405 Request_BadRequest "Specified HTTP method
 *   is not allowed for the request target." (learn.microsoft.com/graph/json-batching example)
 */
import { GraphHttpError } from './graph-error.js';
import { getGroup, listGroups, transitiveMembers } from './groups-routes.js';
import { domains, onPremisesSynchronization, organization, roleAssignments, roleDefinitions, roleEligibilityScheduleInstances } from './directory-routes.js';
import { patchUser } from './patch-user.js';
import { getMailboxSettings } from './mailbox-settings-routes.js';
import { getSyncBehavior } from './sync-behavior-routes.js';
import { getByIds } from './directory-objects.js';
import { administrativeUnitMembers, administrativeUnits, groupOwners } from './protected-objects-routes.js';
import { segmentsOf, type SimContext, type SimRequest, type SimResponse } from './request.js';
import { countUsers, getManager, getUser, listUsers, transitiveMemberOf } from './users-routes.js';

export interface Route {
  /** For stats: 'GET /v1.0/users/{id}', 'GET /beta/users'. */
  template: string;
  run(): SimResponse;
}

function methodNotAllowed(): GraphHttpError {
  return new GraphHttpError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
}

function notFoundSegment(segment: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
}

/** One route per method; `allowed` maps methods to handlers. */
function route(req: SimRequest, template: string, allowed: Record<string, () => SimResponse>): Route {
  const handler = allowed[req.method];
  return {
    template: `${req.method} /${req.version}${template}`,
    run: () => {
      if (!handler) throw methodNotAllowed();
      return handler();
    },
  };
}

export function resolveRoute(req: SimRequest, ctx: SimContext): Route {
  const s = segmentsOf(req.path);
  const [a, b, c, d, e] = s;
  const fail = (segment: string): Route => ({
    template: `${req.method} /${req.version}/(unknown)`,
    run: () => {
      throw notFoundSegment(segment);
    },
  });
  switch (a?.toLowerCase()) {
    case 'users': {
      if (b === undefined) return route(req, '/users', { GET: () => listUsers(req, ctx) });
      if (b === '$count' && c === undefined) return route(req, '/users/$count', { GET: () => countUsers(req, ctx) });
      if (c === undefined) {
        return route(req, '/users/{id}', { GET: () => getUser(req, ctx, b), PATCH: () => patchUser(req, ctx, b) });
      }
      const sub = c.toLowerCase();
      if (sub === 'manager' && d === undefined) return route(req, '/users/{id}/manager', { GET: () => getManager(req, ctx, b) });
      if (sub === 'mailboxsettings' && d === undefined) {
        return route(req, '/users/{id}/mailboxSettings', { GET: () => getMailboxSettings(req, ctx, b) });
      }
      if (sub === 'onpremisessyncbehavior' && d === undefined) {
        return route(req, '/users/{id}/onPremisesSyncBehavior', { GET: () => getSyncBehavior(req, ctx, b) });
      }
      if (sub === 'transitivememberof' && e === undefined) {
        return route(req, `/users/{id}/transitiveMemberOf${d ? `/${d}` : ''}`, { GET: () => transitiveMemberOf(req, ctx, b, d) });
      }
      return fail(c);
    }
    case 'groups': {
      if (b === undefined) return route(req, '/groups', { GET: () => listGroups(req, ctx) });
      if (c === undefined) return route(req, '/groups/{id}', { GET: () => getGroup(req, ctx, b) });
      if (c.toLowerCase() === 'owners') {
        if (e !== undefined) return fail(e);
        return route(req, `/groups/{id}/owners${d ? `/${d}` : ''}`, { GET: () => groupOwners(req, ctx, b, d) });
      }
      if (c.toLowerCase() !== 'transitivemembers' || s.length > 5) return fail(s.length > 5 ? (s[5] as string) : c);
      const countSegment = (e ?? d) === '$count';
      const cast = d === undefined || d === '$count' ? undefined : d;
      if (e !== undefined && e !== '$count') return fail(e);
      if (d === '$count' && e !== undefined) return fail(e);
      const template = `/groups/{id}/transitiveMembers${cast ? `/${cast}` : ''}${countSegment ? '/$count' : ''}`;
      return route(req, template, { GET: () => transitiveMembers(req, ctx, b, cast, countSegment) });
    }
    case 'rolemanagement': {
      if (b?.toLowerCase() !== 'directory') return fail(b ?? 'roleManagement');
      const coll = c?.toLowerCase();
      if (e !== undefined) return fail(e);
      if (coll === 'roleassignments') {
        return route(req, `/roleManagement/directory/roleAssignments${d ? '/{id}' : ''}`, { GET: () => roleAssignments(req, ctx, d) });
      }
      if (coll === 'roledefinitions') {
        return route(req, `/roleManagement/directory/roleDefinitions${d ? '/{id}' : ''}`, { GET: () => roleDefinitions(req, ctx, d) });
      }
      if (coll === 'roleeligibilityscheduleinstances' && d === undefined) {
        return route(req, '/roleManagement/directory/roleEligibilityScheduleInstances', { GET: () => roleEligibilityScheduleInstances(req, ctx) });
      }
      return fail(c ?? 'directory');
    }
    case 'domains':
      if (c !== undefined) return fail(c);
      return route(req, `/domains${b ? '/{id}' : ''}`, { GET: () => domains(req, ctx, b) });
    case 'directory':
      if (b?.toLowerCase() === 'administrativeunits') {
        if (c === undefined) return route(req, '/directory/administrativeUnits', { GET: () => administrativeUnits(req, ctx) });
        if (d === undefined) return route(req, '/directory/administrativeUnits/{id}', { GET: () => administrativeUnits(req, ctx, c) });
        if (d.toLowerCase() !== 'members' || s.length > 6) return fail(s.length > 6 ? (s[6] as string) : d);
        return route(req, `/directory/administrativeUnits/{id}/members${e ? `/${e}` : ''}`, { GET: () => administrativeUnitMembers(req, ctx, c, e) });
      }
      if (b?.toLowerCase() !== 'onpremisessynchronization' || d !== undefined) return fail(d ?? b ?? 'directory');
      return route(req, `/directory/onPremisesSynchronization${c ? '/{id}' : ''}`, { GET: () => onPremisesSynchronization(req, ctx, c) });
    case 'directoryobjects':
      if (b?.toLowerCase() !== 'getbyids' || c !== undefined) return fail(c ?? b ?? 'directoryObjects');
      return route(req, '/directoryObjects/getByIds', { POST: () => getByIds(req, ctx) });
    case 'organization':
      if (b !== undefined) return fail(b);
      return route(req, '/organization', { GET: () => organization(req, ctx) });
    default:
      return fail(a ?? '');
  }
}
