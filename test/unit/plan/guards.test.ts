import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import type { GraphUser } from '../../../src/graph/user.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import {
  countTakeoverCandidates,
  guardDrift,
  guardUser,
  prepareGuards,
  tenantFindings,
  type GuardPath,
  type SensitiveTargetInfo,
  type TenantGuards,
} from '../../../src/plan/guards.js';
import { REASONS, TENANT_FINDINGS } from '../../../src/plan/reasons.js';
import { NOW, adObject, directory, makeUser, person, settings } from './helpers.js';

const ADMIN = 'aaaaaaaa-0000-4000-8000-000000000001';
const ELIGIBLE = 'aaaaaaaa-0000-4000-8000-000000000002';
const PREV = 'aaaaaaaa-0000-4000-8000-000000000003';
const GUID_ID = guidToImmutableId('bcd2e574-8d58-4136-a9df-8a19b145db79');

const READ: ReadonlyMap<string, string | null> = new Map([[PREV, '11111111-2222-3333-4444-555555555555']]);
const REPORTS_READER = '4a5d8f65-41da-4de4-8968-e035b65339cf';
const TEAMS_ADMIN = '69091246-20e8-4a56-aa4d-066075b2a7a8';
const PAA = '7be44c8a-adaf-4e2a-84d6-ab2649e08a13';
const GA = '62e90394-69f5-4237-9190-012177145e10';

/** The sensitive-write rows of user PREV. */
function sensitiveOf(info: Partial<SensitiveTargetInfo>): TenantGuards['sensitive'] {
  return new Map([[PREV, { roleTemplateIds: [], roleNames: [], roleAssignableGroups: [], restrictedAdministrativeUnits: [], ...info }]]);
}

function guards(overrides: Partial<TenantGuards> = {}): TenantGuards {
  return {
    privileged: new Map([
      [ADMIN.toUpperCase(), { roles: ['Global Administrator'], eligible: false, active: true }],
      [ELIGIBLE, { roles: ['User Administrator'], eligible: true, active: false }],
    ]),
    federatedDomains: new Set(['Fed.Example']),
    syncFeatures: { known: true, features: { blockCloudObjectTakeoverThroughHardMatchEnabled: false, blockSoftMatchEnabled: false } },
    initialDomain: 'contoso.onmicrosoft.com',
    ...overrides,
  };
}

