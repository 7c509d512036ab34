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

const PARENT = 'OU=Sales,DC=corp,DC=example,DC=test';

/**
 * The one table of RFC 4514 escaping (section 2.4): each value, and how it stands in an RDN. Every row
 * is checked three ways: escapeRdnValue, the RDN and child DN built from it, and the value read back.
 */
describe('escaping an RDN value (RFC 4514 section 2.4)', () => {
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
    ['#Smith, John ', '\\#Smith\\, John\\ '],
    ['nul\0x', 'nul\\00x'],
    ['line\nfeed\r', 'line\\0Afeed\\0D'],
    ['Zoë Ångström', 'Zoë Ångström'],
    ['日本語', '日本語'],
    ['😀', '😀'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeRdnValue(value)).toBe(escaped);
    expect(rdn('CN', value)).toBe(`CN=${escaped}`);
    // The parent is appended untouched.
    expect(childDn(PARENT, 'CN', value)).toBe(`CN=${escaped},${PARENT}`);
    expect(rdnValue(childDn(PARENT, 'CN', value))).toBe(value);
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

/** The one table of reading DNs: each DN and its RDNs, unescaped. tryParseDn reads the same DNs. */
describe('parseDn', () => {
  it.each([
    ['splits and unescapes', 'CN=Smith\\, John,OU=Sales,DC=corp', [['CN', 'Smith, John'], ['OU', 'Sales'], ['DC', 'corp']]],
    ['hex pairs (as Samba returns ; and =)', 'CN=\\3B\\3Dx', [['CN', ';=x']]],
    ['hex pairs of multi-byte UTF-8', 'CN=Zo\\C3\\AB', [['CN', 'Zoë']]],
    ['lower-case hex pairs', 'CN=\\e6\\97\\a5', [['CN', '日']]],
    [
      'the DN Samba 4.17 returned for an all-specials CN (measured)',
      'CN=\\# Zo\\"ë\\, Å\\+ng\\\\s\\<\\>\\3B\\3Dx\\ ,OU=probe,DC=corp,DC=example,DC=test',
      [['CN', '# Zo"ë, Å+ng\\s<>;=x '], ['OU', 'probe'], ['DC', 'corp'], ['DC', 'example'], ['DC', 'test']],
    ],
    ['spaces around separators dropped, escaped ones kept', 'CN = a , OU=b\\ , DC=c', [['CN', 'a'], ['OU', 'b '], ['DC', 'c']]],
    ['a hex-escaped comma and spaces around an escaped plus', 'CN=Smith\\2C John, OU=A\\+B ,DC=x', [['CN', 'Smith, John'], ['OU', 'A+B'], ['DC', 'x']]],
    ['an OID as attribute type', '1.2.3=x,DC=y', [['1.2.3', 'x'], ['DC', 'y']]],
    ['RFC 2253 quoted values', 'CN="Smith, John",DC=x', [['CN', 'Smith, John'], ['DC', 'x']]],
  ])('%s', (_name, dn, rdns) => {
    const expected = rdns.map(([type, value]) => ({ type, value }));
    expect(parseDn(dn)).toEqual(expected);
    expect(tryParseDn(dn)).toEqual(expected);
    expect(rdnValue(dn)).toBe(expected[0]!.value);
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
    expect(tryParseDn(dn)).toBeNull();
  });
});

describe('tryParseDn (input validation: never throws)', () => {
  it('is null for anything that is not a DN, the empty DN included (the tables above: the same RDNs as parseDn, null where it throws)', () => {
    expect(tryParseDn('not a dn')).toBeNull();
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
