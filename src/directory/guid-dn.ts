/**
 * `<GUID=...>`: the DN form that names an object by its objectGUID, which AD
 * accepts wherever a DN is expected ([MS-ADTS] 3.1.1.3.1.2.4; Samba too, measured
 * 4.17 for search, modify and delete). An object found this way is the one with
 * that GUID even if it was moved, and never another object now at its old DN;
 * rollback and the identifier clear both rely on that.
 */
import { isGuidString } from '../anchor/index.js';
import { DirectoryError } from './directory-error.js';

export function guidDn(objectGuid: string): string {
  if (!isGuidString(objectGuid)) throw new DirectoryError('INVALID_DN', `"${objectGuid}" is not a GUID`, { operation: 'guidDn' });
  return `<GUID=${objectGuid.trim().replace(/^\{|\}$/g, '')}>`;
}