describe('guardUser', () => {
  const cases: Array<[string, Partial<GraphUser>, GuardPath, Partial<TenantGuards>, string | undefined, RegExp?]> = [
    ['active privileged role (id compared case-insensitively)', { id: ADMIN }, 'create', {}, 'BLOCKED_PRIVILEGED_ROLE', /Global Administrator \(active\).*InvalidHardMatch.*Existing Admin Role Conflict.*remove the role.*learn\.microsoft\.com/s],
    ['PIM-eligible only', { id: ELIGIBLE }, 'create', {}, 'BLOCKED_PRIVILEGED_ROLE', /User Administrator \(PIM-eligible\).*and the PIM eligibility/],
    ['privileged, recovering a still-synced user: not cloud-managed, not concerned', { id: ADMIN, onPremisesSyncEnabled: true }, 'recover', {}, undefined],
    ['privileged, recovering a user converted to cloud-managed', { id: ADMIN, onPremisesSyncEnabled: false }, 'recover', {}, 'BLOCKED_PRIVILEGED_ROLE'],
    ['onPremisesObjectIdentifier read', { id: PREV }, 'create', { objectIdentifiers: READ }, 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', /11111111-2222-3333-4444-555555555555.*July 2026.*tshoot-clear-on-premises-attributes.*--recover/s],
    ['onPremisesObjectIdentifier on the user, nothing read', { onPremisesObjectIdentifier: 'x-1' }, 'create', { objectIdentifiers: undefined }, 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT'],
    ['the read value wins over a stale property', { id: PREV, onPremisesObjectIdentifier: null }, 'create', { objectIdentifiers: new Map([[PREV, null]]) }, undefined],
    ['previously synced but on the recovery path', { id: PREV }, 'recover', { objectIdentifiers: READ }, undefined],
    ['identifier read for others, not returned for this user: unknown, blocked', { id: ELIGIBLE.replace(/.$/, '9') }, 'create', { objectIdentifiers: READ }, 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN', /did not return this user.*--allow-unknown-object-identifier/s],
    ['identifier unreadable: unknown, never "not set", even with no other trace', {}, 'create', { objectIdentifiersUnknown: 'HTTP 403' }, 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN', /unknown \(HTTP 403\)/],
    ['identifier unreadable, the admin allowed it', {}, 'create', { objectIdentifiersUnknown: 'HTTP 403', allowUnknownObjectIdentifier: true }, undefined],
    ['identifier unreadable, recovery path (no cloud write): not concerned', {}, 'recover', { objectIdentifiersUnknown: 'HTTP 403' }, undefined],
    ['identifier set, the tenant bypass on: not blocked', { id: PREV }, 'create', { objectIdentifiers: READ, syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: true } } }, undefined],
    ['identifier set, the tenant bypass off: blocked', { id: PREV }, 'create', { objectIdentifiers: READ, syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: false } } }, 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT'],
    ['identifier set, features unknown: the bypass never counts', { id: PREV }, 'create', { objectIdentifiers: READ, syncFeatures: { known: false, reason: 'FORBIDDEN' } }, 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT'],
    ['identifier unknown, the tenant bypass on: not blocked', {}, 'create', { objectIdentifiersUnknown: 'HTTP 403', syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: true } } }, undefined],
    ['identifier set wins over "allowed unknown"', { id: PREV }, 'create', { objectIdentifiers: READ, allowUnknownObjectIdentifier: true }, 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT'],
    ['federated domain', { userPrincipalName: 'ann@fed.example' }, 'create', {}, 'BLOCKED_FEDERATED_DOMAIN', /fed\.example.*ann@contoso\.onmicrosoft\.com.*--recover.*not implemented/s],
    ['subdomain of a federated domain', { userPrincipalName: 'ann@eu.FED.example' }, 'create', {}, 'BLOCKED_FEDERATED_DOMAIN'],
    ['federated, recovery path (no cloud write)', { userPrincipalName: 'ann@fed.example' }, 'recover', {}, undefined],
    ['managed domain, nothing else', { userPrincipalName: 'ann@contoso.com' }, 'create', {}, undefined],
    ['privileged AND federated: the role is named first', { id: ADMIN, userPrincipalName: 'boss@fed.example' }, 'create', {}, 'BLOCKED_PRIVILEGED_ROLE'],
    ['sensitive write: a role every column covers (Reports Reader)', { id: PREV }, 'create', { sensitive: sensitiveOf({ roleTemplateIds: [REPORTS_READER] }) }, undefined],
    ['sensitive write: another role (Teams Administrator)', { id: PREV }, 'create', { sensitive: sensitiveOf({ roleTemplateIds: [TEAMS_ADMIN], roleNames: ['Teams Administrator'] }) }, 'BLOCKED_SENSITIVE_ADMIN_ROLE', /Teams Administrator.*User\.ReadWrite\.All alone.*403.*who-can-perform-sensitive-actions/s],
    ['sensitive write: the app holds Privileged Authentication Administrator', { id: PREV }, 'create', { sensitive: sensitiveOf({ roleTemplateIds: [TEAMS_ADMIN] }), writerRoleTemplateIds: [PAA] }, undefined],
    ['sensitive write: member or owner of a role-assignable group', { id: PREV.toUpperCase() }, 'create', { sensitive: sensitiveOf({ roleAssignableGroups: ['Tier 0'] }) }, 'BLOCKED_ROLE_ASSIGNABLE_GROUP', /Tier 0.*Privileged Authentication Administrator/s],
    ['sensitive write: restricted management unit, even for a Global Administrator app', { id: PREV }, 'create', { sensitive: sensitiveOf({ restrictedAdministrativeUnits: ['Execs'] }), writerRoleTemplateIds: [GA] }, 'BLOCKED_RESTRICTED_ADMIN_UNIT', /Execs.*admin-units-restricted-management/s],
    ['sensitive write: recovery path writes nothing to the cloud', { id: PREV }, 'recover', { sensitive: sensitiveOf({ restrictedAdministrativeUnits: ['Execs'] }) }, undefined],
    ['sensitive write: checked before the identifier', { id: PREV }, 'create', { objectIdentifiers: READ, sensitive: sensitiveOf({ roleAssignableGroups: ['Tier 0'] }) }, 'BLOCKED_ROLE_ASSIGNABLE_GROUP'],
  ];
  it.each(cases)('%s', (_name, user, path, overrides, reason, message) => {
    const block = guardUser(makeUser(user), path, prepareGuards(guards(overrides)));
    expect(block?.reason).toBe(reason);
    if (reason) expect(REASONS[reason as keyof typeof REASONS]).toBe('blocked');
    if (message) expect(block?.message).toMatch(message);
  });
});

describe('tenantFindings', () => {
  const cases: Array<[string, Partial<TenantGuards>, number, string[], string | undefined]> = [
    ['nothing to say', {}, 3, [], undefined],
    ['takeover blocked with users to anchor: STOP', { syncFeatures: { known: true, id: 'sync-1', features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } } }, 2, ['STOP_HARD_MATCH_TAKEOVER_BLOCKED'], 'STOP_HARD_MATCH_TAKEOVER_BLOCKED'],
    ['takeover blocked, nobody cloud-managed to anchor: a note', { syncFeatures: { known: true, features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } } }, 0, ['NOTE_HARD_MATCH_TAKEOVER_BLOCKED'], undefined],
    ['soft match blocked: a note', { syncFeatures: { known: true, features: { blockSoftMatchEnabled: true } } }, 1, ['NOTE_SOFT_MATCH_BLOCKED'], undefined],
    ['403: a warning, no stop', { syncFeatures: { known: false, reason: 'FORBIDDEN', message: 'Authorization_RequestDenied' } }, 5, ['WARN_SYNC_FEATURES_UNKNOWN'], undefined],
    ['password hash sync (Graph name)', { syncFeatures: { known: true, features: { passwordSyncEnabled: true } } }, 1, ['WARN_PASSWORD_HASH_SYNC'], undefined],
    ['password hash sync (MSOnline name)', { syncFeatures: { known: true, features: { passwordSync: true } } }, 1, ['WARN_PASSWORD_HASH_SYNC'], undefined],
    ['gaps', { gaps: ['PIM eligibilities could not be read'] }, 1, ['WARN_GUARDS_INCOMPLETE'], undefined],
  ];
  it.each(cases)('%s', (_name, overrides, candidates, codes, stop) => {
    const findings = tenantFindings(guards(overrides), candidates);
    expect(findings.map((f) => f.code)).toEqual(codes);
    for (const f of findings) expect(f.level).toBe(TENANT_FINDINGS[f.code as keyof typeof TENANT_FINDINGS]);
    expect(findings.find((f) => f.level === 'stop')?.code).toBe(stop);
  });

  it('the stop names the setting and both ways to turn it off for the window', () => {
    const [stop] = tenantFindings(guards({ syncFeatures: { known: true, id: 'sync-1', features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } } }), 1);
    expect(stop!.message).toMatch(/blockCloudObjectTakeoverThroughHardMatchEnabled/);
    expect(stop!.message).toMatch(/Update-MgDirectoryOnPremiseSynchronization -OnPremisesDirectorySynchronizationId sync-1/);
    expect(stop!.message).toMatch(/PATCH \/directory\/onPremisesSynchronization\/sync-1/);
    expect(stop!.message).toMatch(/turns it back on/);
  });
});

