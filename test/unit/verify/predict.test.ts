import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import type { GraphUser } from '../../../src/graph/user.js';
import type { DirectoryObject } from '../../../src/directory/types.js';
import type { TenantGuards } from '../../../src/plan/guards.js';
import { predictSync, verifyToCsv, verifyToText, VERIFY_REASONS, type SourceAnchor } from '../../../src/verify/index.js';
import { adObject, makeUser } from '../plan/helpers.js';

const G1 = 'bcd2e574-8d58-4136-a9df-8a19b145db79';
const G2 = 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38';
const G3 = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ID1 = guidToImmutableId(G1);
const ID2 = guidToImmutableId(G2);
const ID3 = guidToImmutableId(G3);
const CLOUD = 'cccccccc-0000-4000-8000-000000000001';
const OU = 'OU=Cloud Users,DC=corp,DC=example,DC=test';

const ad = (o: Partial<DirectoryObject> = {}): DirectoryObject =>
  adObject({ dn: `CN=Ann,${OU}`, userPrincipalName: 'ann@contoso.com', objectGuid: G1, ...o });
const cloud = (u: Partial<GraphUser> = {}): GraphUser => makeUser({ id: CLOUD, userPrincipalName: 'ann@contoso.com', ...u });
const guards = (g: Partial<TenantGuards> = {}): TenantGuards => ({
  privileged: new Map(),
  federatedDomains: new Set(),
  syncFeatures: { known: true, features: { softMatchOnUpnEnabled: true } },
  ...g,
});
const features = (f: Record<string, boolean>) => guards({ syncFeatures: { known: true, features: { softMatchOnUpnEnabled: true, ...f } } });

type Case = [name: string, adObj: Partial<DirectoryObject>, cloudUser: Partial<GraphUser>, g: TenantGuards | undefined, mode: SourceAnchor, reason: keyof typeof VERIFY_REASONS, message?: RegExp];

