import { describe, expect, it } from 'vitest';
import { guidToImmutableId } from '../../../src/anchor/index.js';
import { decideCloud, type CloudAnchorState } from '../../../src/rollback/decide.js';
import type { RollbackTarget } from '../../../src/rollback/targets.js';
import { rollbackExitCode } from '../../../src/rollback/outcome.js';

const GUID = 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38';
const OURS = guidToImmutableId(GUID);
const target = (extra: Partial<RollbackTarget> = {}): RollbackTarget => ({
  kind: 'pending',
  cloudId: 'id',
  userPrincipalName: 'u@x.test',
  dn: 'CN=u,OU=x',
  objectGuid: GUID,
  writtenImmutableId: OURS,
  recovery: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const cloud = (extra: Partial<CloudAnchorState> = {}): CloudAnchorState => ({ immutableId: OURS, syncEnabled: null, lastSyncAt: null, ...extra });

describe('decideCloud', () => {
  it('clears only the exact value this run wrote', () => {
    expect(decideCloud(target(), cloud())).toEqual({ action: 'clear', immutableId: OURS });
    expect(decideCloud(target(), cloud({ immutableId: null }))).toEqual({ action: 'none', cloud: 'already-clear', journal: true, immutableId: OURS });
    expect(decideCloud(target(), cloud({ immutableId: 'c29tZXRoaW5nIGVsc2U=' }))).toMatchObject({ action: 'skip', reason: 'IMMUTABLE_ID_CHANGED' });
  });

  it('leaves users that are gone or that Entra Connect has synced since', () => {
    expect(decideCloud(target(), undefined)).toMatchObject({ action: 'skip', reason: 'CLOUD_USER_NOT_FOUND' });
    expect(decideCloud(target(), cloud({ syncEnabled: true }))).toMatchObject({ action: 'skip', reason: 'NOW_SYNCED' });
    expect(decideCloud(target(), cloud({ syncEnabled: false }))).toMatchObject({ action: 'skip', reason: 'NOW_SYNCED' });
  });

  it('on the recovery path, only a sync after apply counts', () => {
    const recovery = target({ recovery: true, writtenImmutableId: undefined });
    const before = cloud({ immutableId: 'b2xk', syncEnabled: true, lastSyncAt: '2025-06-01T00:00:00Z' });
    expect(decideCloud(recovery, before)).toEqual({ action: 'none', cloud: 'not-written', journal: false });
    expect(decideCloud(recovery, { ...before, lastSyncAt: '2026-02-01T00:00:00Z' })).toMatchObject({ action: 'skip', reason: 'NOW_SYNCED' });
  });

  it('after an earlier clear, a value set again stops the rollback of that user', () => {
    const cleared = target({ writtenImmutableId: undefined, clearedImmutableId: OURS });
    expect(decideCloud(cleared, cloud({ immutableId: null }))).toEqual({ action: 'none', cloud: 'cleared-earlier', journal: false });
    expect(decideCloud(cleared, cloud())).toMatchObject({ action: 'skip', reason: 'IMMUTABLE_ID_CHANGED' });
  });

  it('never wrote an anchor: nothing to clear, unless someone else pointed the user at our object', () => {
    const unwritten = target({ writtenImmutableId: undefined });
    expect(decideCloud(unwritten, cloud({ immutableId: null }))).toEqual({ action: 'none', cloud: 'not-written', journal: false });
    expect(decideCloud(unwritten, cloud())).toMatchObject({ action: 'skip', reason: 'IMMUTABLE_ID_CHANGED' });
  });
});

describe('rollbackExitCode', () => {
  const o = (outcome: 'rolled-back' | 'unchanged' | 'skipped' | 'failed' | 'excluded') => ({ cloudId: 'x', userPrincipalName: 'x', outcome, reason: 'R', message: 'm' });
  it('is 0 only when nothing was left or failed; excluded (adopted) users do not count', () => {
    expect(rollbackExitCode([])).toBe(0);
    expect(rollbackExitCode([o('rolled-back'), o('unchanged'), o('excluded')])).toBe(0);
    expect(rollbackExitCode([o('rolled-back'), o('skipped')])).toBe(3);
    expect(rollbackExitCode([o('failed')])).toBe(3);
  });
});
