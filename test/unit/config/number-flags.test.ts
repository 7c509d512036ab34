import { describe, expect, it } from 'vitest';
import { DC_OUTAGE_LIMIT_FLAG, DIRECTORY_CONCURRENCY_FLAG, integerFlagProblems, refuseInvalidIntegerFlags } from '../../../src/config/number-flags.js';

describe('integer flags', () => {
  const flags = [DIRECTORY_CONCURRENCY_FLAG, DC_OUTAGE_LIMIT_FLAG];
  it.each<[Record<string, unknown>, string[]]>([
    [{}, []],
    [{ 'directory-concurrency': 8, 'dc-outage-limit': 0 }, []],
    [{ 'directory-concurrency': 0 }, ['--directory-concurrency: 0; it takes a whole number from 1 to 32']],
    [{ 'directory-concurrency': Number('abc') }, ['--directory-concurrency: not a number; it takes a whole number from 1 to 32']],
    [{ 'directory-concurrency': 2.5, 'dc-outage-limit': -1 }, ['--directory-concurrency: 2.5; it takes a whole number from 1 to 32', '--dc-outage-limit: -1; it takes a whole number from 0 to 86400']],
    [{ 'directory-concurrency': 33 }, ['--directory-concurrency: 33; it takes a whole number from 1 to 32']],
  ])('%j', (args, expected) => {
    expect(integerFlagProblems(args, flags)).toEqual(expected);
  });

  it('refuses with FLAGS_INVALID, exit 2, every problem listed', () => {
    let error: unknown;
    try {
      refuseInvalidIntegerFlags({ 'directory-concurrency': 0, 'dc-outage-limit': Number.NaN }, flags);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ reason: 'FLAGS_INVALID', exitCode: 2, field: '--directory-concurrency' });
    expect((error as { problems: string[] }).problems).toHaveLength(2);
  });
});
