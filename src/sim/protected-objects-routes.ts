/**
 * The reads the sensitive-write guard makes (which users an app with
 * User.ReadWrite.All cannot anchor, src/graph/sensitive-actions.ts):
 *
 * - GET /groups/{id}/owners[/microsoft.graph.user] (learn.microsoft.com/graph/api/group-list-owners):
 *   the group's owners as directoryObjects (users only in the simulator);
 *   default page 100, `$top` up to 999, `$select` picks user properties.
 * - GET /directory/administrativeUnits[/{id}] (learn.microsoft.com/graph/api/directory-list-administrativeunits,
 *   administrativeunit-get): the v1.0 properties of administrativeUnit
 *   (v1.0-Prod.csdl: description, displayName, isMemberManagementRestricted,
 *   membershipRule, membershipRuleProcessingState, membershipType, visibility).
 * - GET /directory/administrativeUnits/{id}/members[/microsoft.graph.user|group]
 *   (learn.microsoft.com/graph/api/administrativeunit-list-members): direct members.
 * Unknown ids: 404 Request_ResourceNotFound.
 */
import { GraphHttpError, resourceNotFound } from './graph-error.js';
import { projectGroup } from './groups-routes.js';
import { oneObject, pageOfObjects } from './object-list.js';
import type { SimContext, SimRequest, SimResponse } from './request.js';
import type { SnapshotAdministrativeUnit } from '../graph/tenant-snapshot.js';
import { projectDirectoryObject } from './user-projection.js';

type Row = Record<string, unknown>;

function castOf(cast: string | undefined): 'user' | 'group' | 'all' {
  if (cast === undefined) return 'all';
  const lower = cast.toLowerCase();
  if (lower === 'microsoft.graph.user') return 'user';
  if (lower === 'microsoft.graph.group') return 'group';
  throw new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${cast}'.`);
}

export function groupOwners(req: SimRequest, ctx: SimContext, id: string, cast: string | undefined): SimResponse {
  const group = ctx.state.findGroup(id);
  if (!group) throw resourceNotFound(id);
  const kind = castOf(cast);
  const items: Row[] =
    kind === 'group'
      ? []
      : (group.owners ?? []).flatMap((owner) => {
          const user = ctx.state.findUser(owner);
          return user ? [projectDirectoryObject(user, null)] : [];
        });
  return pageOfObjects(req, ctx, { items, path: `/groups/${encodeURIComponent(id)}/owners${cast ? `/${cast}` : ''}`, context: 'directoryObjects' });
}

function unitObject(unit: SnapshotAdministrativeUnit): Row {
  const { members: _members, ...given } = unit;
  return {
    deletedDateTime: null,
    description: null,
    isMemberManagementRestricted: null,
    membershipRule: null,
    membershipRuleProcessingState: null,
    membershipType: null,
    visibility: null,
    ...given,
  };
}

export function administrativeUnits(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  const items = ctx.state.administrativeUnits.map(unitObject);
  if (id !== undefined) return oneObject(req, ctx, items, id, 'directory/administrativeUnits');
  return pageOfObjects(req, ctx, { items, path: '/directory/administrativeUnits', context: 'directory/administrativeUnits' });
}

export function administrativeUnitMembers(req: SimRequest, ctx: SimContext, id: string, cast: string | undefined): SimResponse {
  const unit = ctx.state.findAdministrativeUnit(id);
  if (!unit) throw resourceNotFound(id);
  const kind = castOf(cast);
  const items: Row[] = unit.members.flatMap((member) => {
    const user = ctx.state.findUser(member);
    if (user && user.id.toLowerCase() === member.toLowerCase()) return kind === 'group' ? [] : [projectDirectoryObject(user, null)];
    const group = ctx.state.findGroup(member);
    if (group && kind !== 'user') return [{ '@odata.type': '#microsoft.graph.group', ...projectGroup(group, null) }];
    return [];
  });
  return pageOfObjects(req, ctx, {
    items,
    path: `/directory/administrativeUnits/${encodeURIComponent(id)}/members${cast ? `/${cast}` : ''}`,
    context: 'directoryObjects',
  });
}
