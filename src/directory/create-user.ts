/**
 * Creating a user account, password included.
 *
 * The portable sequence (works on Windows and Samba; learn.microsoft.com/windows/win32/adschema/a-unicodepwd,
 * learn.microsoft.com/troubleshoot/windows-server/active-directory/set-user-password-with-ldifde):
 *   1. add with userAccountControl 514 (normal, disabled) [+ mS-DS-ConsistencyGuid]
 *   2. replace unicodePwd
 *   3. replace userAccountControl with the final value [+ pwdLastSet 0]
 * so the account can never be enabled without its password.
 *
 * If step 2 or 3 fails, the account is DELETED again by default. A disabled,
 * password-less leftover would still hold the sAMAccountName and UPN: the next
 * run would either collide with it or, worse, "adopt" it (an AD user with that
 * UPN exists) and stamp its GUID on the cloud user. Deleting makes createUser
 * all-or-nothing, so a rerun after fixing the cause starts clean. If the delete
 * itself fails, the account stays disabled (514 is set on add, never lifted)
 * and the error says `rolledBack: false`.
 *
 * A lost connection during the add (DC restart, TIMEOUT, CONNECTION_LOST) leaves
 * it unknown whether the DC created the entry (RFC 4511 section 5.3): once the
 * session has reconnected, the entry is read back ({@link addResolvingLostAnswer});
 * if it is there with this sAMAccountName the add happened and the next steps
 * follow, if not the add is sent again. No second account, no ALREADY_EXISTS
 * for an account this call made.
 *
 * `passwordOnAdd` sends unicodePwd and the final userAccountControl in the add
 * itself: one round trip instead of three, atomic by construction. Samba
 * accepts it over LDAPS (measured 4.17); Windows documents unicodePwd as
 * settable on add only under conditions, so probe with
 * {@link probePasswordOnAdd} before relying on it.
 */
import { Attribute, Change } from 'ldapts';
import { GUID_BYTE_LENGTH, guidToBytes } from '../anchor/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import { InternalError } from '../errors.js';
import { openBoundClient, type ClientTimeouts } from './client.js';
import { debug, ldaptsLogsRequests } from './debug.js';
import { childDn } from './dn.js';
import { DirectoryError, toDirectoryError, type DirectoryStep } from './errors.js';
import { encodeUnicodePwd, randomProbePassword } from './password.js';
import { readEntry } from './lookup.js';
import { isConnectionLoss } from './reconnect.js';
import type { Session } from './session.js';
import type { NewUserEntry } from './types.js';
import { UAC, UAC_DISABLED_USER } from './uac.js';

export interface CreateUserOptions {
  /**
   * Send the password and final userAccountControl in the add (1 round trip)
   * instead of add / set password / enable (3). Only where
   * {@link probePasswordOnAdd} said yes. Default false.
   */
  passwordOnAdd?: boolean;
  /**
   * What to do with the account when setting its password or enabling it
   * fails: `delete` (default, see the module comment) or `keep-disabled`
   * (leave it, with userAccountControl 514, for someone to inspect).
   */
  onFailure?: 'delete' | 'keep-disabled';
}

export interface CreateUserResult {
  dn: string;
  passwordSet: boolean;
  /** The userAccountControl the account ended with. */
  userAccountControl: number;
  /** LDAP requests sent (1 with passwordOnAdd, up to 3 otherwise). */
  roundTrips: number;
}

/** Attributes the writer sets itself; the plan must not pass them. */
const WRITER_OWNED = new Set(['objectclass', 'unicodepwd', 'useraccountcontrol', 'pwdlastset', 'manager', 'ms-ds-consistencyguid']);

function userOf(entry: NewUserEntry): string | undefined {
  const upn = entry.attributes.userPrincipalName ?? entry.attributes.sAMAccountName;
  return Array.isArray(upn) ? upn[0] : upn;
}

function addAttributes(entry: NewUserEntry): Attribute[] {
  const attributes = [new Attribute({ type: 'objectClass', values: ['top', 'person', 'organizationalPerson', 'user'] })];
  for (const [type, value] of Object.entries(entry.attributes)) {
    if (WRITER_OWNED.has(type.toLowerCase())) {
      throw new InternalError(`NewUserEntry.attributes must not contain ${type}: the directory writer sets it`);
    }
    // LDAP has no empty values (RFC 4511 section 4.7): an absent attribute is how "empty" is said.
    const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
    // msExchMailboxGuid / msExchArchiveGuid are octet strings: the plan holds the GUID's text, AD its 16 bytes (MS-DTYP 2.3.4.2 order).
    if (values.length > 0) attributes.push(new Attribute({ type, values: isGuidAttribute(type) ? values.map((v) => Buffer.from(guidToBytes(v))) : values }));
  }
  if (entry.consistencyGuid !== undefined) {
    if (entry.consistencyGuid.length !== GUID_BYTE_LENGTH) {
      throw new InternalError(`consistencyGuid must be ${GUID_BYTE_LENGTH} bytes, got ${entry.consistencyGuid.length}`);
    }
    attributes.push(new Attribute({ type: 'mS-DS-ConsistencyGuid', values: [Buffer.from(entry.consistencyGuid)] }));
  }
  if (entry.manager !== undefined) attributes.push(new Attribute({ type: 'manager', values: [entry.manager] }));
  return attributes;
}

