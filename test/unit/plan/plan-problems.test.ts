/**
 * planProblems: a plan read back may ask only for what the planner produces. Each kind
 * of edit (with the fingerprints recomputed, as an editor would) is named by entry and field;
 * every plan the planner makes, recovery in place with a dnMap included, has none.
 */
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { entryFingerprint } from '../../../src/plan/fingerprint.js';
import { planProblems } from '../../../src/plan/plan-problems.js';
import type { Plan, PlanEntry } from '../../../src/plan/types.js';
import { samplePlan } from '../report/fixtures.js';
import { NOW, TARGET_OU, directory, person, settings } from './helpers.js';

const DOMAIN = 'DC=corp,DC=example,DC=test';
const id = (n: number) => guidToImmutableId(`bcd2e574-8d58-4136-a9df-${n.toString(16).padStart(12, '0')}`);

/** A recovery-in-place plan: one user moved by a dnMap entry, one by the base DN, one fresh create. */
function recoveryPlan(): Plan {
  const recovered = (upn: string, sam: string, dn: string, n: number) =>
    person('Given', 'Surname', upn, { onPremisesSyncEnabled: true, onPremisesImmutableId: id(n), onPremisesSamAccountName: sam, onPremisesDistinguishedName: dn });
  return buildPlan({
    users: [
      recovered('john@contoso.com', 'JDoe', 'CN=John,OU=Sales,DC=lost,DC=local', 1),
      recovered('ann@contoso.com', 'ann', 'CN=Ann,OU=HR,OU=Old,DC=lost,DC=local', 2),
      person('New', 'Person', 'new@contoso.com'),
    ],
    directory: { ...directory(), domainDn: DOMAIN },
    settings: settings({ recover: { dnMap: { [`OU=Old,DC=lost,DC=local`]: `OU=Restored,${DOMAIN}` } } }),
    tenantId: 't',
    now: NOW,
    toolVersion: '0',
  });
}

const firstCreate = (plan: Plan): PlanEntry => plan.entries.find((e) => e.action === 'create' && e.recoverConsistencyGuid === undefined)!;
const firstAdopt = (plan: Plan): PlanEntry => plan.entries.find((e) => e.action === 'adopt')!;
/** Edit an entry as an editor would: the fingerprint recomputed, so only planProblems can catch it. */
const edit = (plan: Plan, entry: PlanEntry, change: (e: PlanEntry) => void): void => {
  change(entry);
  entry.fingerprint = entryFingerprint(entry);
  void plan;
};

