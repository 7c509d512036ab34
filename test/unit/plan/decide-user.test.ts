/**
 * The decision for one user (src/plan/decide-user.ts), through buildPlan: what the
 * directory holds under its UPN and SMTP addresses, the recovery path, invalid and
 * duplicate input.
 */
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { validateUser } from '../../../src/plan/validate-user.js';
import { adObject, directory, makeUser, person, planFor, settings } from './helpers.js';

const GUID = 'bcd2e574-8d58-4136-a9df-8a19b145db79';
const GUID_ID = guidToImmutableId(GUID);
const OTHER_ID = guidToImmutableId('f7cc07d7-7c15-447d-876d-c01b0e5a9e38');

describe('the decision for one user', () => {
  describe('with a directory', () => {
    it('adopts an AD user with the same UPN in any OU, using its ConsistencyGuid or objectGUID', () => {
      const dir = directory([
        adObject({ dn: 'CN=Ann,OU=Staff,DC=corp,DC=example,DC=test', userPrincipalName: 'ANN@contoso.com', sAMAccountName: 'ann', objectGuid: GUID }),
        adObject({
          dn: 'CN=Bob,CN=Users,DC=corp,DC=example,DC=test',
          userPrincipalName: 'bob@contoso.com',
          sAMAccountName: 'bob',
          consistencyGuid: OTHER_ID,
          userAccountControl: 514,
        }),
      ]);
      const p = planFor([person('Ann', 'X', 'ann@contoso.com'), person('Bob', 'Y', 'bob@contoso.com')], { dir });
      expect(p.directoryChecked).toBe(true);
      expect(p.entries[0]).toMatchObject({
        action: 'adopt',
        reason: 'ADOPT_EXISTING_UPN',
        sAMAccountName: 'ann',
        cn: 'Ann',
        dn: 'CN=Ann,OU=Staff,DC=corp,DC=example,DC=test',
        existingObjectGuid: GUID,
        plannedImmutableId: GUID_ID,
      });
      expect(p.entries[0]!.attributes).toBeUndefined();
      expect(p.entries[1]).toMatchObject({ action: 'adopt', plannedImmutableId: OTHER_ID });
      expect(p.entries[1]!.warnings?.map((w) => w.code)).toEqual(['WARN_ADOPT_DISABLED_ACCOUNT']);
    });

    it('never adopts a protected account (adminCount, nested or primary membership of a protected group) unless plan.adoptProtectedUpns names the user', () => {
      const dir = directory([
        adObject({ dn: 'CN=Admin,CN=Users,DC=corp,DC=example,DC=test', userPrincipalName: 'admin@contoso.com', objectGuid: GUID, protectedGroups: ['CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=test'] }),
        adObject({ dn: 'CN=Ops,CN=Users,DC=corp,DC=example,DC=test', userPrincipalName: 'ops@contoso.com', adminCount: 1 }),
        adObject({ dn: 'CN=Boss,CN=Users,DC=corp,DC=example,DC=test', userPrincipalName: 'boss@contoso.com', primaryGroupId: 512 }),
        adObject({ dn: 'CN=Plain,CN=Users,DC=corp,DC=example,DC=test', userPrincipalName: 'plain@contoso.com', adminCount: 0, primaryGroupId: 513 }),
      ]);
      const users = ['admin', 'ops', 'boss', 'plain'].map((n) => person(n, 'X', `${n}@contoso.com`));
      const blocked = planFor(users, { dir });
      expect(blocked.entries.map((e) => [e.userPrincipalName, e.reason])).toEqual([
        ['admin@contoso.com', 'BLOCKED_PROTECTED_ACCOUNT'],
        ['boss@contoso.com', 'BLOCKED_PROTECTED_ACCOUNT'],
        ['ops@contoso.com', 'BLOCKED_PROTECTED_ACCOUNT'],
        ['plain@contoso.com', 'ADOPT_EXISTING_UPN'],
      ]);
      const admin = blocked.entries[0]!;
      expect(admin.action).toBe('blocked');
      expect(admin.message).toContain('member of CN=Domain Admins,CN=Users,DC=corp,DC=example,DC=test');
      expect(admin.message).toContain('plan.adoptProtectedUpns');
      expect(admin.plannedImmutableId).toBeUndefined();
      expect(blocked.entries[1]!.message).toContain('primary group Domain Admins (RID 512)');
      expect(blocked.entries[2]!.message).toContain('adminCount=1');

      const allowed = planFor(users, { dir, s: settings({ adoptProtectedUpns: ['ADMIN@contoso.com'] }) });
      expect(allowed.entries[0]).toMatchObject({ reason: 'ADOPT_EXISTING_UPN', plannedImmutableId: GUID_ID });
      expect(allowed.entries[0]!.warnings?.map((w) => w.code)).toEqual(['WARN_ADOPT_PROTECTED_ACCOUNT']);
      expect(allowed.entries[1]!.reason).toBe('BLOCKED_PROTECTED_ACCOUNT');
    });

    it('blocks a user whose mail or an SMTP proxy address is not an SMTP address (CRLF, LDAP filter text), naming the field', () => {
      const users = [
        person('Crlf', 'X', 'crlf@contoso.com', { proxyAddresses: ['SMTP:crlf@contoso.com', 'smtp:a@contoso.com\r\nX-Injected: 1'] }),
        person('Filter', 'X', 'filter@contoso.com', { mail: 'x)(objectClass=*@contoso.com' }),
        person('Space', 'X', 'space@contoso.com', { mail: 'two words@contoso.com' }),
        person('Fine', 'X', 'fine@contoso.com', { mail: "o'brien+tag@contoso.com", proxyAddresses: ["SMTP:o'brien+tag@contoso.com", 'X500:/o=Contoso/cn=x y'] }),
      ];
      const p = planFor(users, { dir: directory() });
      const byUpn = new Map(p.entries.map((e) => [e.userPrincipalName, e]));
      expect(byUpn.get('crlf@contoso.com')).toMatchObject({ reason: 'BLOCKED_INVALID_USER', message: expect.stringMatching(/proxyAddresses .*is not an SMTP address/) });
      expect(byUpn.get('filter@contoso.com')).toMatchObject({ reason: 'BLOCKED_INVALID_USER', message: expect.stringMatching(/mail .*is not an SMTP address/) });
      expect(byUpn.get('space@contoso.com')!.reason).toBe('BLOCKED_INVALID_USER');
      expect(byUpn.get('fine@contoso.com')!.reason).toBe('CREATE_NEW');
    });

    it('blocks a UPN held by a non-user (contact, computer, group)', () => {
      const dir = directory([
        adObject({ dn: 'CN=C,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'contact'], userPrincipalName: 'c@contoso.com' }),
        adObject({
          dn: 'CN=PC,OU=X,DC=corp,DC=example,DC=test',
          objectClass: ['top', 'person', 'organizationalperson', 'user', 'computer'],
          userPrincipalName: 'pc@contoso.com',
        }),
      ]);
      const p = planFor([person('C', 'C', 'c@contoso.com'), person('P', 'C', 'pc@contoso.com')], { dir });
      expect(p.entries.map((e) => e.reason)).toEqual(['BLOCKED_UPN_IN_USE_BY_NON_USER', 'BLOCKED_UPN_IN_USE_BY_NON_USER']);
      expect(p.entries[0]!.message).toMatch(/CN=C,OU=X/);
    });

    it('blocks a primary SMTP address found on another object (mail or proxyAddresses, any case)', () => {
      const dir = directory([
        adObject({ dn: 'CN=Shared,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'contact'], mail: 'Info@Contoso.com' }),
        adObject({ dn: 'CN=G,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'group'], proxyAddresses: ['SMTP:sales@contoso.com'] }),
      ]);
      const p = planFor(
        [
          person('A', 'A', 'a@contoso.com', { mail: 'info@contoso.com' }),
          person('B', 'B', 'b@contoso.com', { proxyAddresses: ['SMTP:sales@contoso.com'] }),
          person('C', 'C', 'c@contoso.com', { proxyAddresses: ['SMTP:c@contoso.com', 'smtp:SALES@contoso.com'] }),
        ],
        { dir },
      );
      expect(p.entries.map((e) => e.reason)).toEqual(['BLOCKED_PROXY_ADDRESS_IN_USE', 'BLOCKED_PROXY_ADDRESS_IN_USE', 'CREATE_NEW']);
      expect(p.entries[0]!.message).toMatch(/InvalidSoftMatch/);
      // secondary alias in use: left out with a warning
      expect(p.entries[2]!.attributes?.['proxyAddresses']).toEqual(['SMTP:c@contoso.com']);
      expect(p.entries[2]!.warnings?.map((w) => w.code)).toContain('WARN_PROXY_ALIAS_IN_USE');
    });

    it('does not count the adopted object itself as an SMTP conflict', () => {
      const dir = directory([
        adObject({ dn: 'CN=Ann,OU=Staff,DC=corp,DC=example,DC=test', userPrincipalName: 'ann@contoso.com', mail: 'ann@contoso.com' }),
      ]);
      expect(planFor([person('Ann', 'Lee', 'ann@contoso.com', { mail: 'ann@contoso.com' })], { dir }).entries[0]!.action).toBe('adopt');
    });

  });

  describe('recovery path', () => {
    const s = settings({ recover: true });

    it('creates with the ConsistencyGuid and plans no cloud write', () => {
      const u = person('Ann', 'Lee', 'ann@contoso.com', {
        onPremisesImmutableId: GUID_ID,
        onPremisesSyncEnabled: false,
        onPremisesObjectIdentifier: 'x',
        onPremisesSamAccountName: 'ALee',
        onPremisesDistinguishedName: 'CN=Ann Lee,OU=Staff,DC=old,DC=example',
      });
      const e = planFor([u], { s, dir: directory() }).entries[0]!;
      expect(e).toMatchObject({
        action: 'create',
        reason: 'RECOVER_CONSISTENCY_GUID',
        sAMAccountName: 'ALee',
        dn: 'CN=Ann Lee,OU=Staff,DC=corp,DC=example,DC=test',
        recoverConsistencyGuid: GUID_ID,
        currentImmutableId: GUID_ID,
      });
      expect(e.message).toMatch(/nothing is written to the cloud/);
      expect(e.warnings?.map((w) => w.code)).toContain('WARN_HARD_MATCH_MAY_BE_BLOCKED');
    });

    it('adopts an AD user that already carries the same anchor, blocks one that does not', () => {
      const dir = directory([
        adObject({ dn: 'CN=Ann,OU=S,DC=corp,DC=example,DC=test', userPrincipalName: 'ann@contoso.com', consistencyGuid: GUID_ID }),
        adObject({ dn: 'CN=Bob,OU=S,DC=corp,DC=example,DC=test', userPrincipalName: 'bob@contoso.com', consistencyGuid: OTHER_ID }),
      ]);
      const p = planFor(
        [
          person('Ann', 'Lee', 'ann@contoso.com', { onPremisesImmutableId: GUID_ID }),
          person('Bob', 'Lee', 'bob@contoso.com', { onPremisesImmutableId: GUID_ID }),
        ],
        { s, dir },
      );
      expect(p.entries.map((e) => e.reason)).toEqual(['ADOPT_ALREADY_RECOVERED', 'BLOCKED_RECOVER_UPN_IN_USE']);
      expect(p.entries[0]!.plannedImmutableId).toBe(GUID_ID);
    });
  });

  describe('input problems', () => {
    it('validateUser names the user and the field', () => {
      expect(validateUser(makeUser({ userPrincipalName: '' }))[0]).toMatchObject({ field: 'userPrincipalName', code: 'MISSING' });
      expect(validateUser(makeUser({ userPrincipalName: 'a@b@c.com' }))[0]).toMatchObject({ code: 'INVALID' });
      expect(validateUser(makeUser({ userPrincipalName: 'a b@c.com' }))[0]?.message).toMatch(/^a b@c\.com: userPrincipalName contains whitespace/);
      const long = validateUser(makeUser({ userPrincipalName: `${'a'.repeat(1020)}@c.com` }));
      expect(long.map((p) => p.code)).toContain('TOO_LONG');
      expect(validateUser(makeUser({ id: '' })).map((p) => p.field)).toEqual(['id']);
      expect(validateUser(makeUser({}))).toEqual([]);
    });

    it('blocks invalid users and duplicates without stopping the plan', () => {
      const a = person('A', 'A', 'a@contoso.com');
      const p = planFor([a, { ...a }, person('B', 'B', 'A@CONTOSO.COM'), makeUser({ userPrincipalName: 'broken' })]);
      expect(p.entries.map((e) => e.reason).sort()).toEqual([
        'BLOCKED_DUPLICATE_INPUT',
        'BLOCKED_DUPLICATE_INPUT',
        'BLOCKED_INVALID_USER',
        'CREATE_NEW',
      ]);
      expect(p.entries.find((e) => e.reason === 'BLOCKED_INVALID_USER')!.message).toMatch(/broken: userPrincipalName must be name@domain/);
    });
  });
});
