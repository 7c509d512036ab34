/** toDirectoryObject: an ldapts search entry as planning sees it; an attribute the object lacks is no key at all. */
import type { Entry } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { guidToBytes } from '../../../src/anchor/index.js';
import { toDirectoryObject } from '../../../src/directory/entry.js';

const GUID = 'f7cc07d7-7c15-447d-876d-c01b0e5a9e38';
const DN = 'CN=Ann Lee,OU=Cloud,DC=corp,DC=test';

describe('toDirectoryObject', () => {
  it('every attribute read: values in their forms (GUID string, base64, numbers)', () => {
    const entry = {
      dn: DN,
      objectClass: ['top', 'person', 'organizationalPerson', 'User'],
      objectGUID: Buffer.from(guidToBytes(GUID)),
      sAMAccountName: 'ann',
      userPrincipalName: 'ann@corp.test',
      mail: 'ann@corp.test',
      proxyAddresses: ['SMTP:ann@corp.test', 'smtp:a@corp.test'],
      'mS-DS-ConsistencyGuid': Buffer.from([1, 2, 3]),
      userAccountControl: '514',
      adminCount: '1',
      primaryGroupID: '513',
    } as unknown as Entry;
    expect(toDirectoryObject(entry)).toEqual({
      dn: DN,
      objectClass: ['top', 'person', 'organizationalperson', 'user'],
      proxyAddresses: ['SMTP:ann@corp.test', 'smtp:a@corp.test'],
      objectGuid: GUID,
      sAMAccountName: 'ann',
      userPrincipalName: 'ann@corp.test',
      mail: 'ann@corp.test',
      consistencyGuid: 'AQID',
      userAccountControl: 514,
      adminCount: 1,
      primaryGroupId: 513,
    });
  });

  it('only what the object has: no undefined keys, an empty ConsistencyGuid counts as none', () => {
    const entry = { dn: DN, objectClass: 'top', objectGUID: Buffer.from(guidToBytes(GUID)), 'mS-DS-ConsistencyGuid': Buffer.alloc(0), userAccountControl: 'x' } as unknown as Entry;
    const object = toDirectoryObject(entry);
    expect(Object.keys(object)).toEqual(['dn', 'objectClass', 'proxyAddresses', 'objectGuid']);
  });

  it('no objectGUID: UNEXPECTED_RESPONSE naming the DN', () => {
    expect(() => toDirectoryObject({ dn: DN } as unknown as Entry)).toThrow(DN);
  });
});
