import { describe, expect, it } from 'vitest';
import { editedEntries, entryFingerprint } from '../../../src/plan/fingerprint.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { samplePlan } from '../report/fixtures.js';

/** A create entry with every field apply acts on. */
const entry = (): PlanEntry => {
  const e = samplePlan().entries.find((x) => x.action === 'create' && x.attributes && x.userAccountControl !== undefined)!;
  return { ...structuredClone(e), managerCloudId: 'mgr-1', plannedImmutableId: 'AAAAAAAAAAAAAAAAAAAAAA==', existingObjectGuid: 'g', recoverConsistencyGuid: 'r' };
};

describe('entryFingerprint', () => {
  it('is the same in memory and read back from JSON (key order, absent fields)', () => {
    const e = entry();
    const reordered = Object.fromEntries(Object.entries(JSON.parse(JSON.stringify(e)) as object).reverse()) as PlanEntry;
    expect(entryFingerprint(reordered)).toBe(entryFingerprint(e));
    expect(entryFingerprint({ ...e, sAMAccountName: undefined } as PlanEntry)).toBe(entryFingerprint(JSON.parse(JSON.stringify({ ...e, sAMAccountName: undefined })) as PlanEntry));
    expect(entryFingerprint({ ...e, fingerprint: 'anything' })).toBe(entryFingerprint(e));
    const attributes = Object.fromEntries(Object.entries(e.attributes!).reverse());
    expect(entryFingerprint({ ...e, attributes })).toBe(entryFingerprint(e));
  });

  // Every field, one edit each: none may slip past the check. Typed by PlanEntry's keys, so a new field
  // does not compile until it has an edit here.
  const edits: Record<Exclude<keyof PlanEntry, 'fingerprint'>, (e: PlanEntry) => void> = {
    cloudId: (e) => (e.cloudId += 'x'),
    userPrincipalName: (e) => (e.userPrincipalName = `x${e.userPrincipalName}`),
    displayName: (e) => (e.displayName = 'other'),
    action: (e) => (e.action = 'adopt'),
    reason: (e) => (e.reason = 'ADOPT_EXISTING_UPN'),
    message: (e) => (e.message += '.'),
    sAMAccountName: (e) => (e.sAMAccountName = 'administrator'),
    cn: (e) => (e.cn = 'other'),
    dn: (e) => (e.dn = 'CN=x,OU=Domain Controllers,DC=corp,DC=example,DC=test'),
    oldSAMAccountName: (e) => (e.oldSAMAccountName = 'jdoe'),
    oldDn: (e) => (e.oldDn = 'CN=x,DC=lost,DC=local'),
    attributes: (e) => (e.attributes!['adminCount'] = '1'),
    userAccountControl: (e) => (e.userAccountControl = 66048),
    mustChangePassword: (e) => (e.mustChangePassword = !e.mustChangePassword),
    passwordMode: (e) => (e.passwordMode = e.passwordMode === 'none' ? 'random' : 'none'),
    ousToCreate: (e) => (e.ousToCreate = [...(e.ousToCreate ?? []), 'OU=Extra,DC=corp,DC=example,DC=test']),
    managerCloudId: (e) => (e.managerCloudId = 'mgr-2'),
    existingObjectGuid: (e) => (e.existingObjectGuid = 'h'),
    plannedImmutableId: (e) => (e.plannedImmutableId = 'BBBBBBBBBBBBBBBBBBBBBB=='),
    currentImmutableId: (e) => (e.currentImmutableId = 'x'),
    recoverConsistencyGuid: (e) => (e.recoverConsistencyGuid = 's'),
    cloud: (e) => (e.cloud = { ...e.cloud!, department: 'other' }),
    warnings: (e) => (e.warnings = [{ code: 'WARN_X', message: 'x' }]),
    exchange: (e) => (e.exchange = { mailbox: 'shared', stamp: ['mail'], notInSchema: [] }),
  };
  it.each(Object.entries(edits))('changes when %s is edited', (_field, edit) => {
    const e = entry();
    const before = entryFingerprint(e);
    edit(e);
    expect(entryFingerprint(e)).not.toBe(before);
  });

  it.each<[string, (e: PlanEntry) => void]>([
    ['an attribute value', (e) => (e.attributes!['description'] = 'x')],
    ['a value inside a multi-valued attribute', (e) => (e.attributes!['proxyAddresses'] = ['smtp:x@contoso.com'])],
    ['a warning field', (e) => (e.warnings = [{ code: 'WARN_X', field: 'sn', message: 'x' }])],
    ['cloud.accountEnabled', (e) => (e.cloud = { ...e.cloud!, accountEnabled: !e.cloud!.accountEnabled })],
  ])('changes when %s is edited', (_what, edit) => {
    const e = entry();
    const before = entryFingerprint(e);
    edit(e);
    expect(entryFingerprint(e)).not.toBe(before);
  });
});

describe('editedEntries', () => {
  it('names each entry whose fields no longer match, by position and UPN', () => {
    const plan = samplePlan();
    expect(editedEntries(plan.entries)).toEqual([]);
    const [first, , third] = plan.entries;
    first!.sAMAccountName = 'administrator';
    third!.dn = 'CN=x,DC=corp,DC=example,DC=test';
    expect(editedEntries(plan.entries)).toEqual([
      { index: 0, userPrincipalName: first!.userPrincipalName },
      { index: 2, userPrincipalName: third!.userPrincipalName },
    ]);
  });
});
