import { describe, expect, it } from 'vitest';
import { isOtherTenant } from '../../../src/commands/common.js';

const RUN = '11111111-2222-4333-8444-555555555555';

describe('isOtherTenant (rollback, apply --clear-object-identifier)', () => {
  it.each([
    ['the same GUID, any case', RUN.toUpperCase(), false],
    ['another GUID', '99999999-2222-4333-8444-555555555555', true],
    ['no tenant in the sign-in', undefined, false],
    ['a domain name: cannot be compared, passes', 'contoso.onmicrosoft.com', false],
  ])('%s', (_name, signedIn, other) => {
    expect(isOtherTenant(RUN, signedIn)).toBe(other);
  });

  it('a run planned for a domain name: passes', () => {
    expect(isOtherTenant('contoso.com', RUN)).toBe(false);
  });
});
