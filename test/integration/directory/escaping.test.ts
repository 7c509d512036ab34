/**
 * A CN that needs every kind of RFC 4514 escaping goes to the DC and comes
 * back intact, by DN and by search.
 */
import { describe, expect, it } from 'vitest';
import { bytesToGuid } from '../../../src/anchor/index.js';
import { childDn, dnEquals, rdnValue } from '../../../src/directory/index.js';
import { connectDirectory, useTestOu } from '../../harness/dc.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { newUser, strongPassword, uniqueSam, upnOf } from '../../harness/users.js';

const ou = useTestOu();

describe('DN escaping against the DC', () => {
  // Comma, plus, quotes, backslash, < > ; =, # first, spaces at both ends, non-ASCII.
  const cn = `# Zoë "Z" Ångström, Jr. + Co\\<x>;=${uniqueSam('')} `;

  it('creates the user, finds it by DN and by search, and the DC stores the CN unchanged', async () => {
    expect(cn.length).toBeLessThanOrEqual(64); // AD's cn upper range
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn, { cn });
    expect(entry.dn.startsWith('CN=\\#')).toBe(true);
    await dir.createUser(entry, strongPassword());

    const byDn = await dir.readUser(entry.dn, ['cn', 'name', 'objectGUID']);
    expect(byDn.attributes.cn).toEqual([cn]);
    expect(byDn.attributes.name).toEqual([cn]);
    expect(rdnValue(byDn.dn)).toBe(cn);

    const byUpn = await dir.findUserByUpn(upnOf(entry));
    expect(byUpn).toBeDefined();
    expect(rdnValue(byUpn!.dn)).toBe(cn);
    expect(dnEquals(byUpn!.dn, entry.dn)).toBe(true);
    expect(byUpn!.objectGuid).toBe(bytesToGuid(byDn.binary.objectGUID![0]!));

    const snapshot = await dir.readSnapshot({ targetOu: ou.dn });
    expect(snapshot.cnsInTargetOu).toContain(cn);
    expect(snapshot.objects.some((o) => dnEquals(o.dn, entry.dn))).toBe(true);

    // The DN the DC returns can be used as is for the next request.
    const guid = await dir.readObjectGuid(byUpn!.dn);
    expect(bytesToGuid(guid)).toBe(byUpn!.objectGuid);
  });

  it('OpenLDAP finds the same entry under our escaped DN', async () => {
    const { stdout } = await ldapsearch(childDn(ou.dn, 'CN', cn), 'base', ['cn']);
    const values = ldifValues(stdout, 'cn');
    expect(values).toHaveLength(1);
    // Leading '#', trailing space and non-ASCII make LDIF base64 the value.
    const value = values[0]!.base64 ? Buffer.from(values[0]!.value, 'base64').toString('utf8') : values[0]!.value;
    expect(value).toBe(cn);
  });
});
