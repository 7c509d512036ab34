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

/** What a property entra2ad reads is also used for. */
type PropertyUse =
  /** A `{variable}` of the name and attribute templates (src/plan/names/templates.ts): a string about the person. */
  | 'template'
  /** Many users share its values: src/cloud/compact-user.ts keeps one string per value. */
  | 'shared';

/** The GraphUser properties whose value is a string (or null). */
export type GraphUserStringProperty = { [K in keyof GraphUser]-?: NonNullable<GraphUser[K]> extends string ? K : never }[keyof GraphUser];

/**
 * Every property entra2ad reads, once, with what else it serves: the `$select` list, the
 * template variables and the shared-value properties all come from here, so a property
 * added is read and, where it says so, offered to templates. Only string properties may
 * have a use. Order is irrelevant to Graph; kept by concern (snapshots list users' properties in it).
 */
const USER_PROPERTIES = {
  id: ['template'],
  userPrincipalName: ['template'],
  displayName: ['template'],
  givenName: ['template', 'shared'],
  surname: ['template', 'shared'],
  mail: ['template'],
  mailNickname: ['template'],
  proxyAddresses: [],
  businessPhones: [],
  mobilePhone: ['template'],
  faxNumber: ['template'],
  officeLocation: ['template', 'shared'],
  streetAddress: ['template'],
  city: ['template', 'shared'],
  state: ['template', 'shared'],
  postalCode: ['template', 'shared'],
  country: ['template', 'shared'],
  usageLocation: ['template', 'shared'],
  jobTitle: ['template', 'shared'],
  department: ['template', 'shared'],
  companyName: ['template', 'shared'],
  employeeId: ['template'],
  employeeType: ['template', 'shared'],
  accountEnabled: [],
  userType: ['template', 'shared'],
  creationType: ['shared'],
  onPremisesSyncEnabled: [],
  onPremisesImmutableId: [],
  onPremisesLastSyncDateTime: [],
  onPremisesDistinguishedName: [],
  onPremisesSamAccountName: [],
  onPremisesExtensionAttributes: [],
} as const satisfies { readonly [K in keyof GraphUser]?: readonly (K extends GraphUserStringProperty ? PropertyUse : never)[] };

export type UserSelectProperty = keyof typeof USER_PROPERTIES;

/** The `$select` list entra2ad asks for. */
export const USER_SELECT: readonly UserSelectProperty[] = Object.keys(USER_PROPERTIES) as UserSelectProperty[];

function usedFor(use: PropertyUse): readonly GraphUserStringProperty[] {
  // Only string properties have a use (USER_PROPERTIES' type says so).
  return USER_SELECT.filter((p) => (USER_PROPERTIES[p] as readonly PropertyUse[]).includes(use)) as GraphUserStringProperty[];
}

/** The string properties name and attribute templates may name by their Graph names (src/plan/names/templates.ts). */
export const TEMPLATE_PROPERTIES = usedFor('template');

/** Properties many users share values of (not names, addresses or ids): src/cloud/compact-user.ts. */
export const SHARED_VALUE_PROPERTIES = usedFor('shared');

/** The keys of onPremisesExtensionAttributes, extensionAttribute1..15. */
export const EXTENSION_ATTRIBUTE_NAMES: readonly (keyof OnPremisesExtensionAttributes)[] = Array.from(
  { length: 15 },
  (_, i) => `extensionAttribute${i + 1}` as keyof OnPremisesExtensionAttributes,
);

/**
 * Recovery reads what the cloud remembers of the lost forest too (src/plan/recovered-identity.ts);
 * onPremisesDomainName only matters there, so plain listings (and snapshots) do not carry it.
 */
export const RECOVERY_USER_SELECT = [...USER_SELECT, 'onPremisesDomainName'] as const satisfies readonly (keyof GraphUser)[];
