import { describe, expect, it } from 'vitest';
import type { PlanEntry } from '../../../src/plan/types.js';
import { managersFirst } from '../../../src/apply/manager-order.js';

const e = (id: string, managerCloudId?: string): PlanEntry =>
  ({ cloudId: id, userPrincipalName: `${id}@x`, displayName: id, action: 'create', reason: '', message: '', currentImmutableId: null, fingerprint: '', ...(managerCloudId ? { managerCloudId } : {}) }) as PlanEntry;

describe('managersFirst', () => {
  it('puts every manager before its reports, keeping the plan order otherwise', () => {
    const entries = [e('ann', 'bob'), e('zed'), e('bob', 'cat'), e('dan', 'ann'), e('cat'), e('eve', 'outside')];
    const order = managersFirst(entries).map((x) => x.cloudId);
    expect(order).toEqual(['zed', 'cat', 'eve', 'bob', 'ann', 'dan']);
    for (const entry of entries) {
      if (entry.managerCloudId && order.includes(entry.managerCloudId)) {
        expect(order.indexOf(entry.managerCloudId), `${entry.managerCloudId} before ${entry.cloudId}`).toBeLessThan(order.indexOf(entry.cloudId));
      }
    }
  });

  it('terminates on a manager cycle and keeps every entry once', () => {
    const entries = [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('d', 'a')];
    const order = managersFirst(entries).map((x) => x.cloudId);
    expect([...order].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(order.indexOf('a')).toBeLessThan(order.indexOf('d'));
  });
});
