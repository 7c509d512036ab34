/**
 * What entra2ad tells the admin to grant (src/cloud/permissions.ts) against what
 * the simulator enforces from Microsoft's pages (src/sim/permissions.ts): every
 * named permission must be one the page accepts, and "not supported" must agree.
 */
import { describe, expect, it } from 'vitest';
import { CALL_PERMISSIONS, callPath, callPermissionOf, grantsOfToken, permissionHint, requireImmutableIdWrite, withPermissionNamed } from '../../../src/cloud/index.js';
import { DEFAULT_APP_PERMISSIONS, ROUTE_PERMISSIONS } from '../../../src/sim/permissions.js';

/** `/users/[^/]+/manager` style regex -> the simulator's template key. */
const SAMPLE_PATHS: Record<string, string> = {
  'GET /users': '/users',
  'GET /users/{id}': '/users/1',
  'GET /users/{id}/manager': '/users/1/manager',
  'GET /users/{id}/mailboxSettings': '/users/1/mailboxSettings',
  'PATCH /users/{id}': '/users/1',
  'GET /groups/{id}/transitiveMembers': '/groups/1/transitiveMembers/microsoft.graph.user',
  'POST /directoryObjects/getByIds': '/directoryObjects/getByIds',
  'GET /groups': '/groups',
  'GET /groups/{id}/owners': '/groups/1/owners/microsoft.graph.user',
  'GET /directory/administrativeUnits': '/directory/administrativeUnits',
  'GET /directory/administrativeUnits/{id}/members': '/directory/administrativeUnits/1/members/microsoft.graph.user',
  'GET /roleManagement/directory/roleDefinitions': '/roleManagement/directory/roleDefinitions',
  'GET /roleManagement/directory/roleAssignments': '/roleManagement/directory/roleAssignments',
  'GET /roleManagement/directory/roleEligibilityScheduleInstances': '/roleManagement/directory/roleEligibilityScheduleInstances',
  'GET /domains': '/domains',
  'GET /organization': '/organization',
  'GET /directory/onPremisesSynchronization': '/directory/onPremisesSynchronization',
};

describe('CALL_PERMISSIONS agree with the pages the simulator enforces', () => {
  it.each(Object.entries(SAMPLE_PATHS))('%s', (key, path) => {
    const [method] = key.split(' ');
    const call = callPermissionOf(method!, `https://graph.microsoft.com/v1.0${path}?$select=id`);
    expect(call, key).toBeDefined();
    const page = ROUTE_PERMISSIONS[key]!;
    expect(call!.doc).toBe(page.doc);
    if (page.application.length === 0) expect(call!.application).toBeNull();
    else expect(page.application).toContain(call!.application);
    expect(page.delegated).toContain(call!.delegated.split(',')[0]);
  });

  it('every row is reachable and the README default grants every application permission entra2ad names', () => {
    for (const call of CALL_PERMISSIONS) {
      expect(Object.values(SAMPLE_PATHS).some((p) => call.path.test(p)), call.what).toBe(true);
      if (call.application !== null) expect(DEFAULT_APP_PERMISSIONS, call.what).toContain(call.application);
    }
  });
});

describe('naming the permission', () => {
  it('callPath strips host, version and query', () => {
    expect(callPath('https://graph.microsoft.com/beta/users?$select=id')).toBe('/users');
    expect(callPath('/v1.0/users/x/manager')).toBe('/users/x/manager');
    expect(callPath('domains?$top=1')).toBe('/domains');
  });

  it('only 403s are touched', () => {
    expect(withPermissionNamed({ status: 404, message: 'gone' }, 'GET', '/users/x').message).toBe('gone');
    expect(withPermissionNamed({ status: 403, message: 'no' }, 'PATCH', '/users/x').message).toMatch(/^no - to write onPremisesImmutableId, the app needs .*User\.ReadWrite\.All/);
    // The same 403 for a sensitive write the app may not make: said too.
    expect(withPermissionNamed({ status: 403, message: 'no' }, 'PATCH', '/users/x').message).toMatch(/if the app holds it, Graph refuses this sensitive write.*BLOCKED_RESTRICTED_ADMIN_UNIT/);
    expect(withPermissionNamed({ status: 403, message: 'no' }, 'GET', '/somewhere/else').message).toBe('no');
  });

  it('says when only a delegated sign-in can', () => {
    expect(permissionHint(callPermissionOf('GET', '/directory/onPremisesSynchronization')!)).toMatch(/supports no application permission: only a delegated sign-in/);
  });
});

describe('token grants', () => {
  const jwt = (claims: unknown) => `x.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  it.each([
    ['app roles', jwt({ roles: ['User.Read.All'] }), { kind: 'app', granted: new Set(['User.Read.All']), roleTemplateIds: new Set() }],
    ['app roles and Entra roles (wids)', jwt({ roles: ['User.ReadWrite.All'], wids: ['7BE44C8A-ADAF-4E2A-84D6-AB2649E08A13'] }), { kind: 'app', granted: new Set(['User.ReadWrite.All']), roleTemplateIds: new Set(['7be44c8a-adaf-4e2a-84d6-ab2649e08a13']) }],
    ['delegated scp', jwt({ scp: 'User.Read.All User.ReadWrite.All', roles: ['x'] }), { kind: 'delegated', granted: new Set(['User.Read.All', 'User.ReadWrite.All']), roleTemplateIds: new Set() }],
    ['opaque token', 'not-a-jwt', undefined],
    ['no claims about permissions', jwt({ sub: 'x' }), undefined],
  ])('%s', (_name, token, expected) => expect(grantsOfToken(token)).toEqual(expected));

  it('requireImmutableIdWrite: refuses a readable token without a write permission, lets unknown through', () => {
    expect(() => requireImmutableIdWrite({ kind: 'app', granted: new Set(['User.Read.All']), roleTemplateIds: new Set() })).toThrow(/nothing was written/);
    expect(() => requireImmutableIdWrite({ kind: 'app', granted: new Set(['Directory.ReadWrite.All']), roleTemplateIds: new Set() })).not.toThrow();
    expect(() => requireImmutableIdWrite(undefined)).not.toThrow();
  });
});