const cases: Case[] = [
  ['ConsistencyGuid equals the cloud immutableId', { consistencyGuid: ID2 }, { onPremisesImmutableId: ID2 }, guards(), 'ms-DS-ConsistencyGuid', 'HARD_MATCH', /becomes synced/],
  ['ConsistencyGuid empty: Connect falls back to objectGUID', {}, { onPremisesImmutableId: ID1 }, guards(), 'ms-DS-ConsistencyGuid', 'HARD_MATCH', /mS-DS-ConsistencyGuid is empty/],
  ['objectGUID mode ignores ConsistencyGuid', { consistencyGuid: ID2 }, { onPremisesImmutableId: ID1 }, guards(), 'objectGUID', 'HARD_MATCH'],
  ['objectGUID mode: a ConsistencyGuid-only match is a duplicate', { consistencyGuid: ID2 }, { onPremisesImmutableId: ID2 }, guards(), 'objectGUID', 'DUPLICATE_IMMUTABLE_ID_DIFFERS'],
  [
    'cloud immutableId differs from the anchor: duplicate, and the fix is named',
    {},
    { onPremisesImmutableId: ID3 },
    guards(),
    'ms-DS-ConsistencyGuid',
    'DUPLICATE_IMMUTABLE_ID_DIFFERS',
    /already has onPremisesImmutableId .* never soft-matched.*second cloud user.*stamp mS-DS-ConsistencyGuid/s,
  ],
  ['no immutableId, same UPN: soft match', {}, {}, guards(), 'ms-DS-ConsistencyGuid', 'SOFT_MATCH_UPN', /writes the anchor/],
  ['no immutableId, same primary SMTP: soft match', { userPrincipalName: 'a.lee@corp.example', proxyAddresses: ['SMTP:ann@contoso.com'] }, { proxyAddresses: ['SMTP:ann@contoso.com'] }, guards(), 'ms-DS-ConsistencyGuid', 'SOFT_MATCH_SMTP'],
  ['soft match blocked by the tenant', {}, {}, features({ blockSoftMatchEnabled: true }), 'ms-DS-ConsistencyGuid', 'DUPLICATE_SOFT_MATCH_BLOCKED', /blockSoftMatchEnabled/],
  ['UPN only and soft match on UPN off', {}, {}, features({ softMatchOnUpnEnabled: false }), 'ms-DS-ConsistencyGuid', 'DUPLICATE_UPN_SOFT_MATCH_OFF'],
  ['synced from another AD object already', {}, { onPremisesSyncEnabled: true }, guards(), 'ms-DS-ConsistencyGuid', 'DUPLICATE_ALREADY_SYNCED'],
  ['hard match of a role holder', {}, { onPremisesImmutableId: ID1 }, guards({ privileged: new Map([[CLOUD, { roles: ['Global Administrator'], eligible: false }]]) }), 'ms-DS-ConsistencyGuid', 'BLOCKED_PRIVILEGED_ROLE', /InvalidHardMatch/],
  ['soft match of a role holder', {}, {}, guards({ privileged: new Map([[CLOUD, { roles: ['Global Administrator'], eligible: true }]]) }), 'ms-DS-ConsistencyGuid', 'BLOCKED_PRIVILEGED_ROLE', /soft-match/],
  ['takeover blocked by the tenant', {}, { onPremisesImmutableId: ID1 }, features({ blockCloudObjectTakeoverThroughHardMatchEnabled: true }), 'ms-DS-ConsistencyGuid', 'BLOCKED_TAKEOVER_DISABLED'],
  ['takeover block does not concern a still-synced user (recovery)', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, features({ blockCloudObjectTakeoverThroughHardMatchEnabled: true }), 'ms-DS-ConsistencyGuid', 'HARD_MATCH'],
  ['previously synced to another AD object', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ objectIdentifiers: new Map([[CLOUD, G2]]) }), 'ms-DS-ConsistencyGuid', 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', /July 2026/],
  ['previously synced to another AD object, the tenant bypass on', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ objectIdentifiers: new Map([[CLOUD, G2]]), syncFeatures: { known: true, features: { allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled: true } } }), 'ms-DS-ConsistencyGuid', 'HARD_MATCH', /no clearing is needed/],
  ['previously synced, the identifier cleared since (read null)', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ objectIdentifiers: new Map([[CLOUD, null]]) }), 'ms-DS-ConsistencyGuid', 'HARD_MATCH'],
  ['previously synced: the fix names apply --clear-object-identifier', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ objectIdentifiers: new Map([[CLOUD, G2]]) }), 'ms-DS-ConsistencyGuid', 'BLOCKED_PREVIOUSLY_SYNCED_OBJECT', /--clear-object-identifier.*cannot be undone/],
  ['objectIdentifier names THIS object (restored from backup)', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ objectIdentifiers: new Map([[CLOUD, `{${G1.toUpperCase()}}`]]) }), 'ms-DS-ConsistencyGuid', 'HARD_MATCH'],
  ['hard match of a cloud-managed user (isCloudManaged true)', {}, { onPremisesImmutableId: ID1, onPremisesSyncEnabled: true }, guards({ cloudManaged: new Map([[CLOUD, true]]) }), 'ms-DS-ConsistencyGuid', 'BLOCKED_CLOUD_MANAGED', /blocks updates from on-premises AD.*"isCloudManaged": false/],
  ['no guards read: a hard match is just a hard match', {}, { onPremisesImmutableId: ID1 }, undefined, 'ms-DS-ConsistencyGuid', 'HARD_MATCH'],
  ['no cloud counterpart', { userPrincipalName: 'other@contoso.com' }, {}, guards(), 'ms-DS-ConsistencyGuid', 'NOT_IN_SCOPE_NO_CLOUD_USER'],
];

