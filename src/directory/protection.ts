/**
 * Is an AD object a protected account (pure)? The rule and its sources are in
 * protected-accounts.ts, which reads the membership; this file only judges what was read.
 */
import type { DirectoryObject } from './types.js';

/** Domain-relative RIDs of the protected groups ([MS-DTYP] 2.4.2.4). */
export const PROTECTED_DOMAIN_GROUP_RIDS: Readonly<Record<number, string>> = {
  512: 'Domain Admins',
  516: 'Domain Controllers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  521: 'Read-only Domain Controllers',
};

/** RIDs under the BUILTIN domain S-1-5-32 ([MS-DTYP] 2.4.2.4). */
export const PROTECTED_BUILTIN_GROUP_RIDS: Readonly<Record<number, string>> = {
  544: 'Administrators',
  548: 'Account Operators',
  549: 'Server Operators',
  550: 'Print Operators',
  551: 'Backup Operators',
  552: 'Replicator',
};

/** Why an object counts as protected; empty: it does not (pure). */
export function protectionOf(object: Pick<DirectoryObject, 'adminCount' | 'primaryGroupId' | 'protectedGroups'>): string[] {
  const why: string[] = [];
  if (object.adminCount !== undefined && object.adminCount !== 0) why.push(`adminCount=${object.adminCount}`);
  if (object.primaryGroupId !== undefined && PROTECTED_DOMAIN_GROUP_RIDS[object.primaryGroupId] !== undefined)
    why.push(`primary group ${PROTECTED_DOMAIN_GROUP_RIDS[object.primaryGroupId]} (RID ${object.primaryGroupId})`);
  for (const group of object.protectedGroups ?? []) why.push(`member of ${group}`);
  return why;
}

