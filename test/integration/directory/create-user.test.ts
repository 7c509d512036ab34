/**
 * Creating users on a real DC, and reading back the objectGUID that becomes
 * the cloud user's onPremisesImmutableId - cross-checked with OpenLDAP's
 * ldapsearch, a client that shares no code with ours.
 */
import { describe, expect, it } from 'vitest';
import { bytesToGuid, bytesToImmutableId } from '../../../src/anchor/index.js';
import { connect, DirectoryError, isDisabled } from '../../../src/directory/index.js';
import { connectDirectory, connectionOptions, dcInfo, useTestOu } from '../../harness/dc.js';
import { ldapsearch, ldifValues } from '../../harness/ldapsearch.js';
import { newUser, strongPassword, upnOf } from '../../harness/users.js';

const ou = useTestOu();

describe('createUser (portable sequence: add disabled, set password, enable)', () => {
  it('creates an enabled user with a password and reads its objectGUID', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn);
    const password = strongPassword();
    const result = await dir.createUser(entry, password);
    expect(result).toEqual({ dn: entry.dn, passwordSet: true, userAccountControl: 512, roundTrips: 3 });

    const guid = await dir.readObjectGuid(entry.dn);
    expect(guid).toHaveLength(16);
    const read = await dir.readUser(entry.dn, ['userAccountControl', 'sAMAccountName', 'userPrincipalName', 'objectGUID']);
    expect(read.attributes.userAccountControl).toEqual(['512']);
    expect(read.attributes.userPrincipalName).toEqual([upnOf(entry)]);
    expect(read.binary.objectGUID?.[0]?.equals(guid)).toBe(true);

    // The password really is set: the user can bind with it.
    const asUser = await connect(connectionOptions({ bindDn: upnOf(entry), bindPassword: password }));
    await asUser.close();
  });

  it('ldapsearch prints the same objectGUID bytes, so base64 of them is the immutableId', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn);
    await dir.createUser(entry, strongPassword());
    const guid = await dir.readObjectGuid(entry.dn);

    const { stdout } = await ldapsearch(entry.dn, 'base', ['objectGUID']);
    const values = ldifValues(stdout, 'objectGUID');
    expect(values).toHaveLength(1);
    // A GUID is binary, so LDIF shows it base64-encoded (`objectGUID:: ...`): exactly the immutableId.
    expect(values[0]).toEqual({ value: bytesToImmutableId(guid), base64: true });

    const found = await dir.findUserByUpn(upnOf(entry));
    expect(found?.objectGuid).toBe(bytesToGuid(guid));
  });

  it('mustChangePassword sets pwdLastSet to 0 after the password', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn, { mustChangePassword: true });
    await dir.createUser(entry, strongPassword());
    const read = await dir.readUser(entry.dn, ['pwdLastSet', 'userAccountControl']);
    expect(read.attributes.pwdLastSet).toEqual(['0']);
    expect(read.attributes.userAccountControl).toEqual(['512']);
  });

  it('without a password the account stays disabled (514)', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn, { userAccountControl: 514 });
    const result = await dir.createUser(entry);
    expect(result).toMatchObject({ passwordSet: false, userAccountControl: 514, roundTrips: 1 });
    const uac = Number((await dir.readUser(entry.dn, ['userAccountControl'])).attributes.userAccountControl?.[0]);
    expect(isDisabled(uac)).toBe(true);
  });

  it('writes mS-DS-ConsistencyGuid on add, byte for byte', async () => {
    await using dir = await connectDirectory();
    // Bytes chosen to include 0x00, 0x80+ and invalid UTF-8 sequences.
    const bytes = Buffer.from('00ff80c3287f0a0d5c2c2b22e29882f0', 'hex');
    const entry = newUser(ou.dn, { consistencyGuid: bytes });
    await dir.createUser(entry, strongPassword());
    const read = await dir.readUser(entry.dn, ['mS-DS-ConsistencyGuid']);
    expect(read.binary['mS-DS-ConsistencyGuid']).toHaveLength(1);
    expect(read.binary['mS-DS-ConsistencyGuid']?.[0]?.equals(bytes)).toBe(true);
    expect((await dir.findUserByUpn(upnOf(entry)))?.consistencyGuid).toBe(bytes.toString('base64'));

    const replacement = Buffer.from('1234567890abcdef1234567890abcdef', 'hex');
    await dir.setConsistencyGuid(entry.dn, replacement);
    expect((await dir.readUser(entry.dn, ['mS-DS-ConsistencyGuid'])).binary['mS-DS-ConsistencyGuid']?.[0]?.equals(replacement)).toBe(true);
  });

  it('disableUser sets ACCOUNTDISABLE and keeps the other flags', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn, { userAccountControl: 66048 });
    await dir.createUser(entry, strongPassword());
    expect(await dir.disableUser(entry.dn)).toBe(66050);
    expect((await dir.readUser(entry.dn, ['userAccountControl'])).attributes.userAccountControl).toEqual(['66050']);
  });
});

describe('createUser with passwordOnAdd (one round trip)', () => {
  it('the probe says whether the DC accepts it, and then it creates a usable account in one add', async () => {
    await using dir = await connectDirectory();
    const supported = await dir.probePasswordOnAdd(ou.dn);
    // Samba 4.17 accepts unicodePwd on add over LDAPS (measured); a Windows DC given by env may not.
    if (dcInfo().source !== 'env') expect(supported).toBe(true);
    if (!supported) {
      await expect(dir.createUser(newUser(ou.dn), strongPassword(), { passwordOnAdd: true })).rejects.toBeInstanceOf(DirectoryError);
      return;
    }
    const entry = newUser(ou.dn, { mustChangePassword: false });
    const password = strongPassword();
    const result = await dir.createUser(entry, password, { passwordOnAdd: true });
    expect(result).toMatchObject({ passwordSet: true, userAccountControl: 512, roundTrips: 1 });
    expect((await dir.readUser(entry.dn, ['userAccountControl'])).attributes.userAccountControl).toEqual(['512']);
    const asUser = await connect(connectionOptions({ bindDn: upnOf(entry), bindPassword: password }));
    await asUser.close();
    // The probe cleaned up after itself.
    const snapshot = await dir.readSnapshot({ targetOu: ou.dn });
    expect(snapshot.cnsInTargetOu.filter((cn) => cn.startsWith('e2a-probe-'))).toEqual([]);
  });

  it('with mustChangePassword, pwdLastSet 0 travels in the add too', async () => {
    await using dir = await connectDirectory();
    const supported = await dir.probePasswordOnAdd(ou.dn);
    if (dcInfo().source !== 'env') expect(supported).toBe(true);
    if (!supported) return;
    const entry = newUser(ou.dn, { mustChangePassword: true });
    await dir.createUser(entry, strongPassword(), { passwordOnAdd: true });
    expect((await dir.readUser(entry.dn, ['pwdLastSet'])).attributes.pwdLastSet).toEqual(['0']);
  });
});
