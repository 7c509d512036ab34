import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalRecord } from '../../../src/journal/records.js';
import { foldJournal } from '../../../src/journal/state.js';
import { refuseRolledBackRun } from '../../../src/rollback/guard.js';
import { rollbackTargets } from '../../../src/rollback/targets.js';

const at = '2026-01-01T00:00:00.000Z';
const r = (entries: JournalEntry[]): JournalRecord[] => entries.map((e) => ({ ...e, at }) as JournalRecord);

/** An apply that created a (anchored), created b (anchor started, not confirmed), adopted c, created d (no GUID yet), started e. */
const APPLY: JournalEntry[] = [
  { kind: 'run-start', planFingerprint: 'p', toolVersion: '0', pid: 1 },
  { kind: 'create-start', cloudId: 'a', dn: 'CN=a,OU=x' },
  { kind: 'created', cloudId: 'a', dn: 'CN=a,OU=x' },
  { kind: 'guid', cloudId: 'a', dn: 'CN=a,OU=x', objectGuid: '11111111-1111-4111-8111-111111111111' },
  { kind: 'anchor-start', cloudId: 'a', immutableId: 'id-a' },
  { kind: 'anchored', cloudId: 'a', immutableId: 'id-a', outcome: 'written' },
  { kind: 'manager-set', cloudId: 'a', managerDn: 'CN=boss' },
  { kind: 'create-start', cloudId: 'b', dn: 'CN=b,OU=x' },
  { kind: 'created', cloudId: 'b', dn: 'CN=b,OU=x' },
  { kind: 'guid', cloudId: 'b', dn: 'CN=b,OU=x', objectGuid: '22222222-2222-4222-8222-222222222222' },
  { kind: 'anchor-start', cloudId: 'b', immutableId: 'id-b' },
  { kind: 'created', cloudId: 'c', dn: 'CN=c,OU=old', adopted: true },
  { kind: 'guid', cloudId: 'c', dn: 'CN=c,OU=old', objectGuid: '33333333-3333-4333-8333-333333333333' },
  { kind: 'anchor-start', cloudId: 'c', immutableId: 'id-c' },
  { kind: 'anchored', cloudId: 'c', immutableId: 'id-c', outcome: 'written' },
  { kind: 'create-start', cloudId: 'd', dn: 'CN=d,OU=x' },
  { kind: 'created', cloudId: 'd', dn: 'CN=d,OU=x' },
  { kind: 'create-start', cloudId: 'e', dn: 'CN=e,OU=x' },
  { kind: 'run-end', summary: {} },
];

describe('foldJournal with rollback records', () => {
  it('leaves apply-only journals as before (no rollback state)', () => {
    const state = foldJournal(r(APPLY));
    expect(state.rollback).toBeUndefined();
    expect(state.users.get('a')).toMatchObject({ anchored: { immutableId: 'id-a' }, createdAt: at });
    expect(state.users.get('a')?.rollback).toBeUndefined();
  });

  it('a clear undoes the anchor; a delete undoes everything apply recorded, so nothing reads the user as done', () => {
    const state = foldJournal(
      r([
        ...APPLY,
        { kind: 'rollback-start', mode: 'delete', toolVersion: '0', pid: 2 },
        { kind: 'cleared', cloudId: 'a', immutableId: 'id-a', outcome: 'cleared' },
        { kind: 'cleared', cloudId: 'b', immutableId: 'id-b', outcome: 'already-clear' },
        { kind: 'deleted', cloudId: 'b', dn: 'CN=b,OU=x', objectGuid: '22222222-2222-4222-8222-222222222222', outcome: 'deleted' },
      ]),
    );
    expect(state.rollback).toEqual({ runs: 1, completedRuns: 0, modes: ['delete'], firstStartedAt: at });
    const a = state.users.get('a')!;
    expect(a.anchored).toBeUndefined();
    expect(a.anchorStarted).toBeUndefined();
    expect(a.created).toEqual({ dn: 'CN=a,OU=x', adopted: false });
    expect(a.rollback).toEqual({ cleared: { immutableId: 'id-a', outcome: 'cleared' } });
    expect(state.users.get('b')).toEqual({
      cloudId: 'b',
      rollback: {
        cleared: { immutableId: 'id-b', outcome: 'already-clear' },
        removed: { mode: 'delete', dn: 'CN=b,OU=x', objectGuid: '22222222-2222-4222-8222-222222222222', outcome: 'deleted' },
      },
    });
  });

  it('a failure is remembered until the step succeeds; rollback-end counts completed rollbacks', () => {
    const failed = foldJournal(
      r([...APPLY, { kind: 'rollback-start', mode: 'disable', toolVersion: '0', pid: 2 }, { kind: 'rollback-failed', cloudId: 'a', step: 'clear', reason: 'CLEAR_REFUSED', message: 'no' }, { kind: 'rollback-end', summary: {} }]),
    );
    expect(failed.users.get('a')?.rollback?.lastFailure).toEqual({ step: 'clear', reason: 'CLEAR_REFUSED', message: 'no' });
    expect(failed.users.get('a')?.anchored).toBeDefined();
    expect(failed.rollback).toMatchObject({ runs: 1, completedRuns: 1, modes: ['disable'] });
    const retried = foldJournal(r([...APPLY, { kind: 'rollback-failed', cloudId: 'a', step: 'clear', reason: 'CLEAR_REFUSED', message: 'no' }, { kind: 'cleared', cloudId: 'a', immutableId: 'id-a', outcome: 'cleared' }]));
    expect(retried.users.get('a')?.rollback?.lastFailure).toBeUndefined();
  });

  it('a later apply of the same user starts its lifecycle afresh', () => {
    const state = foldJournal(
      r([
        ...APPLY,
        { kind: 'rollback-start', mode: 'delete', toolVersion: '0', pid: 2 },
        { kind: 'deleted', cloudId: 'a', dn: 'CN=a,OU=x', objectGuid: '11111111-1111-4111-8111-111111111111', outcome: 'deleted' },
        { kind: 'create-start', cloudId: 'a', dn: 'CN=a,OU=x' },
        { kind: 'created', cloudId: 'a', dn: 'CN=a,OU=x' },
      ]),
    );
    expect(state.users.get('a')?.rollback).toBeUndefined();
    expect(state.users.get('a')?.created).toEqual({ dn: 'CN=a,OU=x', adopted: false });
  });
});

