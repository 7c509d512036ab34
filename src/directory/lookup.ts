/**
 * Reads of single entries and the two lookups the planner needs (by UPN, by
 * SMTP address). Filters are built from ldapts filter objects, so values are
 * BER-encoded as they are and can never change a filter's structure.
 */
import { AndFilter, EqualityFilter, OrFilter, type Entry } from 'ldapts';
import { GUID_BYTE_LENGTH } from '../anchor/index.js';
import { DirectoryError } from './errors.js';
import { EXPLICIT_BUFFER_ATTRIBUTES, OBJECT_ATTRIBUTES, buffers, isBinaryAttribute, strings, toDirectoryObject } from './entry.js';
import type { Session } from './session.js';
import type { DirectoryObject } from './types.js';

/** One entry as read for verification: text and binary values apart, keyed as requested. */
export interface DirectoryEntry {
  dn: string;
  /** Text values by requested attribute name; `[]` when absent. */
  attributes: Record<string, string[]>;
  /** Values of binary attributes (objectGUID, mS-DS-ConsistencyGuid, objectSid) by requested name. */
  binary: Record<string, Buffer[]>;
}

/** Base-scope read; `undefined` when the entry does not exist. */
export async function readEntry(
  session: Session,
  dn: string,
  attributes: string[],
  operation = 'read',
): Promise<Entry | undefined> {
  try {
    const entries = await session.search(
      dn,
      { scope: 'base', attributes, explicitBufferAttributes: EXPLICIT_BUFFER_ATTRIBUTES },
      { operation, dn },
    );
    return entries[0];
  } catch (error) {
    if (error instanceof DirectoryError && error.reason === 'NO_SUCH_OBJECT') return undefined;
    throw error;
  }
}

export async function entryExists(session: Session, dn: string): Promise<boolean> {
  return (await readEntry(session, dn, ['1.1'], 'exists')) !== undefined;
}

function missing(dn: string, operation: string): DirectoryError {
  return new DirectoryError('NO_SUCH_OBJECT', `${operation} ${dn}: NO_SUCH_OBJECT: the entry does not exist`, { dn, operation });
}

/** The 16 raw objectGUID bytes, in the order AD stores them (`Guid.ToByteArray()`). */
export async function readObjectGuid(session: Session, dn: string): Promise<Buffer> {
  const entry = await readEntry(session, dn, ['objectGUID'], 'readObjectGuid');
  if (!entry) throw missing(dn, 'readObjectGuid');
  const guid = buffers(entry, 'objectGUID')[0];
  if (!guid || guid.length !== GUID_BYTE_LENGTH) {
    throw new DirectoryError('UNEXPECTED_RESPONSE', `objectGUID of ${dn} is not ${GUID_BYTE_LENGTH} bytes`, { dn });
  }
  return guid;
}

export async function readUser(session: Session, dn: string, attributes: string[]): Promise<DirectoryEntry> {
  const entry = await readEntry(session, dn, attributes, 'readUser');
  if (!entry) throw missing(dn, 'readUser');
  const out: DirectoryEntry = { dn: entry.dn, attributes: {}, binary: {} };
  for (const name of attributes) {
    if (isBinaryAttribute(name)) out.binary[name] = buffers(entry, name);
    else out.attributes[name] = strings(entry, name);
  }
  return out;
}

async function searchObjects(session: Session, base: string, filter: AndFilter | OrFilter | EqualityFilter, operation: string, user: string) {
  const entries = await session.search(
    base,
    { scope: 'sub', filter, attributes: OBJECT_ATTRIBUTES, explicitBufferAttributes: EXPLICIT_BUFFER_ATTRIBUTES, paged: { pageSize: 500 } },
    { operation, dn: base, user },
  );
  return entries.map(toDirectoryObject);
}

/**
 * The user object with this UPN, if any. UPNs are unique forest-wide on
 * 2012 R2+ DCs (MS-ADTS 3.1.1.5.1.3) but older forests can hold duplicates:
 * those are an error here, not a silent pick.
 */
export async function findUserByUpn(session: Session, baseDn: string, upn: string): Promise<DirectoryObject | undefined> {
  const filter = new AndFilter({
    filters: [new EqualityFilter({ attribute: 'objectClass', value: 'user' }), new EqualityFilter({ attribute: 'userPrincipalName', value: upn })],
  });
  const found = await searchObjects(session, baseDn, filter, 'findUserByUpn', upn);
  if (found.length > 1) {
    throw new DirectoryError('UPN_IN_USE', `findUserByUpn ${upn}: ${found.length} objects carry this UPN: ${found.map((o) => o.dn).join('; ')}`, {
      user: upn,
      operation: 'findUserByUpn',
    });
  }
  return found[0];
}

/**
 * Objects whose `mail` is the address or whose `proxyAddresses` holds it as
 * primary or alias (`SMTP:`/`smtp:`; AD matches proxyAddresses case-insensitively,
 * so one filter value covers both prefixes).
 */
export async function findByMailOrProxy(session: Session, baseDn: string, smtpAddress: string): Promise<DirectoryObject[]> {
  const address = smtpAddress.replace(/^smtp:/i, '');
  const filter = new OrFilter({
    filters: [
      new EqualityFilter({ attribute: 'mail', value: address }),
      new EqualityFilter({ attribute: 'proxyAddresses', value: `smtp:${address}` }),
    ],
  });
  return searchObjects(session, baseDn, filter, 'findByMailOrProxy', address);
}