describe('buildPlan with guards', () => {
  const plan = (users: GraphUser[], g: TenantGuards | undefined, opts: { recover?: boolean; dir?: ReturnType<typeof directory> } = {}) =>
    buildPlan({
      users,
      settings: settings({ recover: opts.recover ?? false }),
      tenantId: 't',
      now: NOW,
      toolVersion: '1',
      ...(opts.dir ? { directory: opts.dir } : {}),
      ...(g ? { guards: g } : {}),
    });

  it('without guards nothing changes and the plan carries no findings', () => {
    const p = plan([person('Ann', 'Lee', 'ann@fed.example', { id: ADMIN })], undefined);
    expect(p.entries[0]!.reason).toBe('CREATE_NEW');
    expect(p).not.toHaveProperty('tenantFindings');
    expect(p).not.toHaveProperty('tenantStop');
  });

  it('blocked beats adopt', () => {
    const dir = directory([adObject({ dn: 'CN=Boss,OU=S,DC=corp,DC=example,DC=test', userPrincipalName: 'boss@contoso.com', sAMAccountName: 'boss' })]);
    const p = plan([person('Boss', 'X', 'boss@contoso.com', { id: ADMIN })], guards(), { dir });
    expect(p.entries[0]).toMatchObject({ action: 'blocked', reason: 'BLOCKED_PRIVILEGED_ROLE' });
    expect(p.entries[0]!.dn).toBeUndefined();
    expect(plan([person('Boss', 'X', 'boss@contoso.com', { id: ADMIN })], undefined, { dir }).entries[0]!.reason).toBe('ADOPT_EXISTING_UPN');
  });

  it('a blocked user takes no name', () => {
    const users = [person('Ann', 'Lee', 'a@fed.example'), person('Ann', 'Lee', 'b@contoso.com')]; // a@ is planned first
    const p = buildPlan({ users, settings: settings({ samTemplates: ['{given}.{surname}'] }), tenantId: 't', now: NOW, toolVersion: '1', guards: guards() });
    expect(p.entries.map((e) => [e.userPrincipalName, e.reason, e.sAMAccountName, e.cn])).toEqual([
      ['a@fed.example', 'BLOCKED_FEDERATED_DOMAIN', undefined, undefined],
      ['b@contoso.com', 'CREATE_NEW', 'ann.lee', 'Ann Lee'],
    ]);
  });

  it('keeps the directory rules: primary SMTP elsewhere is still BLOCKED_PROXY_ADDRESS_IN_USE, same UPN still adopted', () => {
    const dir = directory([
      adObject({ dn: 'CN=C,OU=X,DC=corp,DC=example,DC=test', objectClass: ['top', 'contact'], mail: 'shared@contoso.com' }),
      adObject({ dn: 'CN=Bob,OU=S,DC=corp,DC=example,DC=test', userPrincipalName: 'bob@contoso.com', sAMAccountName: 'bob' }),
    ]);
    const p = plan([person('Sam', 'S', 'sam@contoso.com', { mail: 'shared@contoso.com' }), person('Bob', 'B', 'bob@contoso.com')], guards(), { dir });
    expect(p.entries.map((e) => e.reason)).toEqual(['ADOPT_EXISTING_UPN', 'BLOCKED_PROXY_ADDRESS_IN_USE']);
  });

  it('marks the plan tenantStop when takeover is blocked and there is a cloud-managed user to anchor', () => {
    const g = guards({ syncFeatures: { known: true, features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true, passwordSyncEnabled: true } } });
    const p = plan([person('Ann', 'Lee', 'ann@contoso.com')], g);
    expect(p.entries[0]!.action).toBe('create'); // the entries stay reviewable
    expect(p.tenantStop?.code).toBe('STOP_HARD_MATCH_TAKEOVER_BLOCKED');
    expect(p.tenantFindings?.map((f) => f.code)).toEqual(['STOP_HARD_MATCH_TAKEOVER_BLOCKED', 'WARN_PASSWORD_HASH_SYNC']);
  });

  it('recovering still-synced users is not stopped by the takeover block (they are not cloud-managed)', () => {
    const g = guards({ syncFeatures: { known: true, features: { blockCloudObjectTakeoverThroughHardMatchEnabled: true } } });
    const p = plan([person('Ann', 'Lee', 'ann@contoso.com', { onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID })], g, { recover: true });
    expect(p.entries[0]).toMatchObject({ action: 'create', reason: 'RECOVER_TEMPLATE_FALLBACK', recoverConsistencyGuid: GUID_ID });
    expect(p.tenantStop).toBeUndefined();
    expect(p.tenantFindings?.map((f) => f.code)).toEqual(['NOTE_HARD_MATCH_TAKEOVER_BLOCKED']);
  });

  it('an unreadable tenant is a warning in the plan, never a stop', () => {
    const p = plan([person('Ann', 'Lee', 'ann@contoso.com')], guards({ syncFeatures: { known: false, reason: 'FORBIDDEN' } }));
    expect(p.tenantStop).toBeUndefined();
    expect(p.tenantFindings?.map((f) => f.code)).toEqual(['WARN_SYNC_FEATURES_UNKNOWN']);
  });

  it('recovery keeps its warning for a previously synced object, using the identifier read', () => {
    const p = plan([person('Ann', 'Lee', 'ann@contoso.com', { id: PREV, onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID })], guards({ objectIdentifiers: READ }), { recover: true });
    expect(p.entries[0]!.reason).toBe('RECOVER_TEMPLATE_FALLBACK');
    expect(p.entries[0]!.warnings?.find((w) => w.code === 'WARN_HARD_MATCH_MAY_BE_BLOCKED')?.message).toMatch(/11111111-2222-3333-4444-555555555555.*--clear-object-identifier/);
  });

  it('recovery of a cloud-managed user (isCloudManaged true) is blocked with how to hand it back; recover.cloudManaged "recover" plans it with a warning', () => {
    const ann = person('Ann', 'Lee', 'ann@contoso.com', { id: PREV, onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID });
    const g = guards({ cloudManaged: new Map([[PREV.toUpperCase(), true]]) });
    const blocked = plan([ann], g, { recover: true }).entries[0]!;
    expect(blocked).toMatchObject({ action: 'blocked', reason: 'BLOCKED_RECOVER_CLOUD_MANAGED' });
    expect(blocked.message).toMatch(/blocks updates from on-premises AD.*isCloudManaged": false.*--recover-cloud-managed/);
    const asked = buildPlan({ users: [ann], settings: settings({ recover: { cloudManaged: 'recover' } }), tenantId: 't', now: NOW, toolVersion: '1', guards: g }).entries[0]!;
    expect(asked.action).toBe('create');
    expect(asked.warnings?.map((w) => w.code)).toContain('WARN_RECOVER_CLOUD_MANAGED');
    // Read false, or not read at all: recovered as usual.
    for (const other of [guards({ cloudManaged: new Map([[PREV, false]]) }), guards()]) expect(plan([ann], other, { recover: true }).entries[0]!.action).toBe('create');
  });

  it('recovery with the tenant bypass on: no clearing needed, said instead of the hard-match warning', () => {
    const g = guards({ objectIdentifiers: READ, syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: true } } });
    const p = plan([person('Ann', 'Lee', 'ann@contoso.com', { id: PREV, onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID })], g, { recover: true });
    const codes = p.entries[0]!.warnings?.map((w) => w.code);
    expect(codes).toContain('WARN_OBJECT_IDENTIFIER_BYPASSED');
    expect(codes).not.toContain('WARN_HARD_MATCH_MAY_BE_BLOCKED');
    expect(p.entries[0]!.warnings?.find((w) => w.code === 'WARN_OBJECT_IDENTIFIER_BYPASSED')?.message).toMatch(/no clearing is needed/);
  });
});

