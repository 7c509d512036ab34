import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/immutable-id.js';
import type { JournalEntry } from '../../../src/journal/records.js';
import type { CloudAnchorState } from '../../../src/rollback/decide.js';
import type { FoundObject, RollbackCloud, RollbackDirectory } from '../../../src/rollback/ports.js';
import type { RollbackTarget } from '../../../src/rollback/targets.js';
import { rollbackUser, type RollbackContext } from '../../../src/rollback/user.js';
import type { AnchorResult } from '../../../src/apply/ports.js';

const GUID = '11111111-1111-4111-8111-111111111111';
const ID = guidToImmutableId(GUID);

/** An in-memory world: one cloud user, AD objects by GUID, and a log of every write. */
function world(options: { cloud?: CloudAnchorState | undefined; clear?: AnchorResult; objects?: Record<string, FoundObject> } = {}) {
  let cloudUser = 'cloud' in options ? options.cloud : { immutableId: ID, syncEnabled: null, lastSyncAt: null };
  const objects = new Map(Object.entries(options.objects ?? { [GUID]: { dn: 'CN=a,OU=x', userAccountControl: 512, userPrincipalName: 'a@x.test' } }));
  const writes: string[] = [];
  const journal: JournalEntry[] = [];
  const cloud: RollbackCloud = {
    read: async () => (cloudUser ? { ...cloudUser } : undefined),
    clear: async () => {
      writes.push('clear');
      const result = options.clear ?? { outcome: 'written' };
      if (result.outcome === 'written' && cloudUser) cloudUser = { ...cloudUser, immutableId: null };
      return result;
    },
  };
  const directory: RollbackDirectory = {
    findByGuid: async (guid) => objects.get(guid),
    deleteByGuid: async (guid) => {
      writes.push(`delete ${guid}`);
      return objects.delete(guid) ? 'deleted' : 'absent';
    },
    disableByGuid: async (guid) => {
      writes.push(`disable ${guid}`);
      const o = objects.get(guid)!;
      o.userAccountControl = (o.userAccountControl ?? 512) | 2;
      return o.userAccountControl;
    },
    exists: async (dn) => [...objects.values()].some((o) => o.dn === dn),
  };
  const ctx = (mode: 'delete' | 'disable'): RollbackContext => ({
    mode,
    cloud,
    directory,
    journal: { append: async (e) => void journal.push(e) },
    cloudLimit: pLimit(2),
    directoryLimit: pLimit(2),
  });
  return { ctx, writes, journal, objects };
}

const target = (extra: Partial<RollbackTarget> = {}): RollbackTarget => ({
  kind: 'pending',
  cloudId: 'a',
  userPrincipalName: 'a@x.test',
  dn: 'CN=a,OU=x',
  objectGuid: GUID,
  writtenImmutableId: ID,
  recovery: false,
  ...extra,
});

