import { describe, expect, it } from 'vitest';
import { UserCompactor } from '../../../src/cloud/compact-user.js';
import { buildPlan } from '../../../src/plan/build-plan.js';
import { NOW, makeUser, settings } from '../plan/helpers.js';

const allNull = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])) as never;

/** Two users as JSON.parse gives them: equal values, separate strings (the same two on every call). */
const TEXT = JSON.stringify([
      makeUser({ department: 'Sales', city: 'Berlin', userType: 'Member', onPremisesExtensionAttributes: allNull }),
      makeUser({ department: 'Sales', city: 'Berlin', userType: 'Member', businessPhones: ['+49 30 1'], onPremisesExtensionAttributes: { ...(allNull as object), extensionAttribute3: 'x' } as never }),
]);
const parsed = () => JSON.parse(TEXT) as ReturnType<typeof makeUser>[];

describe('UserCompactor', () => {
  it('keeps every value, drops only empty per-user objects', () => {
    const [a, b] = parsed();
    const compactor = new UserCompactor();
    const before = JSON.parse(JSON.stringify([a, b]));
    compactor.compact(a!);
    compactor.compact(b!);
    expect(a!.onPremisesExtensionAttributes).toBeNull();
    expect(b!.onPremisesExtensionAttributes).toEqual(before[1].onPremisesExtensionAttributes);
    expect({ ...a, onPremisesExtensionAttributes: allNull }).toEqual(before[0]);
    expect(b).toEqual(before[1]);
    expect(Object.isFrozen(a!.businessPhones)).toBe(true);
    expect(b!.businessPhones).toEqual(['+49 30 1']);
  });

  it('plans compacted users exactly as it plans the users Graph sent', () => {
    const compactor = new UserCompactor();
    const input = { settings: settings(), tenantId: 't', now: NOW, toolVersion: '1' };
    expect(buildPlan({ ...input, users: parsed().map((u) => compactor.compact(u)) })).toEqual(buildPlan({ ...input, users: parsed() }));
  });
});
