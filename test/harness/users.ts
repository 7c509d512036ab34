/**
 * Building test users for the harness DC.
 */
import { randomBytes } from 'node:crypto';
import { childDn, UAC, type NewUserEntry } from '../../src/directory/index.js';
import { dcInfo, uniqueSuffix } from './dc.js';

/** The DNS domain of the harness DC's naming context: `DC=corp,DC=example,DC=test` -> `corp.example.test`. */
export function dnsDomain(): string {
  return dcInfo()
    .baseDn.split(',')
    .map((part) => part.trim().replace(/^DC=/i, ''))
    .join('.');
}

/** A password that passes AD's default policy and never repeats across runs. */
export function strongPassword(): string {
  return `Pw-${randomBytes(9).toString('base64url')}-7q`;
}

/** A fresh sAMAccountName (<= 20 chars, the Windows limit). */
export function uniqueSam(prefix = 'u'): string {
  return `${prefix}-${uniqueSuffix(6)}`.slice(0, 20);
}

/**
 * An enabled (512) user in `ou` with a unique sAMAccountName and UPN; `cn`
 * defaults to the sAMAccountName. Override anything.
 */
export function newUser(ou: string, overrides: Partial<NewUserEntry> & { cn?: string; sam?: string } = {}): NewUserEntry {
  const sam = overrides.sam ?? uniqueSam();
  const cn = overrides.cn ?? sam;
  const entry: NewUserEntry = {
    dn: overrides.dn ?? childDn(ou, 'CN', cn),
    attributes: {
      sAMAccountName: sam,
      userPrincipalName: `${sam}@${dnsDomain()}`,
      givenName: 'Test',
      sn: sam,
      displayName: cn,
      ...overrides.attributes,
    },
    userAccountControl: overrides.userAccountControl ?? UAC.NORMAL_ACCOUNT,
    mustChangePassword: overrides.mustChangePassword ?? false,
  };
  if (overrides.consistencyGuid !== undefined) entry.consistencyGuid = overrides.consistencyGuid;
  return entry;
}

export function upnOf(entry: NewUserEntry): string {
  const upn = entry.attributes.userPrincipalName;
  return Array.isArray(upn) ? upn[0]! : upn!;
}
