import { describe, expect, it } from 'vitest';
import { DirectoryIndex, isUserObject } from '../../../src/plan/directory-index.js';
import { TARGET_OU, adObject, directory } from './helpers.js';

const OTHER = 'OU=Other,DC=corp,DC=example,DC=test';

describe('isUserObject', () => {
  it.each([
    ['user', ['top', 'person', 'organizationalPerson', 'user'], true],
    ['inetOrgPerson (a subclass of user)', ['top', 'person', 'organizationalPerson', 'user', 'inetOrgPerson'], true],
    ['objectClass in any case', ['TOP', 'USER'], true],
    ['computer (a subclass of user)', ['top', 'person', 'organizationalPerson', 'user', 'computer'], false],
    ['contact', ['top', 'person', 'organizationalPerson', 'contact'], false],
    ['group', ['top', 'group'], false],
  ])('%s', (_name, objectClass, expected) => {
    expect(isUserObject(adObject({ dn: `CN=x,${OTHER}`, objectClass }))).toBe(expected);
  });
});

describe('DirectoryIndex', () => {
  const first = adObject({
    dn: `CN=Ann Lee,${OTHER}`,
    userPrincipalName: 'Ann@Contoso.com',
    sAMAccountName: 'ALee',
    mail: ' Ann.Lee@Contoso.com ',
    proxyAddresses: ['SMTP:ann.lee@contoso.com', 'smtp:ann@fabrikam.com', 'X500:/o=x/cn=ann', 'sip:ann@contoso.com'],
  });
  // The same UPN and sAMAccountName again: AD refuses that, a snapshot may still hold it; the first one read is the holder.
  const second = adObject({ dn: `CN=Ann Lee 2,${OTHER}`, userPrincipalName: 'ann@contoso.com', sAMAccountName: 'alee', proxyAddresses: ['smtp:ANN@fabrikam.com'] });
  const contact = adObject({ dn: `CN=Bob\\, Jr.,${TARGET_OU}`, objectClass: ['top', 'contact'], mail: 'bob@contoso.com' });
  const odd = adObject({ dn: 'not a dn', sAMAccountName: 'odd' });
  const index = new DirectoryIndex(directory([first, second, contact, odd], ['Bob, Jr.', 'Ｊｏｈｎ Smith', 'サクラ']));

  it.each([
    ['UPN, any case', () => index.byUpn('ANN@contoso.COM'), first],
    ['UPN nobody has', () => index.byUpn('bob@contoso.com'), undefined],
    ['sAMAccountName, any case', () => index.bySam('alee'), first],
    ['sAMAccountName of an object whose DN does not parse', () => index.bySam('ODD'), odd],
    ['DN, other case and escaping', () => index.byDn(`cn=bob\\2c jr.,${TARGET_OU.toLowerCase()}`), contact],
    ['DN that does not parse, by its text', () => index.byDn('NOT A DN'), odd],
    ['DN nobody has', () => index.byDn(`CN=Nobody,${OTHER}`), undefined],
  ])('%s', (_name, lookup, expected) => {
    expect(lookup()).toBe(expected);
  });

  it.each([
    ['mail, trimmed and lower-cased, and the SMTP: address: one holder once', 'ann.lee@contoso.com', [first]],
    ['an smtp: alias in any case: every holder, in snapshot order', 'ann@fabrikam.com', [first, second]],
    ["a contact's mail", 'bob@contoso.com', [contact]],
    ['a sip: address is not an SMTP address', 'ann@contoso.com', []],
  ])('smtpHolders: %s', (_name, address, expected) => {
    expect(index.smtpHolders(address)).toEqual(expected);
  });

  it('samAccountNames: each name once, lower-cased', () => {
    expect([...index.samAccountNames()].sort()).toEqual(['alee', 'odd']);
  });

  it.each([
    ['as stored', 'Bob, Jr.', true],
    ['other case', 'BOB, JR.', true],
    ['other width (AD ignores it)', 'john smith', true],
    ['katakana for hiragana (AD ignores kana type)', 'さくら', true],
    ['another name', 'Bob', false],
  ])('isCnTakenInTargetOu: %s', (_name, cn, expected) => {
    expect(index.isCnTakenInTargetOu(cn)).toBe(expected);
  });

  it.each([
    ['an object there: its DN as stored', `cn=ann lee,${OTHER}`, first.dn],
    ['a CN taken in the target OU (children known by CN only): the DN asked', `CN=JOHN SMITH,${TARGET_OU}`, `CN=JOHN SMITH,${TARGET_OU}`],
    ['the same CN under another parent is free', `CN=John Smith,${OTHER}`, undefined],
    ['a free CN in the target OU', `CN=Ann Lee,${TARGET_OU}`, undefined],
    ['a DN that does not parse and nobody has', 'CN=a,', undefined],
  ])('dnHolder: %s', (_name, dn, expected) => {
    expect(index.dnHolder(dn)).toBe(expected);
  });

  it.each([
    ["the target OU: its children as read (every child, not only the snapshot's objects)", TARGET_OU.toUpperCase(), ['Bob, Jr.', 'Ｊｏｈｎ Smith', 'サクラ']],
    ["another parent: the CNs of the snapshot's objects under it", OTHER.toLowerCase(), ['Ann Lee', 'Ann Lee 2']],
    ['a parent with no objects', `OU=Empty,${OTHER}`, []],
  ])('cnsUnder: %s', (_name, parent, expected) => {
    expect(index.cnsUnder(parent)).toEqual(expected);
  });
});
