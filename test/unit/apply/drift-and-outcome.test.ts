import { describe, expect, it } from 'vitest';
import type { GraphUser } from '../../../src/graph/user.js';
import type { DirectorySnapshot } from '../../../src/directory/types.js';
import { findDrift } from '../../../src/apply/drift.js';
import { foldJournal } from '../../../src/journal/state.js';
import { exitCodeFor, type UserOutcome } from '../../../src/apply/outcome.js';
import type { PlanEntry } from '../../../src/plan/types.js';
import { createEntry, planOf } from '../../harness/plan-builders.js';

const OU = 'OU=New,DC=corp,DC=example,DC=test';
const entry = (id: string, overrides: Partial<PlanEntry> = {}) => createEntry(id, { ou: OU, upnDomain: 'contoso.example' }, overrides);
const plan = (entries: PlanEntry[]) => planOf(entries, { targetOu: OU, domainDn: 'DC=corp,DC=example,DC=test' });

function cloud(id: string, overrides: Partial<GraphUser> = {}): [string, GraphUser] {
  return [id, { id, userPrincipalName: `${id}@contoso.example`, onPremisesImmutableId: null, onPremisesSyncEnabled: null, ...overrides } as GraphUser];
}

const emptyDirectory: DirectorySnapshot = { domainDn: 'DC=corp,DC=example,DC=test', targetOu: OU, targetOuExists: true, objects: [], cnsInTargetOu: [] };

describe('findDrift', () => {
  it('accepts an unchanged world', () => {
    expect(findDrift(plan([entry('a')]), new Map([cloud('a')]), emptyDirectory, foldJournal([]))).toEqual([]);
  });

  it('names every user whose inputs changed, with the reason', () => {
    const p = plan([entry('gone'), entry('renamed'), entry('anchored'), entry('synced'), entry('taken'), entry('skip', { action: 'skip' })]);
    const users = new Map([
      cloud('renamed', { userPrincipalName: 'other@contoso.example' }),
      cloud('anchored', { onPremisesImmutableId: 'AAAA' }),
      cloud('synced', { onPremisesSyncEnabled: true }),
      cloud('taken'),
    ]);
    const directory: DirectorySnapshot = {
      ...emptyDirectory,
      objects: [{ dn: 'CN=x,DC=corp', objectClass: ['user'], sAMAccountName: 'TAKEN', proxyAddresses: [], objectGuid: 'g' }],
    };
    const drift = findDrift(p, users, directory, foldJournal([]));
    expect(drift.map((d) => [d.cloudId, d.reason])).toEqual([
      ['gone', 'CLOUD_USER_GONE'],
      ['renamed', 'UPN_CHANGED'],
      ['anchored', 'IMMUTABLE_ID_CHANGED'],
      ['synced', 'NOW_SYNCED'],
      ['taken', 'NAME_TAKEN'],
    ]);
  });

  it('does not mistake this run\'s own objects and writes for drift (resume)', () => {
    const at = '';
    const state = foldJournal([
      { kind: 'create-start', at, cloudId: 'a', dn: `CN=a,${OU}` },
      { kind: 'anchor-start', at, cloudId: 'a', immutableId: 'OUR+ID==' },
      { kind: 'anchored', at, cloudId: 'b', immutableId: 'B', outcome: 'written' },
    ]);
    const directory: DirectorySnapshot = {
      ...emptyDirectory,
      objects: [
        { dn: `CN=a,${OU}`, objectClass: ['user'], sAMAccountName: 'a', userPrincipalName: 'a@contoso.example', proxyAddresses: [], objectGuid: 'ga' },
        { dn: `CN=b,${OU}`, objectClass: ['user'], sAMAccountName: 'b', userPrincipalName: 'b@contoso.example', proxyAddresses: [], objectGuid: 'gb' },
      ],
      cnsInTargetOu: ['a', 'b'],
    };
    const users = new Map([cloud('a', { onPremisesImmutableId: 'OUR+ID==' }), cloud('b', { onPremisesImmutableId: 'B' })]);
    expect(findDrift(plan([entry('a'), entry('b')]), users, directory, state)).toEqual([]);
  });

  it('flags an adopt whose AD object was replaced', () => {
    const p = plan([entry('a', { action: 'adopt', existingObjectGuid: 'old' })]);
    const directory: DirectorySnapshot = {
      ...emptyDirectory,
      objects: [{ dn: 'CN=a,DC=corp', objectClass: ['user'], userPrincipalName: 'a@contoso.example', proxyAddresses: [], objectGuid: 'new' }],
    };
    expect(findDrift(p, new Map([cloud('a')]), directory, foldJournal([])).map((d) => d.reason)).toEqual(['ADOPT_TARGET_CHANGED']);
  });
});

