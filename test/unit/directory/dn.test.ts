import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  childDn,
  dnEquals,
  dnKeyOrText,
  DirectoryError,
  escapeRdnValue,
  formatDn,
  isDnWithin,
  parentDn,
  parentDnOrEmpty,
  parseDn,
  rdn,
  rdnType,
  rdnValue,
  tryParseDn,
} from '../../../src/directory/index.js';

describe('escapeRdnValue (RFC 4514 section 2.4)', () => {
  it.each([
    ['plain', 'plain'],
    ['Smith, John', 'Smith\\, John'],
    ['a+b', 'a\\+b'],
    ['say "hi"', 'say \\"hi\\"'],
    ['back\\slash', 'back\\\\slash'],
    ['<tag>', '\\<tag\\>'],
    ['semi;colon', 'semi\\;colon'],
    ['a=b', 'a\\=b'],
    ['#1 Support', '\\#1 Support'],
    ['a#b', 'a#b'],
    [' lead', '\\ lead'],
    ['trail ', 'trail\\ '],
    [' both ', '\\ both\\ '],
    [' ', '\\ '],
    ['  ', '\\ \\ '],
    ['mid dle', 'mid dle'],
    ['nul\0x', 'nul\\00x'],
    ['line\nfeed\r', 'line\\0Afeed\\0D'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['日本語', '日本語'],
    ['😀', '😀'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeRdnValue(value)).toBe(escaped);
  });
});

describe('rdn / childDn', () => {
  it('builds a child DN with the value escaped and the parent untouched', () => {
    expect(rdn('CN', 'Smith, John')).toBe('CN=Smith\\, John');
    expect(childDn('OU=Sales,DC=corp,DC=example,DC=test', 'CN', '#Smith, John ')).toBe(
      'CN=\\#Smith\\, John\\ ,OU=Sales,DC=corp,DC=example,DC=test',
    );
  });

  it('refuses empty values, bad attribute types and lone surrogates', () => {
    expect(() => rdn('CN', '')).toThrow(DirectoryError);
    expect(() => rdn('C N', 'x')).toThrow(DirectoryError);
    expect(() => rdn('CN', 'bad\uD800')).toThrow(/well-formed/);
    try {
      rdn('CN', '');
    } catch (error) {
      expect((error as DirectoryError).reason).toBe('INVALID_DN');
      expect((error as DirectoryError).exitCode).toBe(2);
    }
  });
});

describe('parseDn', () => {
  it('splits and unescapes', () => {
    expect(parseDn('CN=Smith\\, John,OU=Sales,DC=corp')).toEqual([
      { type: 'CN', value: 'Smith, John' },
      { type: 'OU', value: 'Sales' },
      { type: 'DC', value: 'corp' },
    ]);
  });

  it('reads hex pairs, including multi-byte UTF-8 (as Samba returns ; and =)', () => {
    expect(rdnValue('CN=\\3B\\3Dx')).toBe(';=x');
    expect(rdnValue('CN=Zo\\C3\\AB')).toBe('Zoë');
    expect(rdnValue('CN=\\e6\\97\\a5')).toBe('日');
  });

  it('reads the DN Samba 4.17 returned for an all-specials CN (measured)', () => {
    const fromSamba = 'CN=\\# Zo\\"ë\\, Å\\+ng\\\\s\\<\\>\\3B\\3Dx\\ ,OU=probe,DC=corp,DC=example,DC=test';
    expect(rdnValue(fromSamba)).toBe('# Zo"ë, Å+ng\\s<>;=x ');
  });

  it('tolerates spaces around separators but keeps escaped ones', () => {
    expect(parseDn('CN = a , OU=b\\ , DC=c')).toEqual([
      { type: 'CN', value: 'a' },
      { type: 'OU', value: 'b ' },
      { type: 'DC', value: 'c' },
    ]);
  });

  it('reads RFC 2253 quoted values', () => {
    expect(parseDn('CN="Smith, John",DC=x')[0]).toEqual({ type: 'CN', value: 'Smith, John' });
  });

  it('returns [] for the empty DN (rootDSE)', () => {
    expect(parseDn('')).toEqual([]);
  });

  it.each([
    ['CN', 'missing "="'],
    ['CN=a+OU=b', 'multi-valued'],
    ['CN=#04024869', 'BER'],
    ['CN=a\\', 'dangling'],
    ['CN=\\C3', 'UTF-8'],
    ['CN=a,', 'trailing separator'],
    ['CN=', 'empty value'],
    ['CN="open', 'unterminated'],
    ['CN=a"b', 'unescaped'],
  ])('rejects %j (%s)', (dn, why) => {
    expect(() => parseDn(dn)).toThrow(new RegExp(why));
  });
});

describe('tryParseDn (input validation: never throws)', () => {
  it('gives the RDNs of a DN, or null for anything that is not one', () => {
    expect(tryParseDn('CN=Smith\\2C John, OU=A\\+B ,DC=x')).toEqual([
      { type: 'CN', value: 'Smith, John' },
      { type: 'OU', value: 'A+B' },
      { type: 'DC', value: 'x' },
    ]);
    expect(tryParseDn('1.2.3=x,DC=y')?.[0]?.type).toBe('1.2.3');
    expect(tryParseDn('not a dn')).toBeNull();
    expect(tryParseDn('CN=a,')).toBeNull();
    expect(tryParseDn('')).toBeNull();
  });
});

describe('DN helpers', () => {
  it('rdnType, parentDn, formatDn', () => {
    expect(rdnType('cn=x,DC=y')).toBe('CN');
    expect(parentDn('CN=a\\,b,OU=c\\+d,DC=e')).toBe('OU=c\\+d,DC=e');
    expect(formatDn(parseDn('CN=\\3B,DC=e'))).toBe('CN=\\;,DC=e');
  });

  it('dnEquals ignores case and escaping style', () => {
    expect(dnEquals('CN=Smith\\2C John,OU=Sales,DC=corp', 'cn=smith\\, john,ou=sales,dc=CORP')).toBe(true);
    expect(dnEquals('CN=a,DC=x', 'CN=b,DC=x')).toBe(false);
  });

  it('isDnWithin', () => {
    expect(isDnWithin('CN=u,OU=t,DC=corp', 'OU=t,DC=corp')).toBe(true);
    expect(isDnWithin('OU=t,DC=corp', 'OU=t,DC=corp')).toBe(true);
    expect(isDnWithin('CN=u,OU=other,DC=corp', 'OU=t,DC=corp')).toBe(false);
    expect(isDnWithin('DC=corp', 'OU=t,DC=corp')).toBe(false);
  });
});

describe('dnKeyOrText / parentDnOrEmpty (DNs read from a snapshot or a plan: never throw)', () => {
  it.each([
    ['a DN: its dnKey', 'cn=Smith\\2C John,ou=Sales,DC=Corp', 'CN=smith\\, john,OU=sales,DC=corp', 'ou=Sales,DC=Corp'],
    ['escaping styles meet', 'CN=\\3B,DC=e', 'CN=\\;,DC=e', 'DC=e'],
    ['one RDN: no parent', 'DC=corp', 'DC=corp', ''],
    ['not a DN: the lower-cased text, no parent', 'Not A DN', 'not a dn', ''],
    ['a trailing comma does not parse either', 'CN=A,', 'cn=a,', ''],
  ])('%s', (_name, dn, key, parent) => {
    expect(dnKeyOrText(dn)).toBe(key);
    expect(parentDnOrEmpty(dn)).toBe(parent);
  });
});

// 2,000 runs each: a correctness property, not a speed one; on a loaded 2-core CI machine they
// take longer than vitest's 5 s default, so the timeout is generous (the assertion is unchanged).
describe('round trip (property)', { timeout: 60_000 }, () => {
  const parent = 'OU=Sales \\+ Ops,DC=corp,DC=example,DC=test';
  const specials = fc.constantFrom(',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ', '\0', '\n', 'é', 'Å', '😀', 'a', 'Z', '0');

  it('parseDn(childDn(parent, CN, x)) gives x back for any string of 1..64 code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }), (value) => {
        const rdns = parseDn(childDn(parent, 'CN', value));
        expect(rdns[0]).toEqual({ type: 'CN', value });
        expect(rdns.slice(1)).toEqual(parseDn(parent));
        expect(rdnValue(childDn(parent, 'CN', value))).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('also for strings made only of characters that need escaping', () => {
    fc.assert(
      fc.property(fc.array(specials, { minLength: 1, maxLength: 64 }), (chars) => {
        const value = chars.join('');
        expect(rdnValue(childDn(parent, 'CN', value))).toBe(value);
        expect(dnEquals(childDn(parent, 'CN', value), formatDn(parseDn(childDn(parent, 'CN', value))))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
