/**
 * Recovery in place: old sAMAccountName, CN and OU from what the cloud remembers,
 * dnMap, visible fallbacks, no silent renames.
 */
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { oldIdentityOf, splitMapDn } from '../../../src/plan/recovered-identity.js';
import { NOW, adObject, directory, makeUser, person, settings } from './helpers.js';

const DOMAIN = 'DC=corp,DC=example,DC=test';
const id = (n: number) => guidToImmutableId(`bcd2e574-8d58-4136-a9df-${n.toString(16).padStart(12, '0')}`);

describe('oldIdentityOf', () => {
  it.each([
    ['base DN replaced, nested OUs kept', { onPremisesSamAccountName: 'JDoe', onPremisesDistinguishedName: 'CN=John Doe,OU=Sales,OU=EMEA,DC=lost,DC=local' }, {}, { sAMAccountName: 'JDoe', cn: 'John Doe', parentDn: `OU=Sales,OU=EMEA,${DOMAIN}` }],
    [
      'escaped values stay escaped in every RDN',
      { onPremisesSamAccountName: 'doej', onPremisesDistinguishedName: 'CN=Doe\\, John,OU=R\\+D,OU=\\#Ops,DC=lost,DC=local' },
      {},
      { cn: 'Doe, John', parentDn: `OU=R\\+D,OU=\\#Ops,${DOMAIN}` },
    ],
    ['a 20-character name is kept whole', { onPremisesSamAccountName: 'abcdefghij0123456789', onPremisesDistinguishedName: 'CN=x,OU=A,DC=lost,DC=local' }, {}, { sAMAccountName: 'abcdefghij0123456789' }],
    [
      'no DC= in the DN: it is read as relative to onPremisesDomainName',
      { onPremisesSamAccountName: 'a', onPremisesDistinguishedName: 'CN=x,OU=A', onPremisesDomainName: 'lost.local' },
      {},
      { parentDn: `OU=A,${DOMAIN}`, how: `base DN DC=lost,DC=local (onPremisesDomainName) -> ${DOMAIN}` },
    ],
    ['no DC= and no domain name: a problem naming the fix', { onPremisesSamAccountName: 'a', onPremisesDistinguishedName: 'CN=x,OU=A' }, {}, { parentDn: undefined, problems: [{ field: 'dn', problem: expect.stringMatching(/dnMap/) }] }],
    [
      'dnMap: the longest matching old DN wins',
      { onPremisesSamAccountName: 'a', onPremisesDistinguishedName: 'CN=x,OU=Sub,OU=A,DC=lost,DC=local' },
      { 'DC=lost,DC=local': `OU=Whole,${DOMAIN}`, 'OU=A,DC=lost,DC=local': `OU=Moved,OU=B,${DOMAIN}` },
      { parentDn: `OU=Sub,OU=Moved,OU=B,${DOMAIN}`, how: `dnMap OU=A,DC=lost,DC=local -> OU=Moved,OU=B,${DOMAIN}` },
    ],
    [
      'dnMap pointing outside the target domain is a problem, not a write elsewhere',
      { onPremisesSamAccountName: 'a', onPremisesDistinguishedName: 'CN=x,OU=A,DC=lost,DC=local' },
      { 'DC=lost,DC=local': 'OU=A,DC=other,DC=test' },
      { parentDn: undefined, problems: [{ field: 'dn' }] },
    ],
    ['21 characters break Windows rules: reported, not cut', { onPremisesSamAccountName: 'abcdefghij0123456789X', onPremisesDistinguishedName: 'CN=x,OU=A,DC=lost,DC=local' }, {}, { sAMAccountName: undefined, problems: [{ field: 'sAMAccountName', value: 'abcdefghij0123456789X' }] }],
    ['a forbidden character is reported', { onPremisesSamAccountName: 'j*doe', onPremisesDistinguishedName: 'CN=x,OU=A,DC=lost,DC=local' }, {}, { problems: [{ field: 'sAMAccountName', value: 'j*doe' }] }],
    [
      'older Connect: nothing remembered, both come from the templates',
      { onPremisesSamAccountName: null, onPremisesDistinguishedName: null },
      {},
      { sAMAccountName: undefined, parentDn: undefined, fallbacks: [expect.stringMatching(/onPremisesSamAccountName/), expect.stringMatching(/onPremisesDistinguishedName/)] },
    ],
  ])('%s', (_name, user, dnMap, expected) => {
    expect(oldIdentityOf(user, DOMAIN, dnMap)).toMatchObject(expected);
  });

  it('the DC= components win over onPremisesDomainName', () => {
    const r = oldIdentityOf({ onPremisesSamAccountName: 'a', onPremisesDistinguishedName: 'CN=x,OU=A,DC=lost,DC=local', onPremisesDomainName: 'ignored.example' }, DOMAIN);
    expect(r.parentDn).toBe(`OU=A,${DOMAIN}`);
  });
});