describe('findDrift: a name is taken as the planner means it (src/plan/directory-index.ts)', () => {
  const OLD = 'OU=Sales,DC=corp,DC=example,DC=test';
  const object = (more: Partial<DirectorySnapshot['objects'][number]> & { dn: string }) => ({ objectClass: ['user'], proxyAddresses: [], objectGuid: 'other', ...more });
  const taken = (e: PlanEntry, objects: DirectorySnapshot['objects'], cnsInTargetOu: string[] = []) =>
    findDrift(plan([e]), new Map([cloud(e.cloudId)]), { ...emptyDirectory, objects, cnsInTargetOu }, foldJournal([])).map((d) => d.message);

  it.each<[string, PlanEntry, DirectorySnapshot['objects'], string[], string[]]>([
    ['sAMAccountName, other case', entry('ann'), [object({ dn: `CN=x,${OLD}`, sAMAccountName: 'ANN' })], [], [`sAMAccountName ann is now taken by CN=x,${OLD}`]],
    ['userPrincipalName, other case', entry('ann'), [object({ dn: `CN=x,${OLD}`, userPrincipalName: 'ANN@contoso.example' })], [], [`userPrincipalName is now on CN=x,${OLD}`]],
    ['CN in the target OU, other case', entry('ann', { cn: 'Ann Lee', dn: `CN=Ann Lee,${OU}` }), [], ['ANN LEE'], ['CN "Ann Lee" is now taken in the target OU']],
    ['CN in the target OU, other width (AD compares ignoring it)', entry('ann', { cn: 'Ann Lee', dn: `CN=Ann Lee,${OU}` }), [], ['Ａｎｎ Ｌｅｅ'], ['CN "Ann Lee" is now taken in the target OU']],
    ['DN in an old OU (recovery in place), other escaping', entry('ann', { cn: 'Lee, Ann', dn: `CN=Lee\\, Ann,${OLD}` }), [object({ dn: `cn=lee\\2c ann,${OLD}` })], [], [`the DN CN=Lee\\, Ann,${OLD} is now taken by cn=lee\\2c ann,${OLD}`]],
    ['the same CN under another parent is free', entry('ann', { cn: 'Ann Lee', dn: `CN=Ann Lee,${OU}` }), [object({ dn: `CN=Ann Lee,${OLD}` })], [], []],
  ])('%s', (_name, e, objects, cns, expected) => {
    expect(taken(e, objects, cns)).toEqual(expected);
  });

  it('an adopt whose UPN two objects hold: the first one read is the holder, as in the plan', () => {
    const p = plan([entry('a', { action: 'adopt', existingObjectGuid: 'first' })]);
    const objects = [object({ dn: 'CN=a,DC=corp', userPrincipalName: 'a@contoso.example', objectGuid: 'first' }), object({ dn: 'CN=a2,DC=corp', userPrincipalName: 'a@contoso.example', objectGuid: 'second' })];
    expect(findDrift(p, new Map([cloud('a')]), { ...emptyDirectory, objects }, foldJournal([]))).toEqual([]);
    expect(findDrift(p, new Map([cloud('a')]), { ...emptyDirectory, objects: [...objects].reverse() }, foldJournal([])).map((d) => d.message)).toEqual([
      'the AD user with this UPN is now CN=a2,DC=corp',
    ]);
  });
});

