/**
 * The Graph user as entra2ad reads it: exactly the properties named in
 * USER_SELECT, in Graph's own JSON shape (GET /v1.0/users?$select=...).
 *
 * Graph returns `null` for an unset scalar and `[]` for an empty collection
 * (learn.microsoft.com/graph/api/resources/user). Properties outside the 11
 * defaults come back only when named in `$select`.
 */

export interface OnPremisesExtensionAttributes {
  extensionAttribute1: string | null;
  extensionAttribute2: string | null;
  extensionAttribute3: string | null;
  extensionAttribute4: string | null;
  extensionAttribute5: string | null;
  extensionAttribute6: string | null;
  extensionAttribute7: string | null;
  extensionAttribute8: string | null;
  extensionAttribute9: string | null;
  extensionAttribute10: string | null;
  extensionAttribute11: string | null;
  extensionAttribute12: string | null;
  extensionAttribute13: string | null;
  extensionAttribute14: string | null;
  extensionAttribute15: string | null;
}

export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  mailNickname: string | null;
  proxyAddresses: string[];
  businessPhones: string[];
  mobilePhone: string | null;
  faxNumber: string | null;
  officeLocation: string | null;
  streetAddress: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  usageLocation: string | null;
  jobTitle: string | null;
  department: string | null;
  companyName: string | null;
  employeeId: string | null;
  employeeType: string | null;
  accountEnabled: boolean | null;
  /** `Member` or `Guest`. */
  userType: string | null;
  creationType?: string | null;
  onPremisesSyncEnabled: boolean | null;
  onPremisesImmutableId: string | null;
  onPremisesLastSyncDateTime?: string | null;
  onPremisesDistinguishedName?: string | null;
  onPremisesSamAccountName?: string | null;
  /** DNS name of the AD domain the user was synced from (recovery: the old base DN when the old DN has no DC=). */
  onPremisesDomainName?: string | null;
  /**
   * Set when the user was synced from AD before. Since July 2026 a hard match is
   * refused for such users (learn.microsoft.com/entra/fundamentals/whats-new, MC1263280;
   * learn.microsoft.com/entra/identity/hybrid/connect/how-to-connect-install-existing-tenant).
   */
  onPremisesObjectIdentifier?: string | null;
  onPremisesExtensionAttributes: OnPremisesExtensionAttributes | null;
  /** Present only with `$expand=manager($select=id)`. */
  manager?: { id: string } | null;
}

/** The `$select` list entra2ad asks for. Order is irrelevant; kept sorted by concern. */
export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'displayName',
  'givenName',
  'surname',
  'mail',
  'mailNickname',
  'proxyAddresses',
  'businessPhones',
  'mobilePhone',
  'faxNumber',
  'officeLocation',
  'streetAddress',
  'city',
  'state',
  'postalCode',
  'country',
  'usageLocation',
  'jobTitle',
  'department',
  'companyName',
  'employeeId',
  'employeeType',
  'accountEnabled',
  'userType',
  'creationType',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'onPremisesLastSyncDateTime',
  'onPremisesDistinguishedName',
  'onPremisesSamAccountName',
  'onPremisesExtensionAttributes',
] as const satisfies readonly (keyof GraphUser)[];

/**
 * Recovery reads what the cloud remembers of the lost forest too (src/plan/recovered-identity.ts);
 * onPremisesDomainName only matters there, so plain listings (and snapshots) do not carry it.
 */
export const RECOVERY_USER_SELECT = [...USER_SELECT, 'onPremisesDomainName'] as const satisfies readonly (keyof GraphUser)[];
