/**
 * ensureOu creates what is missing top-down and is idempotent; readSnapshot
 * and the lookups see what was created.
 */
import { describe, expect, it } from 'vitest';
import { bytesToGuid } from '../../../src/anchor/index.js';
import { childDn, DirectoryError, dnEquals } from '../../../src/directory/index.js';
import { connectDirectory, dcInfo, useTestOu } from '../../harness/dc.js';
import { newUser, strongPassword, uniqueSam, upnOf } from '../../harness/users.js';

const ou = useTestOu();

describe('ensureOu', () => {
  it('creates missing OUs top-down, then does nothing', async () => {
    await using dir = await connectDirectory();
    const sales = childDn(ou.dn, 'OU', 'Sales, EMEA');
    const team = childDn(sales, 'OU', '#Team + 1 ');
    expect(await dir.ensureOu(team)).toEqual([sales, team]);
    expect(await dir.ensureOu(team)).toEqual([]);
    expect(await dir.ensureOu(sales)).toEqual([]);
    const read = await dir.readUser(team, ['ou', 'objectClass']);
    expect(read.attributes.ou).toEqual(['#Team + 1 ']);
    expect(read.attributes.objectClass).toContain('organizationalUnit');
  });

  it('does not create containers that are not OUs', async () => {
    await using dir = await connectDirectory();
    const target = childDn(childDn(ou.dn, 'CN', 'NotAnOu'), 'OU', 'below');
    await expect(dir.ensureOu(target)).rejects.toMatchObject({ reason: 'NO_SUCH_OBJECT' });
    await expect(dir.ensureOu(target)).rejects.toBeInstanceOf(DirectoryError);
  });
});

describe('readSnapshot', () => {
  it('sees created users with their GUIDs, names and proxy addresses, domain-wide', async () => {
    await using dir = await connectDirectory();
    const target = childDn(ou.dn, 'OU', 'snap');
    await dir.ensureOu(target);
    const sam = uniqueSam('s');
    const upn = `${sam}@example.test`;
    const entry = newUser(target, {
      sam,
      attributes: { userPrincipalName: upn, mail: `${sam}@mail.example.test`, proxyAddresses: [`SMTP:${sam}@mail.example.test`, `smtp:${sam}.alias@example.test`] },
    });
    await dir.createUser(entry, strongPassword());
    const guid = bytesToGuid(await dir.readObjectGuid(entry.dn));

    const snapshot = await dir.readSnapshot({ targetOu: target });
    expect(snapshot.domainDn).toBe(dcInfo().baseDn);
    expect(snapshot.targetOuExists).toBe(true);
    expect(snapshot.cnsInTargetOu).toEqual([sam]);
    const mine = snapshot.objects.find((o) => o.objectGuid === guid);
    expect(mine).toMatchObject({
      sAMAccountName: sam,
      userPrincipalName: upn,
      mail: `${sam}@mail.example.test`,
      userAccountControl: 512,
    });
    expect(mine!.objectClass).toContain('user');
    expect([...mine!.proxyAddresses].sort()).toEqual([`SMTP:${sam}@mail.example.test`, `smtp:${sam}.alias@example.test`].sort());
    expect(dnEquals(mine!.dn, entry.dn)).toBe(true);
    // Domain-wide: built-in accounts outside the target OU are there too.
    expect(snapshot.objects.some((o) => o.sAMAccountName?.toLowerCase() === 'krbtgt')).toBe(true);
  });

  it('reports a target OU that does not exist yet', async () => {
    await using dir = await connectDirectory();
    const snapshot = await dir.readSnapshot({ targetOu: childDn(ou.dn, 'OU', 'not-yet'), domainDn: dcInfo().baseDn });
    expect(snapshot).toMatchObject({ targetOuExists: false, cnsInTargetOu: [] });
    expect(snapshot.objects.length).toBeGreaterThan(0);
  });

  it('pages through more entries than one page holds', async () => {
    await using dir = await connectDirectory();
    const target = childDn(ou.dn, 'OU', 'paged');
    await dir.ensureOu(target);
    const made = await Promise.all(Array.from({ length: 12 }, () => newUser(target)).map((u) => dir.createUser(u).then(() => u)));
    const snapshot = await dir.readSnapshot({ targetOu: target, pageSize: 5 });
    expect(snapshot.cnsInTargetOu.sort()).toEqual(made.map((u) => u.attributes.sAMAccountName as string).sort());
    for (const u of made) expect(snapshot.objects.some((o) => o.userPrincipalName === upnOf(u))).toBe(true);
  });
});

describe('lookups', () => {
  it('findUserByUpn and findByMailOrProxy (primary or alias, any prefix case)', async () => {
    await using dir = await connectDirectory();
    const sam = uniqueSam('l');
    const entry = newUser(ou.dn, {
      sam,
      attributes: { mail: `${sam}@mail.example.test`, proxyAddresses: [`SMTP:${sam}@mail.example.test`, `smtp:${sam}.alias@example.test`] },
    });
    await dir.createUser(entry, strongPassword());

    expect((await dir.findUserByUpn(upnOf(entry)))?.sAMAccountName).toBe(sam);
    expect(await dir.findUserByUpn(`nobody-${sam}@example.test`)).toBeUndefined();

    for (const address of [`${sam}@mail.example.test`, `SMTP:${sam.toUpperCase()}@MAIL.example.test`, `${sam}.alias@example.test`]) {
      const found = await dir.findByMailOrProxy(address);
      expect(found.map((o) => o.sAMAccountName), address).toEqual([sam]);
    }
    expect(await dir.findByMailOrProxy(`nobody-${sam}@example.test`)).toEqual([]);
  });

  it('filter values are data, never filter syntax', async () => {
    await using dir = await connectDirectory();
    expect(await dir.findUserByUpn('*')).toBeUndefined();
    expect(await dir.findUserByUpn('x)(objectClass=*')).toBeUndefined();
    expect(await dir.findByMailOrProxy('*)(|(mail=*')).toEqual([]);
  });
});