describe('findDrift: protected accounts, checked again at apply', () => {
  const adopt = (warned: boolean) =>
    entry('a', { action: 'adopt', reason: 'ADOPT_EXISTING_UPN', existingObjectGuid: 'g', ...(warned ? { warnings: [{ code: 'WARN_ADOPT_PROTECTED_ACCOUNT', message: '' }] } : {}) });
  const withObject = (more: Partial<DirectorySnapshot['objects'][number]>): DirectorySnapshot => ({
    ...emptyDirectory,
    objects: [{ dn: 'CN=a,CN=Users,DC=corp', objectClass: ['user'], userPrincipalName: 'a@contoso.example', proxyAddresses: [], objectGuid: 'g', ...more }],
  });
  const allowA = new Set(['a@contoso.example']);

  it.each<[string, Partial<DirectorySnapshot['objects'][number]>]>([
    ['adminCount=1 set since the plan', { adminCount: 1 }],
    ['added to Domain Admins through a nested group', { protectedGroups: ['CN=Domain Admins,CN=Users,DC=corp'] }],
    ['primary group Domain Admins', { primaryGroupId: 512 }],
  ])('%s: BLOCKED_PROTECTED_ACCOUNT, even when the config allows it (the plan did not say so)', (_name, more) => {
    const drift = findDrift(plan([adopt(false)]), new Map([cloud('a')]), withObject(more), foldJournal([]), allowA);
    expect(drift.map((d) => d.reason)).toEqual(['BLOCKED_PROTECTED_ACCOUNT']);
    expect(drift[0]!.message).toMatch(/plan\.adoptProtectedUpns/);
  });

  it('a reviewed protected adopt goes ahead only while the config still names the user', () => {
    const directory = withObject({ adminCount: 1 });
    expect(findDrift(plan([adopt(true)]), new Map([cloud('a')]), directory, foldJournal([]), allowA)).toEqual([]);
    expect(findDrift(plan([adopt(true)]), new Map([cloud('a')]), directory, foldJournal([])).map((d) => d.reason)).toEqual(['BLOCKED_PROTECTED_ACCOUNT']);
  });

  it('an ordinary account (adminCount 0, primary group Domain Users) is no drift', () => {
    expect(findDrift(plan([adopt(false)]), new Map([cloud('a')]), withObject({ adminCount: 0, primaryGroupId: 513 }), foldJournal([]))).toEqual([]);
  });
});

describe('exitCodeFor', () => {
  const o = (outcome: UserOutcome['outcome']): UserOutcome => ({ cloudId: outcome, userPrincipalName: '', action: 'create', outcome, reason: '', message: '' });
  it.each([
    [[o('anchored'), o('skipped')], 0],
    [[o('unchanged')], 0],
    [[o('anchored'), o('failed')], 3],
    [[o('failed'), o('skipped')], 1],
    [[], 0],
    // The DC stayed away past the outage limit: resumable, whatever else happened.
    [[o('anchored'), { ...o('failed'), reason: 'DC_UNAVAILABLE' }], 5],
    [[{ ...o('failed'), reason: 'DC_UNAVAILABLE' }], 5],
    [[o('anchored'), { ...o('failed'), reason: 'PASSWORD_POLICY' }, { ...o('failed'), reason: 'DC_UNAVAILABLE' }], 5],
  ] as const)('%j -> %d', (outcomes, code) => {
    expect(exitCodeFor(outcomes)).toBe(code);
  });
});

describe('findDrift and the recovery path', () => {
  it('does not call a recovery entry stale because its user is synced', () => {
    const p = plan([entry('r', { reason: 'RECOVER_CONSISTENCY_GUID', recoverConsistencyGuid: '1wfM9xV8fUSHbcAbDlqeOA==', currentImmutableId: '1wfM9xV8fUSHbcAbDlqeOA==' }), entry('c')]);
    const users = new Map([
      cloud('r', { onPremisesSyncEnabled: true, onPremisesImmutableId: '1wfM9xV8fUSHbcAbDlqeOA==' }),
      cloud('c', { onPremisesSyncEnabled: true }),
    ]);
    expect(findDrift(p, users, emptyDirectory, foldJournal([])).map((d) => [d.cloudId, d.reason])).toEqual([['c', 'NOW_SYNCED']]);
  });
});
