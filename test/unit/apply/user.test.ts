import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { bytesToGuid, guidToBytes, guidToImmutableId } from '../../../src/anchor/index.js';
import type { AnchorResult, AnchorSink, DirectoryWriter } from '../../../src/apply/ports.js';
import { applyUser, type ApplyContext } from '../../../src/apply/user.js';
import { DirectoryError } from '../../../src/directory/directory-error.js';
import type { CredentialsFile } from '../../../src/journal/credentials-file.js';
import type { Journal } from '../../../src/journal/journal.js';
import { digestPassword } from '../../../src/journal/password-digest.js';
import type { JournalEntry } from '../../../src/journal/records.js';
import type { UserProgress } from '../../../src/journal/state.js';
import type { PlanEntry } from '../../../src/plan/types.js';

const GUID = '11111111-1111-4111-8111-111111111111';
const OTHER_GUID = '22222222-2222-4222-8222-222222222222';
const ID = guidToImmutableId(GUID);
const DN = 'CN=Ann Lee,OU=Cloud,DC=corp,DC=test';
const BOSS_DN = 'CN=Bob Boss,OU=Cloud,DC=corp,DC=test';
const UPN = 'ann@corp.test';

const entry = (extra: Partial<PlanEntry> = {}): PlanEntry => ({
  cloudId: 'ann',
  userPrincipalName: UPN,
  displayName: 'Ann Lee',
  action: 'create',
  reason: 'CREATE_NEW',
  message: '',
  sAMAccountName: 'ann',
  dn: DN,
  attributes: { userPrincipalName: UPN },
  currentImmutableId: null,
  fingerprint: '',
  ...extra,
});

/**
 * The I/O shell against an in-memory DC, cloud, journal and credentials file:
 * which calls it makes and what it journals, in order, for the decisions
 * test/unit/apply/decide.test.ts covers one by one.
 */
function world(options: { objects?: Record<string, { dn: string; guid: string }>; onFile?: string; anchor?: AnchorResult; cloudNow?: string | null; managerGone?: boolean } = {}) {
  const objects = new Map(Object.entries(options.objects ?? {}));
  const calls: string[] = [];
  const journal: JournalEntry[] = [];
  const filed = new Map<string, string>(options.onFile ? [[UPN, options.onFile]] : []);
  const directory: DirectoryWriter = {
    ensureOu: async (dn) => void calls.push(`ensureOu ${dn}`),
    createUser: async (user, password) => {
      calls.push(`createUser ${user.dn}${user.manager ? ` manager=${user.manager}` : ''} password=${password ?? '-'}`);
      if (user.manager && options.managerGone) throw new DirectoryError('REFERENCED_OBJECT_MISSING', 'manager is gone');
      objects.set(UPN, { dn: user.dn, guid: GUID });
    },
    finishUser: async (user, password) => void calls.push(`finishUser ${user.dn} password=${password ?? '-'}`),
    findUserByUpn: async (upn) => {
      const o = objects.get(upn);
      return o && { dn: o.dn, objectGuid: o.guid, sAMAccountName: 'ann' };
    },
    readObjectGuid: async (dn) => {
      const o = [...objects.values()].find((x) => x.dn === dn);
      if (!o) throw new DirectoryError('NO_SUCH_OBJECT', `no ${dn}`);
      return guidToBytes(o.guid);
    },
    setManager: async () => void calls.push('setManager'),
    setConsistencyGuid: async (dn, bytes) => void calls.push(`setConsistencyGuid ${dn} ${bytesToGuid(bytes)}`),
  };
  const anchors: AnchorSink = {
    enqueue: async (item) => {
      calls.push(`anchor ${item.immutableId}`);
      return options.anchor ?? { outcome: 'written' };
    },
  };
  const credentials = {
    passwordFor: (upn: string) => filed.get(upn),
    record: async (row: { userPrincipalName: string; password: string }) => void filed.set(row.userPrincipalName, row.password),
  } as unknown as CredentialsFile;
  const ctx: ApplyContext = {
    directory,
    anchors,
    journal: { append: async (e: JournalEntry) => void journal.push(e) } as unknown as Journal,
    credentials,
    passwords: () => 'New-Password-1',
    directoryLimit: pLimit(1),
    setConsistencyGuid: false,
    ...(options.cloudNow !== undefined ? { cloudImmutableIds: new Map([['ann', options.cloudNow]]) } : {}),
    objectDns: new Map([['bob', BOSS_DN]]),
    ensureParent: async (dn) => void calls.push(`ensureParent ${dn}`),
    say: (line) => void calls.push(`say ${line}`),
  };
  return { ctx, calls, journal, filed };
}

