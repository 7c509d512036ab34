/**
 * Adapts the LDAP adapter (src/directory) to the port apply uses, and fixes the
 * create mode once per run.
 */
import { bytesToGuid } from '../anchor/index.js';
import type { Directory } from '../directory/index.js';
import { isGuidAttribute } from '../exchange/attributes.js';
import type { NewUserEntry } from '../directory/types.js';
import type { DirectoryWriter, FoundUser } from './ports.js';

export function directoryWriter(directory: Directory, options: { passwordOnAdd: boolean; searchBase?: string }): DirectoryWriter {
  return {
    async ensureOu(dn) {
      await directory.ensureOu(dn);
    },
    async createUser(entry: NewUserEntry, password?: string) {
      await directory.createUser(entry, password, { passwordOnAdd: options.passwordOnAdd });
    },
    async finishUser(entry: NewUserEntry, password?: string) {
      await directory.completeUser(entry, password);
    },
    async findUserByUpn(userPrincipalName): Promise<FoundUser | undefined> {
      const found = await directory.findUserByUpn(userPrincipalName, options.searchBase);
      if (!found) return undefined;
      return {
        dn: found.dn,
        objectGuid: found.objectGuid,
        ...(found.consistencyGuid ? { consistencyGuid: found.consistencyGuid } : {}),
        ...(found.sAMAccountName !== undefined ? { sAMAccountName: found.sAMAccountName } : {}),
      };
    },
    readObjectGuid: (dn) => directory.readObjectGuid(dn),
    setManager: (dn, managerDn) => directory.setManager(dn, managerDn),
    setConsistencyGuid: (dn, bytes) => directory.setConsistencyGuid(dn, bytes),
    async readValues(dn, names) {
      const entry = await directory.readUser(dn, [...names]);
      const out: Record<string, string[]> = {};
      for (const name of names) {
        out[name] = isGuidAttribute(name)
          ? (entry.binary[name] ?? []).map((b) => (b.length === 16 ? bytesToGuid(b) : b.toString('hex')))
          : (entry.attributes[name] ?? []);
      }
      return out;
    },
    addValues: (dn, add) => directory.addValues(dn, add),
  };
}
