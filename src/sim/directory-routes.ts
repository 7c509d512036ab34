/**
 * Tenant-level reads the preflight guards use:
 * - GET /roleManagement/directory/roleDefinitions (rbacapplication-list-roledefinitions)
 * - GET /roleManagement/directory/roleAssignments?$filter=principalId eq '...' (rbacapplication-list-roleassignments)
 * - GET /roleManagement/directory/roleEligibilityScheduleInstances (rbacapplication-list-roleeligibilityscheduleinstances)
 * - GET /domains (domain-list): authenticationType Managed | Federated
 * - GET /directory/onPremisesSynchronization (onpremisesdirectorysynchronization-list):
 *   app-only callers get 403 Authorization_RequestDenied (the API's permissions table lists
 *   no application permission: learn.microsoft.com/graph/api/onpremisesdirectorysynchronization-get),
 *   simulated with `syncFeaturesForbidden`.
 * - GET /organization (organization-list)
 */
import { GraphHttpError } from './graph-error.js';
import { oneObject, pageOfObjects } from './object-list.js';
import { ok, versionRoot, type SimContext, type SimRequest, type SimResponse } from './request.js';

type Row = Record<string, unknown>;

/**
 * unifiedRoleDefinition.isPrivileged is a beta property (in the beta type list, not in
 * v1.0-Prod.csdl): v1.0 does not serve it, and `$select=isPrivileged` there is refused
 * (400; OData's wording for an undeclared property of a non-directory entity, ours).
 */
const ROLE_DEFINITION_BETA_ONLY = ['isPrivileged'];

function roleDefinitionsOf(req: SimRequest, ctx: SimContext): Row[] {
  const items = ctx.state.snapshot.roleDefinitions as unknown as Row[];
  if (req.version === 'beta') return items;
  for (const option of ['$select', '$filter', '$orderby']) {
    const value = Object.entries(req.query).find(([k]) => k.toLowerCase() === option)?.[1] ?? '';
    const used = ROLE_DEFINITION_BETA_ONLY.find((p) => new RegExp(`\\b${p}\\b`, 'i').test(value));
    if (used) throw new GraphHttpError(400, 'BadRequest', `Could not find a property named '${used}' on type 'microsoft.graph.unifiedRoleDefinition'.`);
  }
  return items.map((d) => Object.fromEntries(Object.entries(d).filter(([k]) => !ROLE_DEFINITION_BETA_ONLY.includes(k))));
}

export function roleDefinitions(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  const items = roleDefinitionsOf(req, ctx);
  if (id !== undefined) return oneObject(req, ctx, items, id, 'roleManagement/directory/roleDefinitions');
  return pageOfObjects(req, ctx, { items, path: '/roleManagement/directory/roleDefinitions', context: 'roleManagement/directory/roleDefinitions' });
}

function withRoleDefinition(req: SimRequest, ctx: SimContext) {
  const byId = new Map(roleDefinitionsOf({ ...req, query: {} }, ctx).map((d) => [String(d.id), d]));
  return { roleDefinition: (item: Row) => byId.get(String(item.roleDefinitionId)) ?? null };
}

export function roleAssignments(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  const items = ctx.state.snapshot.roleAssignments as unknown as Row[];
  if (id !== undefined) return oneObject(req, ctx, items, id, 'roleManagement/directory/roleAssignments');
  return pageOfObjects(req, ctx, {
    items,
    path: '/roleManagement/directory/roleAssignments',
    context: 'roleManagement/directory/roleAssignments',
    expand: withRoleDefinition(req, ctx),
  });
}

export function roleEligibilityScheduleInstances(req: SimRequest, ctx: SimContext): SimResponse {
  const items = ctx.state.snapshot.roleEligibilityScheduleInstances.map((e) => ({
    memberType: 'Direct',
    startDateTime: null,
    endDateTime: null,
    appScopeId: null,
    roleEligibilityScheduleId: e.id,
    ...e,
  })) as unknown as Row[];
  return pageOfObjects(req, ctx, {
    items,
    path: '/roleManagement/directory/roleEligibilityScheduleInstances',
    context: 'roleManagement/directory/roleEligibilityScheduleInstances',
    expand: withRoleDefinition(req, ctx),
  });
}

export function domains(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  const items = ctx.state.snapshot.domains.map((d) => ({
    authenticationType: d.authenticationType,
    availabilityStatus: null,
    id: d.id,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: d.isVerified,
    supportedServices: ['Email', 'OfficeCommunicationsOnline'],
    passwordValidityPeriodInDays: null,
    passwordNotificationWindowInDays: null,
    state: null,
  })) as Row[];
  if (id !== undefined) return oneObject(req, ctx, items, id, 'domains');
  return pageOfObjects(req, ctx, { items, path: '/domains', context: 'domains', defaultTop: 999 });
}

function forbidden(): GraphHttpError {
  return new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
}

export function onPremisesSynchronization(req: SimRequest, ctx: SimContext, id?: string): SimResponse {
  if (ctx.syncFeaturesForbidden) throw forbidden();
  const items = ctx.state.snapshot.onPremisesSynchronization.map((s) => ({ configuration: null, ...s })) as unknown as Row[];
  if (id !== undefined) return oneObject(req, ctx, items, id, 'directory/onPremisesSynchronization');
  return pageOfObjects(req, ctx, { items, path: '/directory/onPremisesSynchronization', context: 'directory/onPremisesSynchronization' });
}

export function organization(req: SimRequest, ctx: SimContext): SimResponse {
  const snap = ctx.state.snapshot;
  const anySynced = snap.users.some((u) => u.onPremisesSyncEnabled === true);
  return ok({
    '@odata.context': `${versionRoot(ctx, req)}/$metadata#organization`,
    value: [
      {
        id: snap.tenant.id,
        displayName: snap.tenant.displayName ?? snap.tenant.initialDomain,
        onPremisesSyncEnabled: anySynced ? true : null,
        onPremisesLastSyncDateTime: null,
        verifiedDomains: snap.domains.map((d) => ({
          capabilities: 'Email, OfficeCommunicationsOnline',
          isDefault: d.isDefault,
          isInitial: d.isInitial,
          name: d.id,
          type: d.authenticationType,
        })),
      },
    ],
  });
}
