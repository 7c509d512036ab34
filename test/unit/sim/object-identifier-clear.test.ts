import { describe, expect, it } from 'vitest';
import { callerMayClear, checkObjectIdentifierClear } from '../../../src/sim/object-identifier-clear.js';
import { GLOBAL_ADMINISTRATOR, HYBRID_IDENTITY_ADMINISTRATOR as HIA } from '../../../src/sim/permissions.js';
import type { Caller } from '../../../src/sim/token-claims.js';

const app = (roles: string[]): Caller => ({ kind: 'app', appId: 'a', objectId: 'o', roles: new Set(roles), roleTemplateIds: new Set() });
const user = (scopes: string[], roles: string[]): Caller => ({ kind: 'user', appId: 'a', objectId: 'o', scopes: new Set(scopes), roleTemplateIds: new Set(roles) });
const P = 'User-OnPremisesSyncBehavior.ReadWrite.All';

describe('who may clear onPremisesObjectIdentifier', () => {
  it.each([
    ['app with the permission', app([P, 'User.ReadWrite.All']), true],
    ['app with User.ReadWrite.All only', app(['User.ReadWrite.All', 'Directory.ReadWrite.All']), false],
    ['delegated scope, Hybrid Identity Administrator', user([P], [HIA]), true],
    ['delegated scope, Global Administrator', user([P], [GLOBAL_ADMINISTRATOR]), true],
    ['delegated scope, no role', user([P], []), false],
    ['a role without the scope', user(['User.ReadWrite.All'], [GLOBAL_ADMINISTRATOR]), false],
  ] as const)('%s -> %s', (_name, caller, allowed) => {
    expect(callerMayClear(caller)).toBe(allowed);
  });

  it('only null; a refusal is 403 Authorization_RequestDenied', () => {
    expect(() => checkObjectIdentifierClear({ caller: app([P]) }, 'x')).toThrow(/Invalid value specified for property 'onPremisesObjectIdentifier'/);
    expect(() => checkObjectIdentifierClear({ caller: app([]) }, null)).toThrow(expect.objectContaining({ status: 403, code: 'Authorization_RequestDenied' }));
    expect(() => checkObjectIdentifierClear({ caller: app([P]) }, null)).not.toThrow();
  });
});
