import {
  AlreadyExistsError,
  BusyError,
  ConstraintViolationError,
  InsufficientAccessError,
  InvalidCredentialsError,
  InvalidSyntaxError,
  NoSuchObjectError,
  OperationsError,
  StrongAuthRequiredError,
  UnavailableError,
  UnwillingToPerformError,
} from 'ldapts';
import { describe, expect, it } from 'vitest';
import { DirectoryError, diagnosticCode, toDirectoryError } from '../../../src/directory/index.js';

const site = { operation: 'createUser', dn: 'CN=u,OU=t,DC=corp', user: 'u@corp.example.test' };

function nodeError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

describe('toDirectoryError', () => {
  it.each([
    // Messages as Samba 4.17 sends them (measured), with ldapts' suffix.
    [new ConstraintViolationError('0000052D: Constraint violation - check_password_restrictions: the password is too short.'), 'PASSWORD_POLICY'],
    [new UnwillingToPerformError('0000052D: SvcErr: DSID-031A12D2, problem 5003 (WILL_NOT_PERFORM), data 0'), 'PASSWORD_POLICY'],
    [new AlreadyExistsError("00002071: samldb: samAccountName 'u1' already in use!"), 'SAM_ACCOUNT_NAME_IN_USE'],
    [new AlreadyExistsError('00000524: UpdErr: DSID-031A11E0, problem 6005 (ENTRY_EXISTS), data 0'), 'SAM_ACCOUNT_NAME_IN_USE'],
    [new ConstraintViolationError("0000202F: samldb: userPrincipalName 'u1@corp.example.test' is already in use "), 'UPN_IN_USE'],
    [new ConstraintViolationError('00002113: AtrErr: DSID-03200BBA, #1: userPrincipalName'), 'UPN_IN_USE'],
    [new ConstraintViolationError("0000202F: samldb: sAMAccountName contains invalid '[' character\n"), 'CONSTRAINT'],
    [new ConstraintViolationError('000020B5: Referenced object not found at extended_dn_store.c:357'), 'REFERENCED_OBJECT_MISSING'],
    [new AlreadyExistsError('Entry CN=u1,OU=probe,DC=corp already exists'), 'ALREADY_EXISTS'],
    [new NoSuchObjectError('00002030: objectclass: Cannot add CN=u6, parent does not exist!'), 'NO_SUCH_OBJECT'],
    [new InsufficientAccessError('00002098: Insufficient access'), 'INSUFFICIENT_ACCESS'],
    [new InvalidCredentialsError('80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1'), 'INVALID_CREDENTIALS'],
    [new InvalidSyntaxError('00000057: bad value'), 'INVALID_SYNTAX'],
    [new StrongAuthRequiredError('BindSimple: Transport encryption required.'), 'STRONG_AUTH_REQUIRED'],
    [new UnwillingToPerformError('00000057: something else'), 'UNWILLING_TO_PERFORM'],
    [new OperationsError('00002020: Operation unavailable without authentication'), 'NOT_AUTHENTICATED'],
    [new OperationsError('000004DC: LdapErr: DSID-0C090A5C, comment: In order to perform this operation a successful bind must be completed on the connection., data 0, v4563'), 'NOT_AUTHENTICATED'],
    [new OperationsError('00002020: something else'), 'LDAP_ERROR'],
  ])('%s -> %s', (error, reason) => {
    const e = toDirectoryError(error, site);
    expect(e).toBeInstanceOf(DirectoryError);
    expect(e.reason).toBe(reason);
    expect(e.ldapCode).toBe(error.code);
    expect(e.dn).toBe(site.dn);
    expect(e.user).toBe(site.user);
    expect(e.serverMessage).not.toMatch(/Code: 0x/);
    expect(e.transient).toBe(false);
    expect(e.exitCode).toBe(1);
  });

  it('marks busy / unavailable / timeouts / dropped connections transient', () => {
    expect(toDirectoryError(new BusyError(), site)).toMatchObject({ reason: 'BUSY', transient: true });
    expect(toDirectoryError(new UnavailableError(), site)).toMatchObject({ reason: 'UNAVAILABLE', transient: true });
    expect(toDirectoryError(new Error('ModifyRequest: Operation timed out'), site)).toMatchObject({ reason: 'TIMEOUT', transient: true });
    expect(toDirectoryError(new Error('Connection timeout'), site)).toMatchObject({ reason: 'UNREACHABLE', transient: true });
    expect(
      toDirectoryError(new Error('Connection closed before message response was received. Message type: AddRequest (0x68)'), site),
    ).toMatchObject({ reason: 'CONNECTION_LOST', transient: true });
    expect(toDirectoryError(nodeError('ECONNRESET'), site)).toMatchObject({ reason: 'CONNECTION_LOST', transient: true });
    expect(toDirectoryError(nodeError('ETIMEDOUT'), site)).toMatchObject({ reason: 'UNREACHABLE', transient: true });
  });

  it('maps socket and TLS failures', () => {
    expect(toDirectoryError(nodeError('ECONNREFUSED'), site)).toMatchObject({ reason: 'UNREACHABLE', transient: false });
    expect(toDirectoryError(nodeError('ENOTFOUND'), site)).toMatchObject({ reason: 'UNREACHABLE' });
    for (const code of ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']) {
      expect(toDirectoryError(nodeError(code), site)).toMatchObject({ reason: 'TLS_UNTRUSTED', transient: false });
    }
    expect(toDirectoryError(nodeError('EPROTO'), site)).toMatchObject({ reason: 'TLS_FAILED' });
  });

  it('passes DirectoryErrors through and wraps anything else as LDAP_ERROR', () => {
    const already = new DirectoryError('UPN_IN_USE', 'x');
    expect(toDirectoryError(already, site)).toBe(already);
    expect(toDirectoryError('weird', site).reason).toBe('LDAP_ERROR');
  });

  it('diagnosticCode reads the Win32 code AD puts first', () => {
    expect(diagnosticCode('0000052d: Constraint violation')).toBe('0000052D');
    expect(diagnosticCode('Entry exists')).toBeUndefined();
  });
});
