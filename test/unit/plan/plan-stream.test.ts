import { describe, expect, it } from 'vitest';
import { buildPlan, planStream, type BuildPlanInput } from '../../../src/plan/build-plan.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { NOW, adObject, directory, person, settings } from './helpers.js';

const input = (users: BuildPlanInput['users'], more: Partial<BuildPlanInput> = {}): BuildPlanInput => ({
  users,
  settings: settings(),
  tenantId: 'tenant-1',
  now: NOW,
  toolVersion: '1.2.3',
  ...more,
});

const byUpn = (entries: readonly PlanEntry[], upn: string) => entries.find((e) => e.userPrincipalName === upn)!;

describe('managers given to the planner', () => {
  // Planning order is by UPN: 'amy' is planned before her manager 'zoe'.
  const amy = person('Amy', 'Adams', 'amy@contoso.com');
  const zoe = person('Zoe', 'Zhang', 'zoe@contoso.com');
  const guest = person('Gus', 'Guest', 'gus@contoso.com', { userType: 'Guest' });
  const bea = person('Bea', 'Brown', 'bea@contoso.com');
  const cal = person('Cal', 'Cole', 'cal@contoso.com');
  const dan = person('Dan', 'Dunn', 'dan@contoso.com');
  const eve = person('Eve', 'Evans', 'eve@contoso.com');
  const ada = person('Ada', 'Adopted', 'ada@contoso.com');
  const managers = new Map<string, string | null>([
    [amy.id, zoe.id], // created later in planning order: linked
    [bea.id, guest.id], // skipped (guest): no AD object, warning
    [cal.id, '11111111-2222-4333-8444-555555555555'], // not in the tenant listing: warning
    [dan.id, null], // no manager: nothing
    [eve.id, ada.id], // adopted (an AD user has her UPN): linked
  ]);
  const dir = directory([adObject({ dn: 'CN=Ada Adopted,OU=Old,DC=corp,DC=example,DC=test', userPrincipalName: 'ada@contoso.com', sAMAccountName: 'ada' })]);
  const plan = buildPlan(input([amy, zoe, guest, bea, cal, dan, eve, ada], { managers, directory: dir }));

  it('links a manager that gets an AD object through the plan, whichever comes first', () => {
    expect(byUpn(plan.entries, 'amy@contoso.com').managerCloudId).toBe(zoe.id);
    expect(byUpn(plan.entries, 'eve@contoso.com').managerCloudId).toBe(ada.id);
    expect(byUpn(plan.entries, 'amy@contoso.com').warnings ?? []).not.toContainEqual(expect.objectContaining({ code: 'WARN_MANAGER_NOT_IN_AD' }));
  });

  it('leaves the manager out, with WARN_MANAGER_NOT_IN_AD, when the manager gets no AD object', () => {
    for (const upn of ['bea@contoso.com', 'cal@contoso.com']) {
      const e = byUpn(plan.entries, upn);
      expect(e.managerCloudId).toBeUndefined();
      expect(e.warnings).toContainEqual(expect.objectContaining({ code: 'WARN_MANAGER_NOT_IN_AD' }));
    }
    expect(plan.summary.byWarning?.WARN_MANAGER_NOT_IN_AD).toBe(2);
  });

  it('a user without a manager gets neither a link nor a warning', () => {
    const e = byUpn(plan.entries, 'dan@contoso.com');
    expect(e.managerCloudId).toBeUndefined();
    expect(e.warnings).toBeUndefined();
  });

  it("given managers replace the users' own manager property", () => {
    const withOwn = { ...dan, manager: { id: zoe.id } };
    const p = buildPlan(input([withOwn, zoe], { managers: new Map([[dan.id, null]]) }));
    expect(byUpn(p.entries, 'dan@contoso.com').managerCloudId).toBeUndefined();
    const offline = buildPlan(input([withOwn, zoe]));
    expect(byUpn(offline.entries, 'dan@contoso.com').managerCloudId).toBe(zoe.id);
  });
});

describe('planStream', () => {
  const users = [
    person('Ann', 'Lee', 'ann@contoso.com'),
    person('Ann', 'Lee', 'ann.lee@contoso.com'),
    person('Gus', 'Guest', 'gus@contoso.com', { userType: 'Guest' }),
    person('Bob', 'Stone', 'bob@contoso.com', { onPremisesImmutableId: 'AAAAAAAAAAAAAAAAAAAAAA==' }),
    person(null, null, 'nameless@contoso.com', { displayName: null }),
  ];

  it('yields the entries buildPlan collects, then returns the summary; its action counts are known before the first entry', () => {
    const whole = buildPlan(input(users));
    const stream = planStream(input(users));
    expect(stream.actionCounts).toEqual(whole.summary.byAction);
    const entries: PlanEntry[] = [];
    let step = stream.entries.next();
    for (; !step.done; step = stream.entries.next()) entries.push(step.value);
    expect(entries).toEqual(whole.entries);
    expect(step.value.summary).toEqual(whole.summary);
    const { entries: _e, summary: _s, ...head } = whole;
    expect(stream.head).toEqual(head);
  });
});
