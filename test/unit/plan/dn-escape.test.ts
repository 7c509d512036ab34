import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childDn, escapeRdnValue, parseDn, rdnValue } from '../../../src/plan/dn-escape.js';

describe('RFC 4514 DN helpers', () => {
  it.each([
    ['Smith, John', 'Smith\\, John'],
    ['a+b', 'a\\+b'],
    ['"q"', '\\"q\\"'],
    ['<x>;y', '\\<x\\>\\;y'],
    ['back\\slash', 'back\\\\slash'],
    ['#first', '\\#first'],
    ['mid#dle', 'mid#dle'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    ['nul\0', 'nul\\00'],
    ['Łukasz Żółć', 'Łukasz Żółć'],
    ['a=b', 'a\\=b'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeRdnValue(value)).toBe(escaped);
    expect(rdnValue(childDn('OU=x,DC=y', 'CN', value))).toBe(value);
  });

  it('parses DNs with escapes, hex pairs and spaces around separators', () => {
    expect(parseDn('CN=Smith\\2C John, OU=A\\+B ,DC=x')).toEqual([
      { type: 'CN', value: 'Smith, John' },
      { type: 'OU', value: 'A+B' },
      { type: 'DC', value: 'x' },
    ]);
    expect(parseDn('CN=\\C5\\81ukasz,DC=x')?.[0]?.value).toBe('Łukasz');
    expect(parseDn('not a dn')).toBeNull();
    expect(parseDn('CN=a,')).toBeNull();
    expect(parseDn('')).toBeNull();
    expect(parseDn('1.2.3=x,DC=y')?.[0]?.type).toBe('1.2.3');
  });

  it('round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }), (value) => {
        expect(rdnValue(childDn('OU=Cloud Users,DC=corp,DC=test', 'CN', value))).toBe(value);
      }),
      { numRuns: 1000 },
    );
  });
});