describe('planProblems', () => {
  it('finds none in what the planner makes (every action, recovery in place with and without dnMap)', () => {
    expect(planProblems(samplePlan())).toEqual([]);
    const plan = recoveryPlan();
    expect(plan.entries.map((e) => e.dn)).toEqual([`CN=Ann,OU=HR,OU=Restored,${DOMAIN}`, `CN=John,OU=Sales,${DOMAIN}`, expect.stringContaining(TARGET_OU)]);
    expect(planProblems(plan)).toEqual([]);
  });

  it.each<[string, (e: PlanEntry) => void, string, RegExp]>([
    ['a DN outside the target OU', (e) => (e.dn = `CN=${e.cn},OU=Domain Controllers,${DOMAIN}`), 'dn', /not directly under the target OU/],
    ['a DN below the target OU, not directly under it', (e) => (e.dn = `CN=${e.cn},OU=Deeper,${TARGET_OU}`), 'dn', /not directly under the target OU/],
    ['a DN in another domain', (e) => (e.dn = `CN=${e.cn},OU=Cloud Users,DC=other,DC=test`), 'dn', /outside the plan's domain/],
    ["a DN whose RDN disagrees with cn", (e) => (e.dn = `CN=Administrator,${TARGET_OU}`), 'dn', /differs from the entry's cn/],
    ['a DN naming the user by OU=', (e) => (e.dn = `OU=${e.cn},${TARGET_OU}`), 'dn', /not CN=/],
    ['servicePrincipalName added', (e) => (e.attributes!['servicePrincipalName'] = 'HTTP/evil'), 'attributes.servicePrincipalName', /never writes it/],
    ['adminCount added', (e) => (e.attributes!['adminCount'] = '1'), 'attributes.adminCount', /never writes it/],
    ['an attribute outside the map', (e) => (e.attributes!['info'] = 'x'), 'attributes.info', /not in the plan's attribute map/],
    ['a reserved attribute', (e) => (e.attributes!['primaryGroupID'] = '512'), 'attributes.primaryGroupID', /set by entra2ad itself/],
    ['a UPN attribute that differs from the entry', (e) => (e.attributes!['userPrincipalName'] = 'admin@contoso.com'), 'attributes.userPrincipalName', /differs from the entry's userPrincipalName/],
    ['userAccountControl with TRUSTED_FOR_DELEGATION', (e) => (e.userAccountControl = 0x80000 | 512), 'userAccountControl', /not one the planner writes/],
    ['userAccountControl with DONT_EXPIRE_PASSWORD', (e) => (e.userAccountControl = 66048), 'userAccountControl', /not one the planner writes/],
    ['an enabled account without a password', (e) => ((e.passwordMode = 'none'), (e.userAccountControl = 512)), 'userAccountControl', /stays disabled/],
    ['a sAMAccountName breaking Windows rules', (e) => (e.sAMAccountName = 'a*b'), 'sAMAccountName', /forbidden character/],
    ['an old DN on a create that is not a recovery', (e) => (e.oldDn = 'CN=x,OU=A,DC=lost,DC=local'), 'oldDn', /placement old-ou/],
    ['a planned anchor on a create', (e) => (e.plannedImmutableId = id(9)), 'plannedImmutableId', /no existing object/],
  ])('a create with %s is named by user and field', (_name, change, field, message) => {
    const plan = samplePlan();
    const entry = firstCreate(plan);
    edit(plan, entry, change);
    const problems = planProblems(plan);
    expect(problems).toContainEqual({ index: plan.entries.indexOf(entry), user: entry.userPrincipalName, field, message: expect.stringMatching(message) });
  });

  it.each<[string, (e: PlanEntry) => void, string]>([
    ['a GUID that is not one', (e) => (e.existingObjectGuid = 'not-a-guid'), 'existingObjectGuid'],
    ['a planned immutableId that is not 16 bytes', (e) => (e.plannedImmutableId = 'QUJD'), 'plannedImmutableId'],
    ['attributes to write', (e) => (e.attributes = { description: 'x' }), 'attributes'],
    ['a DN in another domain', (e) => (e.dn = 'CN=Administrator,CN=Users,DC=other,DC=test'), 'dn'],
  ])('an adopt with %s is named', (_name, change, field) => {
    const plan = samplePlan();
    const entry = firstAdopt(plan);
    edit(plan, entry, change);
    expect(planProblems(plan).map((p) => [p.user, p.field])).toContainEqual([entry.userPrincipalName, field]);
  });

  it("recovery in place: the DN must be under the old DN's parent as the plan's dnMap moves it", () => {
    const plan = recoveryPlan();
    const ann = plan.entries[0]!;
    edit(plan, ann, (e) => (e.dn = `CN=Ann,${TARGET_OU}`));
    expect(planProblems(plan)).toEqual([{ index: 0, user: 'ann@contoso.com', field: 'dn', message: expect.stringMatching(/not directly under OU=HR,OU=Restored,DC=corp/) }]);

    // The old DN edited to move the user elsewhere: the DN no longer follows from it.
    const other = recoveryPlan();
    edit(other, other.entries[1]!, (e) => (e.oldDn = 'CN=John,OU=Domain Controllers,DC=lost,DC=local'));
    expect(planProblems(other).map((p) => p.field)).toEqual(['dn']);

    // The dnMap edited (head): a recovery entry under the old map no longer matches.
    const mapped = recoveryPlan();
    mapped.recover = { placement: 'old-ou', dnMap: { 'OU=Old,DC=lost,DC=local': `OU=Elsewhere,${DOMAIN}` } };
    expect(planProblems(mapped).map((p) => [p.user, p.field])).toEqual([['ann@contoso.com', 'dn']]);

    // Recovery with placement target-ou does not allow an old DN.
    const target = recoveryPlan();
    target.recover = { placement: 'target-ou', dnMap: {} };
    expect(planProblems(target).map((p) => p.field)).toEqual(['oldDn', 'oldDn']);
  });

  it('a recovery stamp must be the cloud immutableId', () => {
    const plan = recoveryPlan();
    edit(plan, plan.entries[1]!, (e) => (e.recoverConsistencyGuid = id(7)));
    expect(planProblems(plan).map((p) => [p.user, p.field])).toEqual([['john@contoso.com', 'recoverConsistencyGuid']]);
  });

  it.each<[string, (copy: PlanEntry) => void, string]>([
    ['the same entry twice', () => undefined, 'cloudId'],
    ['another cloud id, same UPN', (c) => (c.cloudId = 'other-id'), 'userPrincipalName'],
    ['same DN', (c) => ((c.cloudId = 'other-id'), (c.userPrincipalName = 'other@contoso.com'), (c.sAMAccountName = 'other')), 'dn'],
    [
      'same sAMAccountName in another case',
      (c) => ((c.cloudId = 'other-id'), (c.userPrincipalName = 'other@contoso.com'), (c.cn = 'Other'), (c.dn = `CN=Other,${TARGET_OU}`), (c.attributes!['userPrincipalName'] = 'other@contoso.com'), (c.sAMAccountName = c.sAMAccountName!.toUpperCase())),
      'sAMAccountName',
    ],
  ])('duplicates: %s is named on the second copy', (_name, change, field) => {
    const plan = samplePlan();
    const entry = firstCreate(plan);
    const copy = structuredClone(entry);
    change(copy);
    copy.fingerprint = entryFingerprint(copy);
    plan.entries.push(copy);
    const problems = planProblems(plan);
    expect(problems.map((p) => [p.index, p.field])).toContainEqual([plan.entries.length - 1, field]);
    expect(problems.every((p) => p.index === plan.entries.length - 1)).toBe(true);
  });

  it('entries that write nothing may repeat an id or UPN (BLOCKED_DUPLICATE_INPUT)', () => {
    const users = [person('A', 'B', 'dup@contoso.com'), person('A', 'B', 'dup@contoso.com', { id: 'another-id' })];
    const plan = buildPlan({ users, directory: directory(), settings: settings(), tenantId: 't', now: NOW, toolVersion: '0' });
    expect(plan.entries.map((e) => e.reason).sort()).toEqual(['BLOCKED_DUPLICATE_INPUT', 'CREATE_NEW']);
    expect(planProblems(plan)).toEqual([]);
  });
});