describe('recovery population (synced users after losing the DC)', () => {
  const recover = (users: GraphUser[], dir?: ReturnType<typeof directory>) =>
    buildPlan({ users, settings: settings({ recover: true }), tenantId: 't', now: NOW, toolVersion: '1', ...(dir ? { directory: dir } : {}) }).entries;

  it.each([
    ['synced with a GUID immutableId', { onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID }, 'RECOVER_TEMPLATE_FALLBACK'],
    ['synced with a non-GUID immutableId', { onPremisesSyncEnabled: true, onPremisesImmutableId: 'ann@contoso.com' }, 'BLOCKED_RECOVER_NOT_GUID'],
    ['synced without any immutableId (nothing to recover)', { onPremisesSyncEnabled: true }, 'SKIP_SYNCED'],
    ['previously synced without immutableId', { onPremisesSyncEnabled: false }, 'BLOCKED_RECOVER_NO_IMMUTABLE_ID'],
  ] as const)('%s -> %s', (_name, overrides, reason) => {
    expect(recover([person('Ann', 'Lee', 'ann@contoso.com', overrides)])[0]!.reason).toBe(reason);
  });

  it('BLOCKED_RECOVER_NOT_GUID says what would be needed', () => {
    const [e] = recover([person('Ann', 'Lee', 'ann@contoso.com', { onPremisesSyncEnabled: true, onPremisesImmutableId: 'ann@contoso.com' })]);
    expect(e!.message).toMatch(/not base64 of a 16-byte GUID.*create the AD user by hand with that anchor attribute/);
  });

  it('without recover, synced users stay SKIP_SYNCED', () => {
    const p = buildPlan({ users: [person('A', 'B', 'a@contoso.com', { onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID })], settings: settings(), tenantId: 't', now: NOW, toolVersion: '1' });
    expect(p.entries[0]!.reason).toBe('SKIP_SYNCED');
  });

  it('an AD user whose objectGUID is the anchor (ConsistencyGuid empty) is already recovered: Connect falls back to objectGUID', () => {
    const dir = directory([adObject({ dn: 'CN=Ann,OU=S,DC=corp,DC=example,DC=test', userPrincipalName: 'ann@contoso.com', objectGuid: 'bcd2e574-8d58-4136-a9df-8a19b145db79' })]);
    const [e] = recover([person('Ann', 'Lee', 'ann@contoso.com', { onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID })], dir);
    expect(e).toMatchObject({ action: 'adopt', reason: 'ADOPT_ALREADY_RECOVERED', plannedImmutableId: GUID_ID });
  });
});