describe('rollbackUser', () => {
  it.each(['delete', 'disable'] as const)('a failed lookup (%s) is journaled as step lookup, and nothing is deleted or disabled', async (mode) => {
    const w = world();
    w.ctx(mode).directory.findByGuid = async () => {
      throw new Error('connection reset');
    };
    const outcome = await rollbackUser(w.ctx(mode), target());
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'UNEXPECTED', message: 'lookup: connection reset' });
    expect(w.journal.at(-1)).toMatchObject({ kind: 'rollback-failed', step: 'lookup' });
    // The object is looked up (and proven ours) before the cloud is touched.
    expect(w.writes).toEqual([]);
  });

  it.each(['delete', 'disable'] as const)('a lookup that fails after the clear (%s) is journaled as step lookup; the object is left', async (mode) => {
    const w = world();
    const ctx = w.ctx(mode);
    const findByGuid = ctx.directory.findByGuid;
    let lookups = 0;
    ctx.directory.findByGuid = async (guid) => {
      if (++lookups > 1) throw new Error('connection reset');
      return findByGuid(guid);
    };
    const outcome = await rollbackUser(ctx, target());
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'UNEXPECTED', message: 'lookup: connection reset' });
    expect(w.journal.map((e) => e.kind)).toEqual(['cleared', 'rollback-failed']);
    expect(w.journal.at(-1)).toMatchObject({ step: 'lookup' });
    expect(w.writes).toEqual(['clear']);
  });

  it('a clear that throws (no answer from Graph) is journaled as step clear, not check; the object is left', async () => {
    const w = world();
    const ctx = w.ctx('delete');
    ctx.cloud.clear = async () => {
      throw new Error('socket hang up');
    };
    const outcome = await rollbackUser(ctx, target());
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'UNEXPECTED', message: 'clear: socket hang up' });
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'rollback-failed', step: 'clear' })]);
    expect(w.objects.has(GUID)).toBe(true);
  });

  it('clears the anchor, then deletes the object by GUID, journaling each step', async () => {
    const w = world();
    const outcome = await rollbackUser(w.ctx('delete'), target());
    expect(outcome).toMatchObject({ outcome: 'rolled-back', reason: 'ROLLED_BACK', cloud: 'cleared', directory: 'deleted' });
    expect(w.writes).toEqual(['clear', `delete ${GUID}`]);
    expect(w.journal.map((e) => e.kind)).toEqual(['cleared', 'deleted']);
  });

  it('re-run after a kill between the clear and its record: reads null, does not PATCH again', async () => {
    const w = world({ cloud: { immutableId: null, syncEnabled: null, lastSyncAt: null } });
    const outcome = await rollbackUser(w.ctx('delete'), target());
    expect(outcome).toMatchObject({ outcome: 'rolled-back', cloud: 'already-clear', directory: 'deleted' });
    expect(w.writes).toEqual([`delete ${GUID}`]);
    expect(w.journal[0]).toEqual({ kind: 'cleared', cloudId: 'a', immutableId: ID, outcome: 'already-clear' });
  });

  it('re-run after a kill between the delete and its record: no object with the GUID = already absent', async () => {
    const w = world({ cloud: { immutableId: null, syncEnabled: null, lastSyncAt: null }, objects: {} });
    const outcome = await rollbackUser(w.ctx('delete'), target({ writtenImmutableId: undefined, clearedImmutableId: ID }));
    expect(outcome).toMatchObject({ outcome: 'rolled-back', cloud: 'cleared-earlier', directory: 'already-absent' });
    expect(w.writes).toEqual([]);
    expect(w.journal).toEqual([{ kind: 'deleted', cloudId: 'a', dn: 'CN=a,OU=x', objectGuid: GUID, outcome: 'already-absent' }]);
  });

  it('a refused clear fails the user and leaves its AD object in place', async () => {
    const w = world({ clear: { outcome: 'refused', reason: 'INVALID_VALUE', message: "Invalid value specified for property 'onPremisesImmutableId'" } });
    const outcome = await rollbackUser(w.ctx('delete'), target());
    expect(outcome).toMatchObject({ outcome: 'failed', reason: 'CLEAR_REFUSED', cloud: 'refused', directory: 'left' });
    expect(w.writes).toEqual(['clear']);
    expect(w.objects.has(GUID)).toBe(true);
    expect(w.journal).toEqual([expect.objectContaining({ kind: 'rollback-failed', step: 'clear', reason: 'CLEAR_REFUSED' })]);
  });

  it('a changed immutableId leaves the user alone on both sides and journals nothing', async () => {
    const w = world({ cloud: { immutableId: 'b3RoZXI=', syncEnabled: null, lastSyncAt: null } });
    const outcome = await rollbackUser(w.ctx('delete'), target());
    expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'IMMUTABLE_ID_CHANGED', cloud: 'left', directory: 'left' });
    expect(w.writes).toEqual([]);
    expect(w.journal).toEqual([]);
  });

  it('--disable sets ACCOUNTDISABLE, and finds an already disabled object without writing', async () => {
    const w = world();
    expect(await rollbackUser(w.ctx('disable'), target())).toMatchObject({ outcome: 'rolled-back', directory: 'disabled' });
    expect(w.journal.at(-1)).toMatchObject({ kind: 'disabled', outcome: 'disabled', userAccountControl: 514 });
    const again = world({ cloud: { immutableId: null, syncEnabled: null, lastSyncAt: null }, objects: { [GUID]: { dn: 'CN=a,OU=x', userAccountControl: 514, userPrincipalName: 'a@x.test' } } });
    expect(await rollbackUser(again.ctx('disable'), target({ writtenImmutableId: undefined, clearedImmutableId: ID }))).toMatchObject({ directory: 'already-disabled' });
    expect(again.writes).toEqual([]);
  });

  it('acts on the object with the journaled GUID even when it was moved, and says so', async () => {
    const w = world({ objects: { [GUID]: { dn: 'CN=a,OU=elsewhere', userAccountControl: 512, userPrincipalName: 'a@x.test' } } });
    const outcome = await rollbackUser(w.ctx('delete'), target());
    expect(outcome).toMatchObject({ outcome: 'rolled-back', dn: 'CN=a,OU=elsewhere' });
    expect(outcome.message).toMatch(/moved since apply from CN=a,OU=x/);
  });

  describe('a journal that names another object (tampered guid record) is never acted on', () => {
    const OTHER = '22222222-2222-4222-8222-222222222222';
    const admin = { dn: 'CN=Administrator,CN=Users,DC=corp', userAccountControl: 512, userPrincipalName: 'administrator@corp.test' };
    it.each(['delete', 'disable'] as const)('%s: the GUID of another object -> NOT_THIS_RUNS_OBJECT, nothing written or journaled', async (mode) => {
      const w = world({ objects: { [GUID]: { dn: 'CN=a,OU=x', userAccountControl: 512, userPrincipalName: 'a@x.test' }, [OTHER]: { ...admin } } });
      // Only the guid changed: the written immutableId no longer matches it.
      const outcome = await rollbackUser(w.ctx(mode), target({ objectGuid: OTHER }));
      expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT', cloud: 'left', directory: 'left' });
      expect(outcome.message).toMatch(/not base64 of the journaled objectGUID/);
      expect(w.writes).toEqual([]);
      expect(w.journal).toEqual([]);
      expect(w.objects.get(OTHER)).toEqual(admin);
    });

    it('the guid and the immutableId both changed consistently: the UPN gives it away', async () => {
      const w = world({ cloud: { immutableId: guidToImmutableId(OTHER), syncEnabled: null, lastSyncAt: null }, objects: { [OTHER]: { ...admin } } });
      const outcome = await rollbackUser(w.ctx('delete'), target({ objectGuid: OTHER, writtenImmutableId: guidToImmutableId(OTHER) }));
      expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT' });
      expect(outcome.message).toMatch(/CN=Administrator,CN=Users,DC=corp with userPrincipalName administrator@corp\.test, not the a@x\.test/);
      expect(w.writes).toEqual([]);
    });

    it('without plan.json (UPN unknown) the DN must be where the run created it', async () => {
      const w = world({ cloud: { immutableId: guidToImmutableId(OTHER), syncEnabled: null, lastSyncAt: null }, objects: { [OTHER]: { ...admin } } });
      const outcome = await rollbackUser(w.ctx('delete'), target({ userPrincipalName: 'a', objectGuid: OTHER, writtenImmutableId: guidToImmutableId(OTHER) }));
      expect(outcome).toMatchObject({ outcome: 'skipped', reason: 'NOT_THIS_RUNS_OBJECT' });
      expect(w.writes).toEqual([]);
    });
  });

  it('never touches adopted users, and reports unprovable creates without writing', async () => {
    const w = world();
    expect(await rollbackUser(w.ctx('delete'), target({ kind: 'adopted' }))).toMatchObject({ outcome: 'excluded', reason: 'ADOPTED_NOT_TOUCHED' });
    expect(await rollbackUser(w.ctx('delete'), target({ kind: 'guid-unknown' }))).toMatchObject({ outcome: 'skipped', reason: 'GUID_UNKNOWN' });
    expect(await rollbackUser(w.ctx('delete'), target({ kind: 'create-unconfirmed' }))).toMatchObject({ outcome: 'skipped', reason: 'CREATE_UNCONFIRMED' });
    expect(await rollbackUser(w.ctx('delete'), target({ kind: 'create-unconfirmed', dn: 'CN=nobody,OU=x' }))).toMatchObject({ outcome: 'excluded', reason: 'NOTHING_CREATED' });
    expect(w.writes).toEqual([]);
  });
});