function replace(type: string, value: string | Buffer): Change {
  const values: string[] | Buffer[] = typeof value === 'string' ? [value] : [value];
  return new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
}

function atStep(error: unknown, entry: NewUserEntry, step: DirectoryStep, rolledBack?: boolean): DirectoryError {
  const user = userOf(entry);
  const e = toDirectoryError(error, { operation: 'createUser', dn: entry.dn, ...(user !== undefined ? { user } : {}) });
  const aftermath =
    rolledBack === undefined ? '' : rolledBack ? '; the account was deleted again' : '; the account was left DISABLED (userAccountControl 514)';
  return new DirectoryError(e.reason, `createUser ${user ?? entry.dn} (${step}): ${e.reason}${e.serverMessage ? `: ${e.serverMessage}` : ''}${aftermath}`, {
    dn: entry.dn,
    ...(user !== undefined ? { user } : {}),
    operation: 'createUser',
    ...(e.ldapCode !== undefined ? { ldapCode: e.ldapCode } : {}),
    ...(e.diagnostic !== undefined ? { diagnostic: e.diagnostic } : {}),
    ...(e.serverMessage !== undefined ? { serverMessage: e.serverMessage } : {}),
    transient: e.transient,
    step,
    ...(rolledBack !== undefined ? { rolledBack } : {}),
    cause: e,
  });
}

export async function createUser(
  session: Session,
  entry: NewUserEntry,
  password?: string,
  options: CreateUserOptions = {},
): Promise<CreateUserResult> {
  const user = userOf(entry);
  const site = { operation: 'createUser', dn: entry.dn, ...(user !== undefined ? { user } : {}) };
  if (password !== undefined && ldaptsLogsRequests()) {
    throw new DirectoryError(
      'UNSAFE_DEBUG_LOGGING',
      'NODE_DEBUG includes "ldapts", which logs every request including passwords being set: remove it to create users with passwords',
      { ...site, usage: true },
    );
  }
  const attributes = addAttributes(entry);

  // With the password in the add, the account is added as planned; else disabled until the password is set.
  const passwordOnAdd = options.passwordOnAdd === true && password !== undefined;
  if (passwordOnAdd) attributes.push(new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(password)] }));
  attributes.push(new Attribute({ type: 'userAccountControl', values: [String(passwordOnAdd ? entry.userAccountControl : UAC_DISABLED_USER)] }));
  if (passwordOnAdd && entry.mustChangePassword) attributes.push(new Attribute({ type: 'pwdLastSet', values: ['0'] }));
  try {
    await addResolvingLostAnswer(session, site, entry, attributes);
  } catch (error) {
    throw atStep(error, entry, 'add');
  }
  if (passwordOnAdd) return { dn: entry.dn, passwordSet: true, userAccountControl: entry.userAccountControl, roundTrips: 1 };

  let roundTrips = 1;
  let step: DirectoryStep = 'password';
  let passwordSet = false;
  try {
    if (password !== undefined) {
      await session.run(site, (client) => client.modify(entry.dn, replace('unicodePwd', encodeUnicodePwd(password))));
      roundTrips++;
      passwordSet = true;
    }
    step = 'enable';
    const changes: Change[] = [];
    if (entry.userAccountControl !== UAC_DISABLED_USER) changes.push(replace('userAccountControl', String(entry.userAccountControl)));
    // Setting a password stamps pwdLastSet with "now"; 0 means "must change at next logon".
    if (entry.mustChangePassword && passwordSet) changes.push(replace('pwdLastSet', '0'));
    if (changes.length > 0) {
      await session.run(site, (client) => client.modify(entry.dn, changes));
      roundTrips++;
    }
  } catch (error) {
    let rolledBack = false;
    if (options.onFailure !== 'keep-disabled') {
      try {
        await session.run({ ...site, operation: 'createUser rollback' }, (client) => client.del(entry.dn));
        rolledBack = true;
      } catch (rollbackError) {
        // A delete repeated after a lost answer finds the entry gone: the first one happened.
        if (rollbackError instanceof DirectoryError && rollbackError.reason === 'NO_SUCH_OBJECT') rolledBack = true;
        debug('directory: rollback of %s failed: %s', entry.dn, (rollbackError as Error).message);
      }
    }
    throw atStep(error, entry, step, rolledBack);
  }
  const finalUac = entry.userAccountControl;
  return { dn: entry.dn, passwordSet, userAccountControl: finalUac, roundTrips };
}

/** How often an add whose answer was lost, and which did not happen, is sent again. */
const MAX_ADD_RESENDS = 3;

/**
 * Sends the add; when the connection is lost before the answer, waits for the
 * session's reconnect (session.ts, onLost 'throw'), reads the DN and decides:
 * the entry is there with this sAMAccountName -> the add happened; absent ->
 * send it again; there with another account name -> ALREADY_EXISTS as the DC
 * would have answered. Every other failure is the DC's answer and is thrown.
 */
