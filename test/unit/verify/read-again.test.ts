import { describe, expect, it } from 'vitest';
import type { GraphUser } from '../../../src/graph/user.js';
import { MAX_SOFT_MATCH_READS, usersToReadAgain, withFreshUsers } from '../../../src/verify/read-again.js';
import type { Prediction, VerifyResult } from '../../../src/verify/types.js';

const p = (kind: Prediction['kind'], cloudId?: string): Prediction =>
  ({ kind, reason: 'HARD_MATCH', message: '', userPrincipalName: `${cloudId ?? 'x'}@contoso.example`, ...(cloudId ? { cloudId } : {}) }) as Prediction;
const result = (predictions: Prediction[]): VerifyResult => ({ sourceAnchor: 'ms-DS-ConsistencyGuid', predictions, summary: { 'hard-match': 0, 'soft-match': 0, duplicate: 0, blocked: 0, 'not-in-scope': 0 } });
const user = (id: string, immutableId: string | null, extra: Partial<GraphUser> = {}): GraphUser =>
  ({ id, userPrincipalName: `${id}@contoso.example`, onPremisesImmutableId: immutableId, onPremisesSyncEnabled: null, ...extra }) as GraphUser;

describe('usersToReadAgain', () => {
  it.each([
    ['after apply: every run user not shown hard-matched, whatever else was predicted', [p('hard-match', 'a'), p('soft-match', 'b'), p('duplicate', 'c')], ['a', 'b', 'd'], ['b', 'd']],
    ['after apply: none when the listing shows them all hard-matched', [p('hard-match', 'a'), p('hard-match', 'b')], ['a', 'b'], []],
    ['standalone: duplicates, blocked and soft matches, not hard matches or cloud-less rows', [p('hard-match', 'a'), p('soft-match', 'b'), p('duplicate', 'c'), p('blocked', 'd'), p('not-in-scope', 'e'), p('not-in-scope')], undefined, ['b', 'c', 'd']],
  ])('%s', (_name, predictions, run, expected) => {
    const got = usersToReadAgain(result(predictions), run ? new Set(run) : undefined);
    expect(got.ids.sort()).toEqual(expected);
    expect(got.skipped).toBe(0);
  });

  it('standalone: soft matches above the cap are counted, duplicates never capped', () => {
    const soft = Array.from({ length: MAX_SOFT_MATCH_READS + 5 }, (_, i) => p('soft-match', `s${i}`));
    const got = usersToReadAgain(result([...soft, p('duplicate', 'dup')]));
    expect(got.skipped).toBe(5);
    expect(got.ids).toHaveLength(MAX_SOFT_MATCH_READS + 1);
    expect(got.ids).toContain('dup');
  });
});

describe('withFreshUsers', () => {
  it('replaces users whose anchor, sync state or UPN differ, keeps the rest as listed, adds users the listing missed', () => {
    const listed = [user('a', null), user('b', 'QQ=='), user('c', null)];
    const fresh = new Map([
      ['A', user('a', 'TkVX')],
      ['b', user('b', 'QQ==')],
      ['z', user('z', 'Wg==')],
    ]);
    const { users, changed } = withFreshUsers(listed, fresh);
    expect(changed).toEqual(['a', 'z']);
    expect(users.map((u) => [u.id, u.onPremisesImmutableId])).toEqual([
      ['a', 'TkVX'],
      ['b', 'QQ=='],
      ['c', null],
      ['z', 'Wg=='],
    ]);
    expect(users[1]).toBe(listed[1]);
  });
});
