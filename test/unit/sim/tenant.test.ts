/**
 * Snapshot loading: defaults and every problem named with its path.
 */
import { describe, expect, it } from 'vitest';
import { normalizeTenant, TenantSnapshotError } from '../../../src/sim/normalize.js';
import { mulberry32, shuffled } from '../../../src/sim/random.js';
import { decodeSkipToken, encodeSkipToken, takePage } from '../../../src/sim/paging.js';

describe('normalizeTenant', () => {
  it('fills defaults: one managed initial domain, no roles, all sync features false', () => {
    const t = normalizeTenant({ tenant: { id: 'abc-123', initialDomain: 'Contoso.onmicrosoft.com' }, users: [{ id: 'u1', userPrincipalName: 'a@contoso.onmicrosoft.com', proxyAddresses: null }] });
    expect(t.domains).toEqual([{ id: 'contoso.onmicrosoft.com', authenticationType: 'Managed', isVerified: true, isDefault: true, isInitial: true }]);
    expect(t.roleDefinitions).toEqual([]);
    expect(t.roleAssignments).toEqual([]);
    expect(t.roleEligibilityScheduleInstances).toEqual([]);
    expect(t.onPremisesSynchronization).toHaveLength(1);
    expect(Object.values(t.onPremisesSynchronization[0]?.features ?? {}).every((v) => v === false)).toBe(true);
    expect(t.users[0]?.proxyAddresses).toEqual([]);
  });

  it('names every bad path', () => {
    let error: TenantSnapshotError | undefined;
    try {
      normalizeTenant({
        tenant: { id: 'has space', initialDomain: 'x' },
        users: [
          { id: 'u1', userPrincipalName: 'a@x.example', onPremisesImmutableId: 'same' },
          { id: 'U1', userPrincipalName: 'A@x.example', onPremisesImmutableId: 'same', manager: { id: 'nobody' } },
        ],
        roleAssignments: [{ id: 'r', principalId: 'u9', roleDefinitionId: 'd' }],
      });
    } catch (e) {
      error = e as TenantSnapshotError;
    }
    expect(error).toBeInstanceOf(TenantSnapshotError);
    expect(error?.problems).toEqual([
      'tenant.id: must be a tenant id (GUID)',
      'tenant.initialDomain: must be a domain name',
      'users[1].id: duplicates users[0].id',
      'users[1].userPrincipalName: duplicates users[0].userPrincipalName',
      'users[1].onPremisesImmutableId: duplicates users[0].onPremisesImmutableId',
      'users[1].manager.id: no user has id nobody',
      "roleAssignments[0].principalId: no user, role-assignable group or the app's service principal has id u9",
      'roleAssignments[0].roleDefinitionId: no roleDefinitions entry has id d',
    ]);
  });
});

describe('normalizeTenant: roles held through groups, owners, administrative units', () => {
  const base = {
    tenant: { id: 't-1', initialDomain: 'contoso.onmicrosoft.com' },
    users: [
      { id: 'u1', userPrincipalName: 'a@contoso.onmicrosoft.com' },
      { id: 'u2', userPrincipalName: 'b@contoso.onmicrosoft.com' },
    ],
    roleDefinitions: [{ id: 'ga', displayName: 'Global Administrator', isPrivileged: true }],
  };
  const problemsOf = (raw: unknown): string[] => {
    try {
      normalizeTenant(raw);
      return [];
    } catch (e) {
      return (e as TenantSnapshotError).problems as string[];
    }
  };

  it('accepts a role assignment and an eligibility whose principal is a role-assignable group, with owners and units', () => {
    const t = normalizeTenant({
      ...base,
      groups: [{ id: 'g1', displayName: 'Tier 0', isAssignableToRole: true, members: ['u1'], owners: ['u2'] }],
      roleAssignments: [{ id: 'ra', principalId: 'g1', roleDefinitionId: 'ga' }],
      roleEligibilityScheduleInstances: [{ id: 're', principalId: 'G1', roleDefinitionId: 'ga' }],
      administrativeUnits: [{ id: 'au1', displayName: 'Execs', isMemberManagementRestricted: true, members: ['u1', 'g1'] }],
    });
    expect(t.roleAssignments[0]).toMatchObject({ principalId: 'g1', directoryScopeId: '/' });
    expect(t.groups?.[0]?.owners).toEqual(['u2']);
    expect(t.administrativeUnits).toEqual([{ id: 'au1', displayName: 'Execs', isMemberManagementRestricted: true, members: ['u1', 'g1'] }]);
  });

  it('accepts the app\'s service principal as a principal', () => {
    expect(problemsOf({ ...base, app: { servicePrincipalId: 'sp-1' }, roleAssignments: [{ id: 'ra', principalId: 'sp-1', roleDefinitionId: 'ga' }] })).toEqual([]);
  });

  it('refuses a group that is not role-assignable as a principal, unknown owners and unit members', () => {
    expect(
      problemsOf({
        ...base,
        groups: [{ id: 'g1', displayName: 'Plain', members: [], owners: ['nobody'] }],
        roleAssignments: [{ id: 'ra', principalId: 'g1', roleDefinitionId: 'ga' }],
        administrativeUnits: [{ id: 'u1', displayName: 'Clash', isMemberManagementRestricted: 'yes', members: ['ghost'] }],
      }),
    ).toEqual([
      'groups[0].owners[0]: no user has id nobody',
      'roleAssignments[0].principalId: group g1 is not role-assignable (isAssignableToRole must be true)',
      'administrativeUnits[0].id: is already the id of a user or group (object ids are unique)',
      'administrativeUnits[0].isMemberManagementRestricted: must be true, false or null',
      'administrativeUnits[0].members[0]: no user or group has id ghost',
    ]);
  });
});

describe('randomness and paging helpers', () => {
  it('repeats for a seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(shuffled([1, 2, 3, 4, 5, 6], mulberry32(1))).toEqual(shuffled([1, 2, 3, 4, 5, 6], mulberry32(1)));
  });

  it('takes a page and looks ahead so the last page has no next', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const even = (n: number) => n % 2 === 0;
    expect(takePage(items, 0, 2, even)).toEqual({ items: [2, 4], next: 5 });
    expect(takePage(items, 5, 2, even)).toEqual({ items: [6], next: null });
    expect(takePage(items, 0, 3, even)).toEqual({ items: [2, 4, 6], next: null });
  });

  it('round-trips skip tokens and refuses foreign ones', () => {
    const state = { cursor: 42, query: { $select: 'id' } };
    expect(decodeSkipToken(encodeSkipToken(state))).toEqual(state);
    expect(() => decodeSkipToken('garbage')).toThrow('The specified page token value has expired');
  });
});