describe('splitMapDn (--map-dn OLD=NEW)', () => {
  it.each([
    ['DC=lost,DC=local=OU=Moved,DC=corp,DC=example,DC=test', { from: 'DC=lost,DC=local', to: 'OU=Moved,DC=corp,DC=example,DC=test' }],
    ['OU=Sales,DC=lost,DC=local = OU=Sales,DC=corp,DC=test', { from: 'OU=Sales,DC=lost,DC=local', to: 'OU=Sales,DC=corp,DC=test' }],
    ['no-equals', null],
    ['DC=lost', null],
  ])('%s', (arg, expected) => {
    expect(splitMapDn(arg)).toEqual(expected);
  });
});

describe('buildPlan: recovery in place', () => {
  const recovered = (upn: string, sam: string | null, dn: string | null, n: number, more = {}) =>
    person('Given', 'Surname', upn, {
      onPremisesSyncEnabled: true,
      onPremisesImmutableId: id(n),
      onPremisesSamAccountName: sam,
      onPremisesDistinguishedName: dn,
      ...more,
    });
  const plan = (users: ReturnType<typeof makeUser>[], s = settings({ recover: true }), dir = directory()) =>
    buildPlan({ users, directory: { ...dir, domainDn: DOMAIN }, settings: s, tenantId: 't', now: NOW, toolVersion: '0' });

  it('lists the old OUs the directory lacks, top-down, on the first entry that needs each (for plan.ldif)', () => {
    const dir = { ...directory(), containers: [`OU=EMEA,${DOMAIN}`] };
    const p = plan(
      [
        recovered('a@contoso.com', 'a1', 'CN=A,OU=Sales,OU=EMEA,OU=Corp,DC=lost,DC=local', 1),
        recovered('b@contoso.com', 'b1', 'CN=B,OU=Sales,OU=EMEA,OU=Corp,DC=lost,DC=local', 2),
        recovered('c@contoso.com', 'c1', 'CN=C,OU=EMEA,DC=lost,DC=local', 3),
      ],
      settings({ recover: true }),
      dir,
    );
    const by = new Map(p.entries.map((e) => [e.userPrincipalName, e.ousToCreate]));
    const first = [...by.entries()].find(([, ous]) => ous !== undefined)!;
    expect(first[1]).toEqual([`OU=Corp,${DOMAIN}`, `OU=EMEA,OU=Corp,${DOMAIN}`, `OU=Sales,OU=EMEA,OU=Corp,${DOMAIN}`]);
    expect([...by.values()].filter((v) => v !== undefined)).toHaveLength(1);
    // OU=EMEA directly under the domain exists: c needs nothing.
    expect(by.get('c@contoso.com')).toBeUndefined();
    // Without the containers read (an offline snapshot): nothing claimed.
    expect(plan([recovered('a@contoso.com', 'a1', 'CN=A,OU=Sales,DC=lost,DC=local', 1)]).entries[0]!.ousToCreate).toBeUndefined();
  });

  it('keeps the old sAMAccountName exactly (case kept), the old CN and the old OU', () => {
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=Doe\\, John,OU=Sales,DC=lost,DC=local', 1)]).entries[0]!;
    expect(e).toMatchObject({
      reason: 'RECOVER_CONSISTENCY_GUID',
      sAMAccountName: 'JDoe',
      cn: 'Doe, John',
      dn: `CN=Doe\\, John,OU=Sales,${DOMAIN}`,
      oldSAMAccountName: 'JDoe',
      oldDn: 'CN=Doe\\, John,OU=Sales,DC=lost,DC=local',
    });
    expect(e.warnings?.map((w) => w.code) ?? []).not.toContain('WARN_RECOVER_RENAMED');
  });

  it('blocks a user whose old sAMAccountName is taken, naming the holder and the fix', () => {
    const dir = directory([adObject({ dn: `CN=Someone,OU=Other,${DOMAIN}`, sAMAccountName: 'jdoe' })]);
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1)], settings({ recover: true }), dir).entries[0]!;
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_RECOVER_NAME_IN_USE' });
    expect(e.message).toContain(`CN=Someone,OU=Other,${DOMAIN}`);
    expect(e.message).toMatch(/onNameTaken.*rename/);
  });

  it('blocks a user whose old DN is taken', () => {
    const dir = directory([adObject({ dn: `CN=John,OU=Sales,${DOMAIN}`, sAMAccountName: 'other' })]);
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1)], settings({ recover: true }), dir).entries[0]!;
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_RECOVER_NAME_IN_USE' });
    expect(e.message).toContain(`old DN CN=John,OU=Sales,${DOMAIN} is held by CN=John,OU=Sales,${DOMAIN}`);
  });

  it('renames only when configured, and says the old name and why', () => {
    const dir = directory([adObject({ dn: `CN=John,OU=Sales,${DOMAIN}`, sAMAccountName: 'jdoe' })]);
    const s = settings({ recover: { onNameTaken: 'rename' } });
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1)], s, dir).entries[0]!;
    expect(e).toMatchObject({ action: 'create', reason: 'RECOVER_CONSISTENCY_GUID', sAMAccountName: 'john.doe', cn: 'John (2)', dn: `CN=John (2),OU=Sales,${DOMAIN}`, oldSAMAccountName: 'JDoe' });
    expect(e.message).toMatch(/Renamed: the old sAMAccountName JDoe is held by CN=John,OU=Sales/);
    expect(e.warnings?.map((w) => w.code)).toContain('WARN_RECOVER_RENAMED');
  });

  it('reports an old name that breaks Windows rules instead of mangling it', () => {
    const e = plan([recovered('long@contoso.com', 'abcdefghij0123456789X', 'CN=Long,OU=A,DC=lost,DC=local', 1)]).entries[0]!;
    expect(e).toMatchObject({ action: 'blocked', reason: 'BLOCKED_RECOVER_INVALID_OLD_NAME' });
    expect(e.message).toMatch(/abcdefghij0123456789X.*21 characters/);
  });

  it('an older Connect (no old names): templates and the target OU, with its own reason code', () => {
    const e = plan([recovered('old.connect@contoso.com', null, null, 1)]).entries[0]!;
    expect(e).toMatchObject({ action: 'create', reason: 'RECOVER_TEMPLATE_FALLBACK', sAMAccountName: 'old.connect' });
    expect(e.dn).toMatch(/,OU=Cloud Users,DC=corp,DC=example,DC=test$/);
    expect(e.message).toMatch(/older Entra Connect/);
  });

  it('two recovered users with the same old name: the first keeps it, the second is blocked', () => {
    const p = plan([recovered('a@contoso.com', 'same', 'CN=A,OU=X,DC=lost,DC=local', 1), recovered('b@contoso.com', 'SAME', 'CN=B,OU=X,DC=lost,DC=local', 2)]);
    expect(p.entries.map((e) => e.reason)).toEqual(['RECOVER_CONSISTENCY_GUID', 'BLOCKED_RECOVER_NAME_IN_USE']);
    expect(p.entries[1]!.message).toContain('a@contoso.com (planned earlier in this plan)');
  });

  it('a new hire planned first never takes a recovered user old name from the templates', () => {
    const hire = person('Jane', 'Roe', 'aaa.jroe@contoso.com', { id: '00000000-0000-4000-8000-00000000aaaa' });
    const old = recovered('zzz@contoso.com', 'aaa.jroe', 'CN=Jane Roe,OU=Cloud Users,DC=lost,DC=local', 1, { displayName: 'Jane Roe' });
    const p = plan([hire, old]);
    expect(p.entries.map((e) => [e.userPrincipalName, e.sAMAccountName, e.cn])).toEqual([
      ['aaa.jroe@contoso.com', 'jane.roe', 'Jane Roe (2)'],
      ['zzz@contoso.com', 'aaa.jroe', 'Jane Roe'],
    ]);
  });

  it('placement target-ou keeps the template behaviour', () => {
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1)], settings({ recover: { placement: 'target-ou' } })).entries[0]!;
    expect(e).toMatchObject({ reason: 'RECOVER_CONSISTENCY_GUID', sAMAccountName: 'john.doe' });
    expect(e.dn).toMatch(/,OU=Cloud Users,DC=corp,DC=example,DC=test$/);
    expect(e.oldSAMAccountName).toBeUndefined();
  });

  it('recover: { enabled: false } is no recovery at all', () => {
    const e = plan([recovered('john.doe@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1)], settings({ recover: { enabled: false } })).entries[0]!;
    expect(e.reason).toBe('SKIP_SYNCED');
  });

  it('managers of recovered users point at the recovered managers', () => {
    const boss = recovered('boss@contoso.com', 'Boss', 'CN=Boss,OU=Mgmt,DC=lost,DC=local', 1);
    const report = recovered('report@contoso.com', 'Rep', 'CN=Rep,OU=Staff,DC=lost,DC=local', 2);
    const p = buildPlan({ users: [report, boss], directory: { ...directory(), domainDn: DOMAIN }, settings: settings({ recover: true }), tenantId: 't', now: NOW, toolVersion: '0', managers: new Map([[report.id, boss.id], [boss.id, null]]) });
    expect(p.entries.find((e) => e.userPrincipalName === 'report@contoso.com')!.managerCloudId).toBe(boss.id);
  });
});