describe('predictSync', () => {
  it.each(cases)('%s -> %s', (_name, adObj, cloudUser, g, mode, reason, message) => {
    const result = predictSync({ adObjects: [ad(adObj)], cloudUsers: [cloud(cloudUser)], guards: g, sourceAnchor: mode });
    expect(result.predictions).toHaveLength(1);
    const p = result.predictions[0]!;
    expect(p.reason).toBe(reason);
    expect(p.kind).toBe(VERIFY_REASONS[reason]);
    expect(result.summary[p.kind]).toBe(1);
    if (message) expect(p.message).toMatch(message);
  });

  it('two AD objects with the same anchor: the second is a duplicate', () => {
    const r = predictSync({
      adObjects: [ad({ consistencyGuid: ID3 }), ad({ dn: `CN=Ann2,${OU}`, userPrincipalName: 'ann2@contoso.com', objectGuid: G2, consistencyGuid: ID3 })],
      cloudUsers: [cloud({ onPremisesImmutableId: ID3 })],
    });
    // AD objects are taken in DN order; the first one claims the cloud user
    expect(Object.fromEntries(r.predictions.map((p) => [p.adDn, p.reason]))).toEqual({
      [`CN=Ann,${OU}`]: 'HARD_MATCH',
      [`CN=Ann2,${OU}`]: 'DUPLICATE_SAME_ANCHOR',
    });
    expect(r.summary).toMatchObject({ 'hard-match': 1, duplicate: 1 });
  });

  it('ignores non-users (contacts, computers)', () => {
    const r = predictSync({ adObjects: [ad({ objectClass: ['top', 'contact'] }), ad({ objectClass: ['top', 'user', 'computer'] })], cloudUsers: [cloud()] });
    expect(r.predictions).toEqual([]);
  });

  it('reports cloud users without AD object only when asked (whole domain read)', () => {
    const users = [cloud({ id: 'x1', userPrincipalName: 'lonely@contoso.com' }), cloud({ id: 'x2', userPrincipalName: 'lost@contoso.com', onPremisesSyncEnabled: true, onPremisesImmutableId: ID2 }), cloud({ id: 'g', userPrincipalName: 'g_x.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' })];
    expect(predictSync({ adObjects: [], cloudUsers: users }).predictions).toEqual([]);
    const r = predictSync({ adObjects: [], cloudUsers: users, reportUnmatchedCloudUsers: true });
    expect(r.predictions.map((p) => [p.userPrincipalName, p.reason])).toEqual([
      ['lonely@contoso.com', 'NOT_IN_SCOPE_NO_AD_OBJECT'],
      ['lost@contoso.com', 'NOT_IN_SCOPE_SYNCED_NO_AD_OBJECT'],
    ]);
    expect(r.predictions[1]!.message).toMatch(/--recover/);
  });

  it('onlyCloudIds keeps the run users, including those whose AD object is missing', () => {
    const users = [cloud({ onPremisesImmutableId: ID1 }), cloud({ id: 'x2', userPrincipalName: 'b@contoso.com' }), cloud({ id: 'x3', userPrincipalName: 'c@contoso.com' })];
    const r = predictSync({ adObjects: [ad(), ad({ dn: `CN=B,${OU}`, userPrincipalName: 'b@contoso.com', objectGuid: G2 })], cloudUsers: users, onlyCloudIds: new Set([CLOUD.toUpperCase(), 'x3']) });
    expect(r.predictions.map((p) => [p.userPrincipalName, p.reason])).toEqual([
      ['ann@contoso.com', 'HARD_MATCH'],
      ['c@contoso.com', 'NOT_IN_SCOPE_NO_AD_OBJECT'],
    ]);
  });

  it('text puts duplicates first; CSV is plan.csv\'s dialect with formulas neutralised', () => {
    const r = predictSync({
      adObjects: [ad(), ad({ dn: `CN=Z,${OU}`, userPrincipalName: '=z@contoso.com', objectGuid: G2 })],
      cloudUsers: [cloud({ onPremisesImmutableId: ID1 }), cloud({ id: 'x2', userPrincipalName: '=z@contoso.com', onPremisesImmutableId: ID3 })],
    });
    const text = verifyToText(r);
    expect(text.split('\n')[0]).toBe('verify (sourceAnchor ms-DS-ConsistencyGuid): hard-match 1, soft-match 0, duplicate 1, blocked 0, not-in-scope 0');
    expect(text.split('\n')[1]).toMatch(/^duplicate +=z@contoso\.com/);
    expect(text.split('\n')[2]).toMatch(/^hard-match +ann@contoso\.com \[CN=Ann,/);
    const csv = verifyToCsv(r);
    expect(csv.startsWith('\uFEFF"userPrincipalName","prediction"')).toBe(true);
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x['userPrincipalName'], x['prediction'], x['cloudImmutableId']])).toEqual([
      ["'=z@contoso.com", 'duplicate', ID3],
      ['ann@contoso.com', 'hard-match', ID1],
    ]);
  });
});
