/**
 * Microsoft's "Who can perform sensitive actions" table as src/graph/sensitive-actions.ts
 * encodes it (learn.microsoft.com/entra/identity/role-based-access-control/privileged-roles-permissions#who-can-perform-sensitive-actions):
 * one row per target, one column per caller role; a caller without a column role acts only on rows every column covers.
 */
import { describe, expect, it } from 'vitest';
import {
  AUTHENTICATION_ADMINISTRATOR as AUTH,
  GLOBAL_ADMINISTRATOR_ROLE as GA,
  PRIVILEGED_AUTHENTICATION_ADMINISTRATOR as PAA,
  ROLE_SCOPED_TO_RESTRICTED_UNIT,
  SENSITIVE_USER_PROPERTIES,
  USER_ADMINISTRATOR as UA,
  sensitiveRoleOf,
  sensitiveWriteRefusal,
} from '../../../src/graph/sensitive-actions.js';

const HELPDESK = '729827e3-9c14-49f7-bb1b-9608f156bbb8';
const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const PRA = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
const CUSTOM = '0b0b0b0b-0000-4000-8000-000000000001';

const target = (roles: string[] = [], roleAssignableGroup = false, restrictedAdministrativeUnit = false) => ({ roleTemplateIds: roles, roleAssignableGroup, restrictedAdministrativeUnit });

describe('sensitiveWriteRefusal', () => {
  const none = new Set<string>();
  const cases: Array<[string, ReadonlySet<string>, ReturnType<typeof target>, string | undefined]> = [
    ['no caller role, no target role', none, target(), undefined],
    ['no caller role, Directory Readers (every column covers it)', none, target([DIRECTORY_READERS]), undefined],
    ['no caller role, Helpdesk Administrator (User Admin column only)', none, target([HELPDESK]), 'admin-role'],
    ['no caller role, Global Administrator', none, target([GA]), 'admin-role'],
    ['no caller role, a custom role ("All other built-in and custom roles")', none, target([CUSTOM]), 'admin-role'],
    ['no caller role, role-assignable group member', none, target([], true), 'role-assignable-group'],
    ['no caller role, restricted unit member', none, target([], false, true), 'restricted-administrative-unit'],
    ['User Administrator on Helpdesk Administrator', new Set([UA]), target([HELPDESK]), undefined],
    ['User Administrator on Authentication Administrator', new Set([UA]), target([AUTH]), 'admin-role'],
    ['Authentication Administrator on Authentication Administrator', new Set([AUTH]), target([AUTH]), undefined],
    ['Authentication Administrator on Helpdesk Administrator', new Set([AUTH]), target([HELPDESK]), 'admin-role'],
    ['User Administrator on a role-assignable group member', new Set([UA]), target([], true), 'role-assignable-group'],
    ['Privileged Authentication Administrator on Privileged Role Administrator', new Set([PAA]), target([PRA]), undefined],
    ['Global Administrator on a custom role and a role-assignable group', new Set([GA]), target([CUSTOM], true), undefined],
    ['Global Administrator on a restricted unit member (tenant scope never reaches it)', new Set([GA]), target([], false, true), 'restricted-administrative-unit'],
    ['one uncovered role among covered ones decides', new Set([UA]), target([DIRECTORY_READERS, GA]), 'admin-role'],
  ];
  it.each(cases)('%s', (_name, caller, t, why) => {
    expect(sensitiveWriteRefusal(caller, t)?.why).toBe(why);
  });

  it('a role scoped to a restricted management unit is its own row (PAA and GA only); scoped to another unit it keeps its row', () => {
    const restricted = new Set(['au-1']);
    expect(sensitiveRoleOf(DIRECTORY_READERS, '/administrativeUnits/AU-1', restricted)).toBe(ROLE_SCOPED_TO_RESTRICTED_UNIT);
    expect(sensitiveRoleOf(DIRECTORY_READERS, '/administrativeUnits/au-2', restricted)).toBe(DIRECTORY_READERS);
    expect(sensitiveRoleOf(DIRECTORY_READERS, '/', restricted)).toBe(DIRECTORY_READERS);
    expect(sensitiveWriteRefusal(new Set([UA]), target([ROLE_SCOPED_TO_RESTRICTED_UNIT]))?.why).toBe('admin-role');
    expect(sensitiveWriteRefusal(new Set([PAA]), target([ROLE_SCOPED_TO_RESTRICTED_UNIT]))).toBeUndefined();
  });

  it('onPremisesImmutableId is one of the sensitive properties', () => {
    expect([...SENSITIVE_USER_PROPERTIES].sort()).toEqual(['accountEnabled', 'businessPhones', 'mobilePhone', 'onPremisesImmutableId', 'otherMails', 'passwordProfile', 'userPrincipalName']);
  });
});