const kinds = (journal: JournalEntry[]) => journal.map((e) => e.kind);

describe('applyUser', () => {
  it('first run: files the password, journals create-start, adds, reads the GUID, writes the anchor', async () => {
    const w = world();
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann' });
    expect(outcome).toMatchObject({ outcome: 'anchored', reason: 'CREATED_AND_ANCHORED', dn: DN, objectGuid: GUID, immutableId: ID });
    expect(w.calls).toEqual(['ensureParent OU=Cloud,DC=corp,DC=test', `createUser ${DN} password=New-Password-1`, `anchor ${ID}`]);
    expect(kinds(w.journal)).toEqual(['password-filed', 'create-start', 'created', 'guid', 'anchor-start', 'anchored']);
    expect(w.filed.get(UPN)).toBe('New-Password-1');
  });

  it('resumed after create-start with the user in AD: finishes it with the filed password, no second add', async () => {
    const digest = digestPassword('Filed-Before-1');
    const w = world({ objects: { [UPN]: { dn: DN, guid: GUID } }, onFile: 'Filed-Before-1' });
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann', passwordDigest: digest, createStartedDn: DN });
    expect(outcome).toMatchObject({ outcome: 'anchored', objectGuid: GUID });
    expect(w.calls).toEqual([`finishUser ${DN} password=Filed-Before-1`, `anchor ${ID}`]);
    expect(kinds(w.journal)).toEqual(['created', 'guid', 'anchor-start', 'anchored']);
  });

  it('resumed after create-start, the user with the UPN is at another DN: fails at create, no add, no finish, the cloud is not written', async () => {
    const digest = digestPassword('Filed-Before-1');
    const elsewhere = 'CN=Ann Lee,OU=Elsewhere,DC=corp,DC=test';
    const w = world({ objects: { [UPN]: { dn: elsewhere, guid: OTHER_GUID } }, onFile: 'Filed-Before-1' });
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann', passwordDigest: digest, createStartedDn: DN });
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'NAME_TAKEN', dn: DN });
    expect(outcome.message).toContain(elsewhere);
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'failed', step: 'create', reason: 'NAME_TAKEN' })]);
  });

  it('resumed after create-start, the add never landed: create-start again and add with the filed password', async () => {
    const digest = digestPassword('Filed-Before-1');
    const w = world({ onFile: 'Filed-Before-1' });
    await applyUser(w.ctx, entry(), { cloudId: 'ann', passwordDigest: digest, createStartedDn: DN });
    expect(w.calls).toEqual(['ensureParent OU=Cloud,DC=corp,DC=test', `createUser ${DN} password=Filed-Before-1`, `anchor ${ID}`]);
    expect(kinds(w.journal)).toEqual(['create-start', 'created', 'guid', 'anchor-start', 'anchored']);
  });

  it('a password in credentials.csv this run did not make: the user fails at create, nothing is sent', async () => {
    const w = world({ onFile: 'Planted-1' });
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann' });
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'CREDENTIALS_UNTRUSTED' });
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'failed', step: 'create', reason: 'CREDENTIALS_UNTRUSTED' })]);
  });

  it('the manager in the add, and added again without it when its object is gone', async () => {
    const withManager = world();
    const linked = await applyUser(withManager.ctx, entry({ managerCloudId: 'bob' }), { cloudId: 'ann' });
    expect(linked.managerDn).toBe(BOSS_DN);
    expect(withManager.journal).toContainEqual({ kind: 'manager-set', cloudId: 'ann', managerDn: BOSS_DN });

    const gone = world({ managerGone: true });
    const outcome = await applyUser(gone.ctx, entry({ managerCloudId: 'bob' }), { cloudId: 'ann' });
    expect(outcome).toMatchObject({ outcome: 'anchored' });
    expect(outcome.managerDn).toBeUndefined();
    expect(gone.calls.filter((c) => c.startsWith('createUser'))).toEqual([`createUser ${DN} manager=${BOSS_DN} password=New-Password-1`, `createUser ${DN} password=New-Password-1`]);
    expect(kinds(gone.journal)).not.toContain('manager-set');
  });

  it('resumed with the GUID journaled but another object at the DN: fails at guid, the cloud is not written', async () => {
    const w = world({ objects: { [UPN]: { dn: DN, guid: OTHER_GUID } } });
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann', created: { dn: DN, adopted: false }, objectGuid: GUID });
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'AD_OBJECT_REPLACED' });
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'failed', step: 'guid', reason: 'AD_OBJECT_REPLACED' })]);
  });

  it('resumed after anchor-start, the write had landed (read at the start of the run): recorded, not sent again', async () => {
    const w = world({ objects: { [UPN]: { dn: DN, guid: GUID } }, cloudNow: ID });
    const progress: UserProgress = { cloudId: 'ann', created: { dn: DN, adopted: false }, objectGuid: GUID, anchorStarted: ID };
    const outcome = await applyUser(w.ctx, entry(), progress);
    expect(outcome).toMatchObject({ outcome: 'anchored', reason: 'ANCHOR_ALREADY_SET' });
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([{ kind: 'anchored', cloudId: 'ann', immutableId: ID, outcome: 'already-set' }]);
  });

  it('resumed after anchor-start, the write did not land: sent again without a second anchor-start', async () => {
    const w = world({ objects: { [UPN]: { dn: DN, guid: GUID } }, cloudNow: null });
    await applyUser(w.ctx, entry(), { cloudId: 'ann', created: { dn: DN, adopted: false }, objectGuid: GUID, anchorStarted: ID });
    expect(w.calls).toEqual([`anchor ${ID}`]);
    expect(kinds(w.journal)).toEqual(['anchored']);
  });

  it('adopt: the object found by UPN is journaled as adopted, its GUID searched again, ConsistencyGuid stamped when asked', async () => {
    const w = world({ objects: { [UPN]: { dn: DN, guid: GUID } } });
    w.ctx.setConsistencyGuid = true;
    const outcome = await applyUser(w.ctx, entry({ action: 'adopt', reason: 'ADOPT_EXISTING_UPN' }), { cloudId: 'ann' });
    expect(outcome).toMatchObject({ outcome: 'anchored', reason: 'ADOPTED_AND_ANCHORED', immutableId: ID });
    expect(w.calls).toEqual([`setConsistencyGuid ${DN} ${GUID}`, `anchor ${ID}`]);
    expect(w.journal.slice(0, 2)).toEqual([
      { kind: 'created', cloudId: 'ann', dn: DN, adopted: true },
      { kind: 'guid', cloudId: 'ann', dn: DN, objectGuid: GUID },
    ]);
  });

  it('adopt resumed with the GUID journaled, another object has the UPN now: fails at guid, nothing stamped, the cloud is not written', async () => {
    const w = world({ objects: { [UPN]: { dn: DN, guid: OTHER_GUID } } });
    w.ctx.setConsistencyGuid = true;
    const outcome = await applyUser(w.ctx, entry({ action: 'adopt', reason: 'ADOPT_EXISTING_UPN' }), { cloudId: 'ann', created: { dn: DN, adopted: true }, objectGuid: GUID });
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'AD_OBJECT_REPLACED' });
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'failed', step: 'guid', reason: 'AD_OBJECT_REPLACED' })]);
  });

  it('anchored by an earlier run: unchanged, no call and no record', async () => {
    const w = world();
    const outcome = await applyUser(w.ctx, entry(), { cloudId: 'ann', created: { dn: DN, adopted: false }, objectGuid: GUID, anchored: { immutableId: ID, outcome: 'written' } });
    expect(outcome).toMatchObject({ outcome: 'unchanged', reason: 'ALREADY_DONE', dn: DN, objectGuid: GUID, immutableId: ID });
    expect(w.calls).toEqual([]);
    expect(w.journal).toEqual([]);
  });
});
