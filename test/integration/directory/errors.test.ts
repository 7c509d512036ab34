/**
 * What the DC refuses arrives as a DirectoryError with a stable reason,
 * never as a string to parse.
 */
import { describe, expect, it } from 'vitest';
import { childDn, connect, DirectoryError, dnEquals, isDisabled, type DirectoryReason } from '../../../src/directory/index.js';
import { connectDirectory, connectionOptions, useTestOu } from '../../harness/dc.js';
import { newUser, strongPassword, uniqueSam, upnOf } from '../../harness/users.js';

const ou = useTestOu();

async function failure(promise: Promise<unknown>): Promise<DirectoryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError);
    return error as DirectoryError;
  }
  throw new Error('expected a DirectoryError, got success');
}

async function expectReason(promise: Promise<unknown>, reason: DirectoryReason): Promise<DirectoryError> {
  const error = await failure(promise);
  expect(error.reason, error.message).toBe(reason);
  return error;
}

describe('name collisions', () => {
  it('a duplicate sAMAccountName -> SAM_ACCOUNT_NAME_IN_USE, nothing created', async () => {
    await using dir = await connectDirectory();
    const first = newUser(ou.dn);
    await dir.createUser(first, strongPassword());
    const sam = first.attributes.sAMAccountName as string;
    const second = newUser(ou.dn, { cn: `${sam}-2`, attributes: { sAMAccountName: sam } });
    const error = await expectReason(dir.createUser(second, strongPassword()), 'SAM_ACCOUNT_NAME_IN_USE');
    expect(error).toMatchObject({ step: 'add', dn: second.dn, transient: false, operation: 'createUser' });
    expect(error.user).toBe(upnOf(second));
    expect(error.serverMessage).toBeTruthy();
    await expectReason(dir.readUser(second.dn, ['cn']), 'NO_SUCH_OBJECT');
  });

  it('a duplicate UPN -> UPN_IN_USE', async () => {
    await using dir = await connectDirectory();
    const first = newUser(ou.dn);
    await dir.createUser(first, strongPassword());
    const second = newUser(ou.dn, { attributes: { userPrincipalName: upnOf(first) } });
    const error = await expectReason(dir.createUser(second, strongPassword()), 'UPN_IN_USE');
    expect(error.step).toBe('add');
  });

  it('a duplicate DN -> ALREADY_EXISTS', async () => {
    await using dir = await connectDirectory();
    const first = newUser(ou.dn);
    await dir.createUser(first);
    await expectReason(dir.createUser(newUser(ou.dn, { dn: first.dn })), 'ALREADY_EXISTS');
  });

  it('a missing parent OU -> NO_SUCH_OBJECT', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(childDn(ou.dn, 'OU', 'does-not-exist'));
    await expectReason(dir.createUser(entry), 'NO_SUCH_OBJECT');
  });
});

describe('a password the policy refuses', () => {
  it('-> PASSWORD_POLICY at the password step; the account is deleted again, never enabled', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn);
    const error = await expectReason(dir.createUser(entry, 'a'), 'PASSWORD_POLICY');
    expect(error).toMatchObject({ step: 'password', rolledBack: true, diagnostic: '0000052D' });
    await expectReason(dir.readUser(entry.dn, ['cn']), 'NO_SUCH_OBJECT');
    // The names are free again: the same user can be created once the password is fixed.
    await dir.createUser(entry, strongPassword());
  });

  it('with onFailure keep-disabled the account stays, disabled', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn);
    const error = await expectReason(dir.createUser(entry, 'short', { onFailure: 'keep-disabled' }), 'PASSWORD_POLICY');
    expect(error).toMatchObject({ step: 'password', rolledBack: false });
    const uac = Number((await dir.readUser(entry.dn, ['userAccountControl'])).attributes.userAccountControl?.[0]);
    expect(uac).toBe(514);
    expect(isDisabled(uac)).toBe(true);
  });

  it('with passwordOnAdd -> PASSWORD_POLICY at the add, and nothing exists', async () => {
    await using dir = await connectDirectory();
    const entry = newUser(ou.dn);
    const error = await expectReason(dir.createUser(entry, 'a', { passwordOnAdd: true }), 'PASSWORD_POLICY');
    expect(error.step).toBe('add');
    await expectReason(dir.readUser(entry.dn, ['cn']), 'NO_SUCH_OBJECT');
  });
});

describe('manager (second pass)', () => {
  it('setManager writes the DN; a missing manager -> REFERENCED_OBJECT_MISSING; null clears', async () => {
    await using dir = await connectDirectory();
    const manager = newUser(ou.dn, { cn: `Boss, The ${uniqueSam('m')}` });
    const report = newUser(ou.dn);
    await dir.createUser(manager, strongPassword());
    await dir.createUser(report, strongPassword());

    await dir.setManager(report.dn, manager.dn);
    const read = await dir.readUser(report.dn, ['manager']);
    expect(read.attributes.manager).toHaveLength(1);
    expect(dnEquals(read.attributes.manager![0]!, manager.dn)).toBe(true);
    // The manager's directReports is maintained by the DC from our write.
    const back = await dir.readUser(manager.dn, ['directReports']);
    expect(back.attributes.directReports?.some((dn) => dnEquals(dn, report.dn))).toBe(true);

    const missing = childDn(ou.dn, 'CN', 'nobody-here');
    const error = await expectReason(dir.setManager(report.dn, missing), 'REFERENCED_OBJECT_MISSING');
    expect(error.dn).toBe(report.dn);

    await dir.setManager(report.dn, null);
    expect((await dir.readUser(report.dn, ['manager'])).attributes.manager).toEqual([]);
  });
});

describe('binding', () => {
  it('a wrong password -> INVALID_CREDENTIALS', async () => {
    await expectReason(connect(connectionOptions({ bindPassword: 'not-the-password' })), 'INVALID_CREDENTIALS');
  });

  it('plain ldap:// without StartTLS is refused before anything is sent -> INSECURE_TRANSPORT (exit 2)', async () => {
    const parsed = new URL(connectionOptions().url);
    const url = `ldap://${parsed.hostname}:389`;
    const error = await expectReason(connect(connectionOptions({ url })), 'INSECURE_TRANSPORT');
    expect(error.exitCode).toBe(2);
  });

  it('nothing listening -> UNREACHABLE', async () => {
    const url = `ldaps://${new URL(connectionOptions().url).hostname}:1`;
    await expectReason(connect(connectionOptions({ url, connectTimeoutMs: 3_000 })), 'UNREACHABLE');
  });
});
