/**
 * Reading values out of ldapts search entries.
 *
 * ldapts returns one value as a scalar and several as an array, keys spelled
 * as the DC sends them, and binary values as Buffers only for attributes
 * listed in `explicitBufferAttributes` exactly as the DC spells them (a GUID
 * that happens to be valid UTF-8 would otherwise come back as a string; field
 * notes section 4). These helpers hide all three quirks.
 */
import type { Entry } from 'ldapts';
import { bytesToGuid } from '../anchor/index.js';
import { DirectoryError } from './errors.js';
import type { DirectoryObject } from './types.js';

/** Attributes whose values are octet strings, never text ([MS-ADA3] syntaxes 2.5.5.10 / 2.5.5.17). */
export const BINARY_ATTRIBUTES: readonly string[] = ['objectGUID', 'mS-DS-ConsistencyGuid', 'objectSid', 'msExchMailboxGuid', 'msExchArchiveGuid'];

const BINARY_LOWER = new Set(BINARY_ATTRIBUTES.map((a) => a.toLowerCase()));

export function isBinaryAttribute(name: string): boolean {
  return BINARY_LOWER.has(name.toLowerCase());
}

/** Every spelling a DC may use for our binary attributes, for `explicitBufferAttributes`. */
export const EXPLICIT_BUFFER_ATTRIBUTES: string[] = [...BINARY_ATTRIBUTES, ...BINARY_ATTRIBUTES.map((a) => a.toLowerCase())];

function rawValues(entry: Entry, name: string): Array<string | Buffer> {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'dn' || key.toLowerCase() !== wanted) continue;
    if (Array.isArray(value)) return value as Array<string | Buffer>;
    return [value];
  }
  return [];
}

/** All values of a text attribute (empty when absent). */
export function strings(entry: Entry, name: string): string[] {
  return rawValues(entry, name).map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v));
}

export function firstString(entry: Entry, name: string): string | undefined {
  return strings(entry, name)[0];
}

/** All values of a binary attribute; a string here means the request forgot `explicitBufferAttributes`. */
export function buffers(entry: Entry, name: string): Buffer[] {
  return rawValues(entry, name).map((v) => {
    if (Buffer.isBuffer(v)) return v;
    throw new DirectoryError('UNEXPECTED_RESPONSE', `${name} of ${entry.dn} came back as text, not bytes`, { dn: entry.dn });
  });
}

export function firstNumber(entry: Entry, name: string): number | undefined {
  const value = firstString(entry, name);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** The attributes every DirectoryObject is built from. */
export const OBJECT_ATTRIBUTES: string[] = [
  'objectClass',
  'sAMAccountName',
  'userPrincipalName',
  'mail',
  'proxyAddresses',
  'objectGUID',
  'mS-DS-ConsistencyGuid',
  'userAccountControl',
  'adminCount',
  'primaryGroupID',
];

export function toDirectoryObject(entry: Entry): DirectoryObject {
  const guid = buffers(entry, 'objectGUID')[0];
  if (!guid) throw new DirectoryError('UNEXPECTED_RESPONSE', `${entry.dn} came back without objectGUID`, { dn: entry.dn });
  const object: DirectoryObject = {
    dn: entry.dn,
    objectClass: strings(entry, 'objectClass').map((c) => c.toLowerCase()),
    proxyAddresses: strings(entry, 'proxyAddresses'),
    objectGuid: bytesToGuid(guid),
  };
  const consistency = buffers(entry, 'mS-DS-ConsistencyGuid')[0];
  // The optional ones only when the object has them (no `undefined` keys).
  const optional: Partial<DirectoryObject> = {
    sAMAccountName: firstString(entry, 'sAMAccountName'),
    userPrincipalName: firstString(entry, 'userPrincipalName'),
    mail: firstString(entry, 'mail'),
    consistencyGuid: consistency !== undefined && consistency.length > 0 ? consistency.toString('base64') : undefined,
    userAccountControl: firstNumber(entry, 'userAccountControl'),
    adminCount: firstNumber(entry, 'adminCount'),
    primaryGroupId: firstNumber(entry, 'primaryGroupID'),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(object, { [key]: value });
  return object;
}
