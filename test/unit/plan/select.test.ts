import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { scopeIndex, selectUser } from '../../../src/plan/select.js';
import { makeUser, settings } from './helpers.js';

const GUID_ID = guidToImmutableId('f7cc07d7-7c15-447d-876d-c01b0e5a9e38'); // 1wfM9xV8fUSHbcAbDlqeOA==

const pick = (overrides: Parameters<typeof makeUser>[0], s = settings()) => {
  const r = selectUser(makeUser(overrides), scopeIndex(s));
  return r.selected ? r.path : r.reason;
};

describe('selectUser', () => {
  it.each([
    ['cloud-only member', {}, 'create'],
    ['synced', { onPremisesSyncEnabled: true }, 'SKIP_SYNCED'],
    ['synced guest is still SKIP_SYNCED (first rule wins)', { onPremisesSyncEnabled: true, userType: 'Guest' }, 'SKIP_SYNCED'],
    ['guest by userType', { userType: 'Guest' }, 'SKIP_GUEST'],
    ['guest by #EXT# in the UPN', { userPrincipalName: 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com' }, 'SKIP_GUEST'],
    ['guest, lower-case #ext#', { userPrincipalName: 'bob_x.com#ext#@contoso.onmicrosoft.com' }, 'SKIP_GUEST'],
    ['disabled is included by default', { accountEnabled: false }, 'create'],
    ['has an immutableId', { onPremisesImmutableId: GUID_ID }, 'SKIP_HAS_IMMUTABLE_ID'],
    ['previously synced, no id', { onPremisesSyncEnabled: false }, 'SKIP_PREVIOUSLY_SYNCED'],
    ['previously synced, with id', { onPremisesSyncEnabled: false, onPremisesImmutableId: GUID_ID }, 'SKIP_HAS_IMMUTABLE_ID'],
    ['blank immutableId counts as none', { onPremisesImmutableId: '  ' }, 'create'],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(pick(overrides)).toBe(expected);
  });

  it('scope: domains, include, exclude, group, disabled', () => {
    const s = settings({
      scope: {
        upnDomains: ['Contoso.com'],
        excludeUpns: ['x@contoso.com'],
        groupMemberIds: ['AAAAAAAA-0000-4000-8000-000000000001', '00000000-0000-4000-8000-0000000000ff'],
        includeDisabled: false,
      },
    });
    const inGroup = 'aaaaaaaa-0000-4000-8000-000000000001';
    expect(pick({ id: inGroup, userPrincipalName: 'a@fabrikam.com' }, s)).toBe('SKIP_OUT_OF_SCOPE_DOMAIN');
    expect(pick({ id: inGroup, userPrincipalName: 'X@CONTOSO.COM' }, s)).toBe('SKIP_EXCLUDED');
    expect(pick({ id: '00000000-0000-4000-8000-000000000099', userPrincipalName: 'a@contoso.com' }, s)).toBe('SKIP_NOT_IN_GROUP');
    expect(pick({ id: inGroup, userPrincipalName: 'a@contoso.com', accountEnabled: false }, s)).toBe('SKIP_DISABLED');
    expect(pick({ id: inGroup, userPrincipalName: 'a@CONTOSO.com' }, s)).toBe('create');
    const inc = settings({ scope: { includeUpns: ['a@contoso.com'] } });
    expect(pick({ userPrincipalName: 'b@contoso.com' }, inc)).toBe('SKIP_NOT_INCLUDED');
    expect(pick({ userPrincipalName: 'A@contoso.com' }, inc)).toBe('create');
  });

  it('recover: GUID-sized ids take the recovery path with the id as ConsistencyGuid', () => {
    const s = settings({ recover: true });
    const r = selectUser(makeUser({ onPremisesImmutableId: GUID_ID }), scopeIndex(s));
    expect(r).toEqual({ selected: true, path: 'recover', consistencyGuid: GUID_ID });
    const prev = selectUser(makeUser({ onPremisesSyncEnabled: false, onPremisesImmutableId: GUID_ID }), scopeIndex(s));
    expect(prev.selected && prev.path).toBe('recover');
  });

  it('recover: ids that are not 16 bytes, or missing, are blocked', () => {
    const s = settings({ recover: true });
    expect(pick({ onPremisesImmutableId: Buffer.from('john@contoso').toString('base64') }, s)).toBe('BLOCKED_RECOVER_NOT_GUID'); // 12 bytes
    expect(pick({ onPremisesImmutableId: 'not base64!' }, s)).toBe('BLOCKED_RECOVER_NOT_GUID');
    expect(pick({ onPremisesSyncEnabled: false }, s)).toBe('BLOCKED_RECOVER_NO_IMMUTABLE_ID');
  });

  it('messages say what to do', () => {
    const r = selectUser(makeUser({ onPremisesImmutableId: GUID_ID }), scopeIndex(settings()));
    expect(!r.selected && r.message).toMatch(/recover/);
  });
});
