/** The simulator's permission check per route (src/sim/permissions.ts), as Microsoft's pages state it. */
import { describe, expect, it } from 'vitest';
import { GraphHttpError } from '../../../src/sim/graph-error.js';
import { authorize, DEFAULT_APP_PERMISSIONS, GLOBAL_ADMINISTRATOR, permissionKey, permissionsOf } from '../../../src/sim/permissions.js';
import { appClaims, callerOf, delegatedClaims, type Caller } from '../../../src/sim/token-claims.js';

const app = (...roles: string[]): Caller => callerOf(appClaims({ appId: 'a', servicePrincipalId: 'sp', applicationPermissions: roles, directoryRoles: [] }));
const user = (scopes: string[], roles: string[] = []): Caller => callerOf(delegatedClaims('a', { id: 'u', userPrincipalName: 'u@x.example', roleTemplateIds: roles }, scopes));

function outcome(caller: Caller, template: string, exceptions?: ReadonlySet<string>): string {
  try {
    authorize(caller, template, exceptions);
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(GraphHttpError);
    const e = error as GraphHttpError;
    return `${e.status} ${e.code}: ${e.message}`;
  }
}

const DENIED = '403 Authorization_RequestDenied: Insufficient privileges to complete the operation.';

describe('permissionKey', () => {
  it.each([
    ['GET /v1.0/users', 'GET /users'],
    ['GET /beta/users/{id}', 'GET /users/{id}'],
    ['GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.user/$count', 'GET /groups/{id}/transitiveMembers'],
    ['GET /v1.0/users/{id}/transitiveMemberOf/microsoft.graph.directoryRole', 'GET /users/{id}/transitiveMemberOf'],
    ['POST /v1.0/directoryObjects/getByIds', 'POST /directoryObjects/getByIds'],
  ])('%s -> %s', (template, key) => expect(permissionKey(template)).toBe(key));

  it('an entry by id falls back to its collection', () => {
    expect(permissionsOf('GET /v1.0/domains/{id}')?.doc).toMatch(/domain-list$/);
    expect(permissionsOf('GET /v1.0/directory/onPremisesSynchronization/{id}')?.application).toEqual([]);
  });
});

describe('authorize', () => {
  it.each([
    ['app with User.Read.All lists users', app('User.Read.All'), 'GET /v1.0/users', 'ok'],
    ['app with Directory.Read.All lists users (higher privileged)', app('Directory.Read.All'), 'GET /beta/users', 'ok'],
    ['app with Domain.Read.All only cannot list users', app('Domain.Read.All'), 'GET /v1.0/users', DENIED],
    ['app with User.Read.All cannot PATCH a user', app('User.Read.All'), 'PATCH /v1.0/users/{id}', DENIED],
    ['app with User.ReadWrite.All can PATCH a user', app('User.ReadWrite.All'), 'PATCH /v1.0/users/{id}', 'ok'],
    ['getByIds needs Directory.Read.All', app('User.Read.All', 'GroupMember.Read.All'), 'POST /v1.0/directoryObjects/getByIds', DENIED],
    ['eligibilities are not covered by Directory.Read.All', app('Directory.Read.All'), 'GET /v1.0/roleManagement/directory/roleEligibilityScheduleInstances', DENIED],
    ['eligibilities with RoleManagement.Read.Directory', app('RoleManagement.Read.Directory'), 'GET /v1.0/roleManagement/directory/roleEligibilityScheduleInstances', 'ok'],
    ['sync features: no application permission at all', app(...DEFAULT_APP_PERMISSIONS, 'OnPremDirectorySynchronization.Read.All', 'Directory.ReadWrite.All'), 'GET /v1.0/directory/onPremisesSynchronization', DENIED],
    ['sync features: delegated Global Administrator with the scope', user(['OnPremDirectorySynchronization.Read.All'], [GLOBAL_ADMINISTRATOR]), 'GET /v1.0/directory/onPremisesSynchronization', 'ok'],
    ['sync features: delegated, not a Global Administrator', user(['OnPremDirectorySynchronization.Read.All'], ['fe930be7-5e62-47db-91af-98c3a49a38b1']), 'GET /v1.0/directory/onPremisesSynchronization', DENIED],
    ['sync features: delegated Global Administrator without the scope', user(['User.Read.All'], [GLOBAL_ADMINISTRATOR]), 'GET /v1.0/directory/onPremisesSynchronization', DENIED],
    ['delegated: roles of an app token do not count as scopes', user(['Domain.Read.All']), 'GET /v1.0/users', DENIED],
  ])('%s', (_name, caller, template, expected) => expect(outcome(caller, template)).toBe(expected));

  it('syncFeaturesForApps lets an app token through, and only on that route', () => {
    const exceptions = new Set(['GET /directory/onPremisesSynchronization']);
    expect(outcome(app(), 'GET /v1.0/directory/onPremisesSynchronization', exceptions)).toBe('ok');
    expect(outcome(app(), 'GET /v1.0/users', exceptions)).toBe(DENIED);
  });
});