describe('guardDrift and countTakeoverCandidates (apply with a reviewed plan)', () => {
  it('finds plan users a guard blocks now, skipping done and recovery-exempt ones', () => {
    const admin = person('Boss', 'X', 'boss@contoso.com', { id: ADMIN });
    const ann = person('Ann', 'Lee', 'ann@contoso.com');
    const syncedAdmin = person('Sy', 'N', 'sy@contoso.com', { id: ELIGIBLE, onPremisesSyncEnabled: true, onPremisesImmutableId: GUID_ID });
    const p = buildPlan({ users: [admin, ann], settings: settings(), tenantId: 't', now: NOW, toolVersion: '1' });
    const r = buildPlan({ users: [syncedAdmin], settings: settings({ recover: true }), tenantId: 't', now: NOW, toolVersion: '1' });
    const entries = [...p.entries, ...r.entries];
    const byId = new Map([admin, ann, syncedAdmin].map((u) => [u.id, u]));
    expect(guardDrift(entries, byId, guards()).map((d) => [d.userPrincipalName, d.reason])).toEqual([['boss@contoso.com', 'BLOCKED_PRIVILEGED_ROLE']]);
    expect(guardDrift(entries, byId, guards(), (id) => id === ADMIN)).toEqual([]);
    expect(countTakeoverCandidates(entries, byId)).toBe(2); // boss + ann; the synced recovery is not a takeover
  });

  it('apply re-checks sensitive writes: a user put in a restricted unit since the plan was made is blocked before any write', () => {
    const ann = person('Ann', 'Lee', 'ann@contoso.com', { id: PREV });
    const p = buildPlan({ users: [ann], settings: settings(), tenantId: 't', now: NOW, toolVersion: '1', guards: guards({ objectIdentifiers: new Map([[PREV, null]]) }) });
    expect(p.entries[0]?.reason).toBe('CREATE_NEW');
    const now = guards({ objectIdentifiers: new Map([[PREV, null]]), sensitive: sensitiveOf({ restrictedAdministrativeUnits: ['Execs'] }) });
    expect(guardDrift(p.entries, new Map([[PREV, ann]]), now).map((d) => d.reason)).toEqual(['BLOCKED_RESTRICTED_ADMIN_UNIT']);
  });
});

it('every new reason is a blocked reason', () => {
  for (const r of ['BLOCKED_PRIVILEGED_ROLE', 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', 'BLOCKED_OBJECT_IDENTIFIER_UNKNOWN', 'BLOCKED_FEDERATED_DOMAIN'] as const) expect(REASONS[r]).toBe('blocked');
  expect(makeUser().onPremisesSyncEnabled).toBeNull();
});

it('a user planned under the tenant bypass carries WARN_OBJECT_IDENTIFIER_BYPASSED', () => {
  const g = guards({ objectIdentifiers: READ, syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: true } } });
  const p = buildPlan({ users: [makeUser({ id: PREV, userPrincipalName: 'prev@contoso.com' })], settings: settings(), tenantId: 't', now: NOW, toolVersion: '1', guards: g });
  expect(p.entries[0]!.action).toBe('create');
  expect(p.entries[0]!.warnings?.map((w) => w.code)).toContain('WARN_OBJECT_IDENTIFIER_BYPASSED');
});