describe('rollbackTargets', () => {
  it('classifies every user the run touched; only created users with a journaled GUID are work', () => {
    const state = foldJournal(r(APPLY));
    const names = new Map([
      ['a', { userPrincipalName: 'a@x.test' }],
      ['b', { userPrincipalName: 'b@x.test' }],
    ]);
    const targets = rollbackTargets(state, 'delete', names);
    expect(targets.map((t) => [t.cloudId, t.kind])).toEqual([
      ['a', 'pending'],
      ['b', 'pending'],
      ['c', 'adopted'],
      ['d', 'guid-unknown'],
      ['e', 'create-unconfirmed'],
    ]);
    expect(targets[0]).toMatchObject({ userPrincipalName: 'a@x.test', dn: 'CN=a,OU=x', writtenImmutableId: 'id-a', objectGuid: '11111111-1111-4111-8111-111111111111', recovery: false });
    // b: the anchor write was started and never confirmed: it may have landed, so it is a value to look for.
    expect(targets[1]?.writtenImmutableId).toBe('id-b');
    expect(targets[3]?.userPrincipalName).toBe('d');
  });

  it('a user disabled earlier is done for --disable and work again for --delete; deleted is done for both', () => {
    const state = foldJournal(
      r([
        ...APPLY,
        { kind: 'rollback-start', mode: 'disable', toolVersion: '0', pid: 2 },
        { kind: 'cleared', cloudId: 'a', immutableId: 'id-a', outcome: 'cleared' },
        { kind: 'disabled', cloudId: 'a', dn: 'CN=a,OU=x', objectGuid: '11111111-1111-4111-8111-111111111111', outcome: 'disabled', userAccountControl: 514 },
        { kind: 'deleted', cloudId: 'b', dn: 'CN=b,OU=x', objectGuid: '22222222-2222-4222-8222-222222222222', outcome: 'already-absent' },
      ]),
    );
    const kinds = (mode: 'delete' | 'disable') => Object.fromEntries(rollbackTargets(state, mode).map((t) => [t.cloudId, t.kind]));
    expect(kinds('disable')).toMatchObject({ a: 'done', b: 'done' });
    expect(kinds('delete')).toMatchObject({ a: 'pending', b: 'done' });
    const a = rollbackTargets(state, 'delete').find((t) => t.cloudId === 'a')!;
    expect(a).toMatchObject({ objectGuid: '11111111-1111-4111-8111-111111111111', clearedImmutableId: 'id-a' });
    expect(a.writtenImmutableId).toBeUndefined();
  });
});

describe('refuseRolledBackRun (apply on a rolled-back folder)', () => {
  it('passes a folder never rolled back and refuses one that was, with exit 2', () => {
    expect(() => refuseRolledBackRun(foldJournal(r(APPLY)), '/runs/1')).not.toThrow();
    const rolledBack = foldJournal(r([...APPLY, { kind: 'rollback-start', mode: 'delete', toolVersion: '0', pid: 2 }]));
    expect(() => refuseRolledBackRun(rolledBack, '/runs/1')).toThrow(expect.objectContaining({ reason: 'RUN_ROLLED_BACK', exitCode: 2 }));
  });
});
