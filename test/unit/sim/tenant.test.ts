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
      'roleAssignments[0].principalId: no user has id u9',
      'roleAssignments[0].roleDefinitionId: no roleDefinitions entry has id d',
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
