import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTRIBUTE_MAP, effectiveAttributeMap } from '../../../src/plan/attribute-map.js';
import { ISO_3166_1 } from '../../../src/plan/countries.js';
import { findCountry, resolveCountry } from '../../../src/plan/country.js';
import { assumedExchangeSchema, exchangeSchemaOf } from '../../../src/exchange/attributes.js';
import { cleanValue, mapAttributes } from '../../../src/plan/map-attributes.js';
import { normaliseProxyAddresses } from '../../../src/plan/proxy-addresses.js';
import { makeUser } from './helpers.js';

const map = (overrides: Parameters<typeof makeUser>[0], opts: Partial<Parameters<typeof mapAttributes>[1]> = {}) =>
  mapAttributes(makeUser(overrides), {
    rules: effectiveAttributeMap(),
    exchangeSchema: assumedExchangeSchema(false),
    passwordMode: 'random',
    ...opts,
  });

describe('mapAttributes', () => {
  it('maps the Graph properties to their AD attributes', () => {
    const m = map({
      userPrincipalName: 'ann@contoso.com',
      givenName: 'Ann',
      surname: 'Lee',
      displayName: 'Ann Lee',
      mail: 'ann@contoso.com',
      businessPhones: ['+49 30 1234', '+49 30 9999'],
      mobilePhone: '+49 170 1',
      faxNumber: '+49 30 5',
      officeLocation: 'B2',
      streetAddress: 'Hauptstr. 1',
      city: 'Berlin',
      state: 'BE',
      postalCode: '10115',
      country: 'Germany',
      jobTitle: 'Engineer',
      department: 'R&D',
      companyName: 'Contoso',
      employeeId: 'E1',
      employeeType: 'Employee',
      manager: { id: 'mgr-1' },
    });
    expect(m.attributes).toEqual({
      userPrincipalName: 'ann@contoso.com',
      givenName: 'Ann',
      sn: 'Lee',
      displayName: 'Ann Lee',
      mail: 'ann@contoso.com',
      proxyAddresses: ['SMTP:ann@contoso.com'],
      telephoneNumber: '+49 30 1234',
      mobile: '+49 170 1',
      facsimileTelephoneNumber: '+49 30 5',
      physicalDeliveryOfficeName: 'B2',
      streetAddress: 'Hauptstr. 1',
      l: 'Berlin',
      st: 'BE',
      postalCode: '10115',
      c: 'DE',
      co: 'Germany',
      countryCode: '276',
      title: 'Engineer',
      department: 'R&D',
      company: 'Contoso',
      employeeID: 'E1',
      employeeType: 'Employee',
    });
    expect(m.managerCloudId).toBe('mgr-1');
    expect(m.userAccountControl).toBe(512);
    expect(m.warnings).toEqual([]);
  });

  it('omits empty values (AD refuses empty strings)', () => {
    const m = map({ givenName: '   ', department: '', jobTitle: '\u0000' });
    expect(m.attributes).not.toHaveProperty('givenName');
    expect(m.attributes).not.toHaveProperty('department');
    expect(m.attributes).not.toHaveProperty('title');
  });

  it('accountEnabled -> userAccountControl; null and password mode none stay disabled', () => {
    expect(map({ accountEnabled: true }).userAccountControl).toBe(512);
    expect(map({ accountEnabled: false }).userAccountControl).toBe(514);
    expect(map({ accountEnabled: null }).userAccountControl).toBe(514);
    expect(map({ accountEnabled: true }, { passwordMode: 'none' }).userAccountControl).toBe(514);
  });

  it.each([
    ['givenName', 'givenName', 64],
    ['surname', 'sn', 64],
    ['displayName', 'displayName', 256],
    ['jobTitle', 'title', 128],
    ['department', 'department', 64],
    ['companyName', 'company', 64],
    ['city', 'l', 128],
    ['state', 'st', 128],
    ['postalCode', 'postalCode', 40],
    ['officeLocation', 'physicalDeliveryOfficeName', 128],
    ['employeeId', 'employeeID', 16],
    ['employeeType', 'employeeType', 256],
    ['mobilePhone', 'mobile', 64],
    ['streetAddress', 'streetAddress', 1024],
  ] as const)('cuts %s to the %s limit of %i with a warning', (prop, attr, max) => {
    const m = map({ [prop]: 'x'.repeat(max + 5) });
    expect(m.attributes[attr]).toBe('x'.repeat(max));
    expect(m.warnings).toContainEqual(expect.objectContaining({ code: 'WARN_TRUNCATED', field: attr }));
    const ok = map({ [prop]: 'y'.repeat(max) });
    expect(ok.attributes[attr]).toBe('y'.repeat(max));
    expect(ok.warnings).toEqual([]);
  });

  it('never cuts a surrogate pair', () => {
    const m = map({ department: `${'x'.repeat(63)}😀` });
    expect(m.attributes['department']).toBe('x'.repeat(63));
  });

  it('removes control characters with a warning; keeps lines in streetAddress as CRLF', () => {
    const m = map({ jobTitle: 'Head\u0007 of\tSales', streetAddress: 'Line 1\nLine 2\r\n\r\nLine 3\u0000' });
    expect(m.attributes['title']).toBe('Head of Sales');
    expect(m.attributes['streetAddress']).toBe('Line 1\r\nLine 2\r\nLine 3');
    expect(m.warnings.filter((w) => w.code === 'WARN_CONTROL_CHARACTERS_REMOVED').map((w) => w.field)).toEqual(['streetAddress', 'title']);
    expect(cleanValue('displayName', 'a\uD800b').value).toBe('ab');
  });

  it('writes an Exchange attribute only where the forest has it, and says which it could not', () => {
    const ext = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, null])) as Record<string, string | null>;
    ext['extensionAttribute3'] = 'cost-center-7';
    const u = { mailNickname: 'ann', onPremisesExtensionAttributes: ext as never };
    expect(map(u).attributes).not.toHaveProperty('mailNickname');
    expect(map(u).attributes).not.toHaveProperty('extensionAttribute3');
    expect(map(u).notInSchema).toEqual(['mailNickname', 'extensionAttribute3']);
    const on = map(u, { exchangeSchema: assumedExchangeSchema(true) });
    expect(on.attributes['mailNickname']).toBe('ann');
    expect(on.attributes['extensionAttribute3']).toBe('cost-center-7');
    expect(on.notInSchema).toEqual([]);
    // A forest with mailNickname but without the custom attributes (read from its schema).
    const part = map(u, { exchangeSchema: exchangeSchemaOf('directory', ['mailnickname']) });
    expect(part.attributes['mailNickname']).toBe('ann');
    expect(part.attributes).not.toHaveProperty('extensionAttribute3');
    expect(part.notInSchema).toEqual(['extensionAttribute3']);
  });

  it('overrides: another template, a new attribute, or null to drop', () => {
    const rules = effectiveAttributeMap({ description: 'Imported from {upnDomain}', title: null, displayName: '{surname}, {givenName}' });
    const m = map({ userPrincipalName: 'a@contoso.com', givenName: 'Ann', surname: 'Lee', jobTitle: 'CEO' }, { rules });
    expect(m.attributes['description']).toBe('Imported from contoso.com');
    expect(m.attributes).not.toHaveProperty('title');
    expect(m.attributes['displayName']).toBe('Lee, Ann');
    expect(DEFAULT_ATTRIBUTE_MAP.some((r) => r.attribute === 'title')).toBe(true);
  });
});