export async function addResolvingLostAnswer(
  session: Session,
  site: { operation: string; dn: string; user?: string },
  entry: NewUserEntry,
  attributes: Attribute[],
): Promise<void> {
  for (let resend = 0; ; resend++) {
    try {
      await session.run(site, (client) => client.add(entry.dn, attributes), { onLost: 'throw' });
      return;
    } catch (error) {
      if (!(error instanceof DirectoryError) || !isConnectionLoss(error.reason) || resend >= MAX_ADD_RESENDS) throw error;
      const found = await readEntry(session, entry.dn, ['sAMAccountName'], 'createUser lost-answer check');
      if (found === undefined) {
        debug('directory: add of %s lost its answer and did not happen; sending it again', entry.dn);
        continue;
      }
      const expected = String(entry.attributes.sAMAccountName ?? '').toLowerCase();
      const actual = String(found.sAMAccountName ?? '').toLowerCase();
      if (expected !== '' && actual === expected) {
        debug('directory: add of %s lost its answer but happened', entry.dn);
        return;
      }
      throw new DirectoryError('ALREADY_EXISTS', `${site.operation} ${site.user ?? entry.dn}: ALREADY_EXISTS: after a lost connection ${entry.dn} holds another account (${actual || 'no sAMAccountName'})`, {
        ...site,
        transient: false,
        cause: error,
      });
    }
  }
}

/** Result codes that mean "this DC does not take a password on add", as opposed to a real failure. */
const REFUSED_ON_ADD = new Set(['UNWILLING_TO_PERFORM', 'CONSTRAINT', 'OBJECT_CLASS_VIOLATION', 'PASSWORD_POLICY']);

/**
 * Finds out once whether this DC sets a password sent inside the add: creates
 * a throwaway enabled user in `ou` with a random password in one add, proves
 * the password took by binding as that user on a second connection, and
 * deletes it. False when the DC refuses the add or the bind fails.
 */
export async function probePasswordOnAdd(session: Session, ou: string, timeouts: ClientTimeouts): Promise<boolean> {
  const name = `e2a-probe-${randomProbePassword(8).replace(/[^A-Za-z0-9]/g, 'x').toLowerCase()}`;
  const dn = childDn(ou, 'CN', name);
  const password = randomProbePassword();
  try {
    await createUser(
      session,
      { dn, attributes: { sAMAccountName: name }, userAccountControl: UAC.NORMAL_ACCOUNT, mustChangePassword: false },
      password,
      { passwordOnAdd: true },
    );
  } catch (error) {
    if (error instanceof DirectoryError && REFUSED_ON_ADD.has(error.reason)) {
      debug('directory: password on add refused: %s', error.reason);
      return false;
    }
    throw error;
  }
  try {
    const check = await openBoundClient(session.transport, dn, password, timeouts);
    await check.unbind().catch(() => undefined);
    return true;
  } catch (error) {
    if (error instanceof DirectoryError && error.reason === 'INVALID_CREDENTIALS') {
      debug('directory: password on add accepted but not usable for a bind');
      return false;
    }
    throw error;
  } finally {
    await session.run({ operation: 'probePasswordOnAdd cleanup', dn }, (client) => client.del(dn));
  }
}

/**
 * Finishes a user whose add happened but whose password and enable steps may
 * not have (a run killed between them): sets the password again and the final
 * userAccountControl. Both are plain replaces, so repeating them is harmless;
 * the password is the one the crashed run recorded before sending it.
 * Unlike createUser it never deletes: the object exists and may be referenced.
 */
export async function completeUser(session: Session, entry: NewUserEntry, password?: string): Promise<CreateUserResult> {
  const user = userOf(entry);
  const site = { operation: 'completeUser', dn: entry.dn, ...(user !== undefined ? { user } : {}) };
  if (password !== undefined && ldaptsLogsRequests()) {
    throw new DirectoryError('UNSAFE_DEBUG_LOGGING', 'NODE_DEBUG includes "ldapts", which logs passwords being set: remove it', { ...site, usage: true });
  }
  let roundTrips = 0;
  let step: DirectoryStep = 'password';
  try {
    if (password !== undefined) {
      await session.run(site, (client) => client.modify(entry.dn, replace('unicodePwd', encodeUnicodePwd(password))));
      roundTrips++;
    }
    step = 'enable';
    const changes = [replace('userAccountControl', String(password === undefined ? UAC_DISABLED_USER : entry.userAccountControl))];
    if (entry.mustChangePassword && password !== undefined) changes.push(replace('pwdLastSet', '0'));
    await session.run(site, (client) => client.modify(entry.dn, changes));
    roundTrips++;
  } catch (error) {
    throw atStep(error, entry, step);
  }
  return { dn: entry.dn, passwordSet: password !== undefined, userAccountControl: password === undefined ? UAC_DISABLED_USER : entry.userAccountControl, roundTrips };
}
