/**
 * Single-attribute writes on existing entries.
 */
import { Attribute, Change } from 'ldapts';
import { bytesToGuid, guidToBytes } from '../anchor/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import { DirectoryError } from './errors.js';
import { firstNumber } from './entry.js';
import { readEntry } from './lookup.js';
import type { Session } from './session.js';
import { UAC } from './uac.js';

function replaceChange(type: string, values: string[] | Buffer[]): Change {
  return new Change({ operation: 'replace', modification: new Attribute({ type, values }) });
}

/**
 * Sets (or with `null` clears) `manager`. A DN-valued attribute must name an
 * existing object, so this is the second pass after all users exist; a missing
 * manager fails with REFERENCED_OBJECT_MISSING (Samba 000020B5, measured).
 */
export async function setManager(session: Session, dn: string, managerDn: string | null): Promise<void> {
  await session.run({ operation: 'setManager', dn }, (client) =>
    client.modify(dn, replaceChange('manager', managerDn === null ? [] : [managerDn])),
  );
}

/**
 * Writes mS-DS-ConsistencyGuid (16 raw bytes), the source anchor Entra Connect
 * uses before falling back to objectGUID
 * (learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-design-concepts#using-ms-ds-consistencyguid-as-sourceanchor).
 */
export async function setConsistencyGuid(session: Session, dn: string, bytes: Uint8Array): Promise<void> {
  bytesToGuid(bytes); // validates the length: AnchorError ANCHOR_BAD_LENGTH otherwise
  await session.run({ operation: 'setConsistencyGuid', dn }, (client) =>
    client.modify(dn, replaceChange('mS-DS-ConsistencyGuid', [Buffer.from(bytes)])),
  );
}

export async function deleteEntry(session: Session, dn: string): Promise<void> {
  await session.run({ operation: 'deleteEntry', dn }, (client) => client.del(dn));
}

/** Sets ACCOUNTDISABLE, keeping every other userAccountControl flag. Returns the new value. */
export async function disableUser(session: Session, dn: string): Promise<number> {
  const entry = await readEntry(session, dn, ['userAccountControl'], 'disableUser');
  if (!entry) throw new DirectoryError('NO_SUCH_OBJECT', `disableUser ${dn}: the entry does not exist`, { dn, operation: 'disableUser' });
  const current = firstNumber(entry, 'userAccountControl');
  if (current === undefined) {
    throw new DirectoryError('UNEXPECTED_RESPONSE', `disableUser ${dn}: the entry has no userAccountControl (not a user?)`, {
      dn,
      operation: 'disableUser',
    });
  }
  const next = current | UAC.ACCOUNTDISABLE;
  if (next !== current) {
    await session.run({ operation: 'disableUser', dn }, (client) => client.modify(dn, replaceChange('userAccountControl', [String(next)])));
  }
  return next;
}

/**
 * Adds values to attributes (LDAP modify `add`, RFC 4511 4.6): never replaces what is
 * there; AD answers attributeOrValueExists (20) for a value already present. GUID
 * attributes (msExchMailboxGuid, msExchArchiveGuid) go as their 16 bytes.
 */
export async function addValues(session: Session, dn: string, add: Readonly<Record<string, readonly string[]>>): Promise<void> {
  const changes = Object.entries(add)
    .filter(([, values]) => values.length > 0)
    .map(
      ([type, values]) =>
        new Change({ operation: 'add', modification: new Attribute({ type, values: isGuidAttribute(type) ? values.map((v) => Buffer.from(guidToBytes(v))) : [...values] }) }),
    );
  if (changes.length === 0) return;
  await session.run({ operation: 'addValues', dn }, (client) => client.modify(dn, changes));
}