describe('country', () => {
  it('has every ISO 3166-1 country once', () => {
    expect(ISO_3166_1.length).toBe(249);
    expect(new Set(ISO_3166_1.map((c) => c.alpha2)).size).toBe(249);
    expect(new Set(ISO_3166_1.map((c) => c.numeric)).size).toBe(249);
  });

  it.each([
    ['Germany', 'DE', 'Germany', '276'],
    ['DE', 'DE', 'Germany', '276'],
    ['deu', 'DE', 'Germany', '276'],
    ['Deutschland', 'DE', 'Germany', '276'],
    ['United States', 'US', 'United States', '840'],
    ['USA', 'US', 'United States', '840'],
    ['United States of America', 'US', 'United States', '840'],
    ['UK', 'GB', 'United Kingdom', '826'],
    ['Korea, Republic of', 'KR', 'South Korea', '410'],
    ['cote d’ivoire'.replace('’', "'"), 'CI', "Côte d'Ivoire", '384'],
    ['Afghanistan', 'AF', 'Afghanistan', '4'],
    ['  poland ', 'PL', 'Poland', '616'],
  ])('%s -> c=%s co=%s countryCode=%s', (input, c, co, code) => {
    const r = resolveCountry(input, null);
    expect(r).toEqual({ status: 'resolved', from: 'country', attributes: { c, co, countryCode: code } });
  });

  it('falls back to usageLocation, and reports an unknown country', () => {
    expect(resolveCountry(null, 'FR')).toEqual({ status: 'resolved', from: 'usageLocation', attributes: { c: 'FR', co: 'France', countryCode: '250' } });
    const r = resolveCountry('Atlantis', 'NO');
    expect(r.status).toBe('unknown');
    expect(findCountry('Atlantis')).toBeNull();
    const m = mapAttributes(makeUser({ country: 'Atlantis', usageLocation: 'NO' }), {
      rules: effectiveAttributeMap(),
      exchangeSchema: assumedExchangeSchema(false),
      passwordMode: 'random',
    });
    expect(m.attributes['c']).toBe('NO');
    expect(m.warnings.map((w) => w.code)).toEqual(['WARN_COUNTRY_UNKNOWN']);
  });
});

describe('proxyAddresses', () => {
  it('keeps all: one SMTP primary, smtp aliases, other types as they are', () => {
    expect(
      normaliseProxyAddresses(['smtp:alias@contoso.com', 'SMTP:ann@contoso.com', 'X500:/o=Org/cn=ann', 'SIP:ann@contoso.com'], 'ann@contoso.com'),
    ).toEqual(['SMTP:ann@contoso.com', 'smtp:alias@contoso.com', 'X500:/o=Org/cn=ann', 'SIP:ann@contoso.com']);
  });

  it('several primaries: the one equal to mail wins, others become aliases', () => {
    expect(normaliseProxyAddresses(['SMTP:a@x.com', 'SMTP:b@x.com'], 'b@x.com')).toEqual(['SMTP:b@x.com', 'smtp:a@x.com']);
  });

  it('no addresses: SMTP:mail; duplicates collapse', () => {
    expect(normaliseProxyAddresses([], 'ann@x.com')).toEqual(['SMTP:ann@x.com']);
    expect(normaliseProxyAddresses([], null)).toEqual([]);
    expect(normaliseProxyAddresses(['SMTP:a@x.com', 'smtp:A@X.com', 'smtp:b@x.com', 'smtp:b@x.com'], null)).toEqual(['SMTP:a@x.com', 'smtp:b@x.com']);
  });

  it('aliases only: the one equal to mail is promoted', () => {
    expect(normaliseProxyAddresses(['smtp:a@x.com', 'smtp:b@x.com'], 'b@x.com')).toEqual(['SMTP:b@x.com', 'smtp:a@x.com']);
  });
});
