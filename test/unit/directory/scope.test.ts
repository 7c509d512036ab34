import { EqualityFilter, OrFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { chunkedOrFilters, isEmptyScope, objectTerms, rdnsByParent, scopeMinus, SCOPE_TERMS_PER_FILTER } from '../../../src/directory/scope.js';

const GUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('objectTerms', () => {
  it('one equality per name, anchors as objectGUID bytes (mS-DS-ConsistencyGuid is not indexed: read apart), duplicates (any case) once', () => {
    const terms = objectTerms({
      userPrincipalNames: ['Ann@Contoso.com', 'ann@contoso.com'],
      samAccountNames: ['ann'],
      proxyAddresses: ['SMTP:ann@contoso.com'],
      mails: ['ann@contoso.com', ''],
      anchors: [GUID, Buffer.from(GUID)],
    });
    expect(terms.map((t) => t.attribute)).toEqual(['userPrincipalName', 'sAMAccountName', 'proxyAddresses', 'mail', 'objectGUID']);
    expect(terms.find((t) => t.attribute === 'objectGUID')!.value).toEqual(GUID);
  });

  it("interleaves the lists, so one user's names share a chunk (its object is read back once)", () => {
    const terms = objectTerms({ userPrincipalNames: ['a@x', 'b@x', 'c@x'], mails: ['a@x', 'b@x'], anchors: [GUID] });
    expect(terms.map((t) => `${t.attribute}=${typeof t.value === 'string' ? t.value : 'guid'}`)).toEqual([
      'userPrincipalName=a@x',
      'mail=a@x',
      'objectGUID=guid',
      'userPrincipalName=b@x',
      'mail=b@x',
      'userPrincipalName=c@x',
    ]);
  });
});

describe('chunkedOrFilters', () => {
  it(`puts at most ${SCOPE_TERMS_PER_FILTER} terms in one filter`, () => {
    const terms = Array.from({ length: 250 }, (_, i) => ({ attribute: 'sAMAccountName', value: `u${i}` }));
    const filters = chunkedOrFilters(terms);
    expect(filters.map((f) => f.filters.length)).toEqual([100, 100, 50]);
    expect(filters.every((f) => f instanceof OrFilter && f.filters.every((g) => g instanceof EqualityFilter))).toBe(true);
    expect(chunkedOrFilters([])).toEqual([]);
  });

  it('filter values are data: RFC 4515 escapes in the string form, bytes as \\XX', () => {
    const [filter] = chunkedOrFilters(objectTerms({ userPrincipalNames: ['*)(objectClass=*'], anchors: [Buffer.from([0x2a, 0x28, 0x00])] }));
    expect(filter!.toString()).toBe('(|(userPrincipalName=\\2a\\29\\28objectClass=\\2a)(objectGUID=\\2a\\28\\00))');
  });
});

describe('rdnsByParent', () => {
  it('groups RDN values under their parent (any spelling of the parent), each value once', () => {
    const groups = [...rdnsByParent(['CN=Ann,OU=New,DC=corp', 'CN=ANN,ou=new,dc=CORP', 'CN=Smith\\, John,OU=New,DC=corp', 'CN=Bo,OU=Old,DC=corp', 'not a dn', 'DC=corp']).values()];
    expect(groups).toEqual([
      { parent: 'OU=New,DC=corp', values: ['Ann', 'Smith, John'] },
      { parent: 'OU=Old,DC=corp', values: ['Bo'] },
    ]);
  });
});

describe('scopeMinus', () => {
  it('keeps only what was not asked for (text ignoring case, anchors by bytes, DNs by key)', () => {
    const left = scopeMinus(
      { userPrincipalNames: ['A@x', 'b@x'], mails: ['m@x'], anchors: [GUID, Buffer.alloc(16)], dns: ['CN=a,DC=x', 'CN=b,DC=x'] },
      { userPrincipalNames: ['a@X'], mails: ['M@x'], anchors: [Buffer.from(GUID)], dns: ['cn=A,dc=X'] },
    );
    expect(left).toMatchObject({ userPrincipalNames: ['b@x'], mails: [], anchors: [Buffer.alloc(16)], dns: ['CN=b,DC=x'] });
    expect(isEmptyScope(scopeMinus({ userPrincipalNames: ['a@x'] }, { userPrincipalNames: ['A@X'] }))).toBe(true);
    expect(isEmptyScope(left)).toBe(false);
  });
});
