/**
 * What Graph knows about the properties of a user, as far as the simulator
 * needs it: which exist, which come back by default, which are collections,
 * which a PATCH may set, and how each may be used in $filter.
 *
 * Sources:
 * - learn.microsoft.com/graph/api/resources/user (properties, defaults, read-only)
 * - learn.microsoft.com/graph/api/user-update (settable properties)
 * - learn.microsoft.com/graph/aad-advanced-queries (the $filter support table)
 */

/** Returned by GET /users and GET /users/{id} without $select, in Graph's order. */
export const DEFAULT_USER_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

/** Collection-valued properties: Graph answers `[]`, never null. */
export const COLLECTION_PROPERTIES: ReadonlySet<string> = new Set([
  'assignedLicenses',
  'assignedPlans',
  'businessPhones',
  'identities',
  'imAddresses',
  'interests',
  'licenseAssignmentStates',
  'onPremisesProvisioningErrors',
  'otherMails',
  'pastProjects',
  'provisionedPlans',
  'proxyAddresses',
  'responsibilities',
  'schools',
  'serviceProvisioningErrors',
  'skills',
]);

/** Every v1.0 user property the simulator accepts in $select (canonical spelling). */
export const USER_PROPERTIES: readonly string[] = [
  'aboutMe', 'accountEnabled', 'ageGroup', 'assignedLicenses', 'assignedPlans', 'authorizationInfo', 'birthday',
  'businessPhones', 'city', 'companyName', 'consentProvidedForMinor', 'country', 'createdDateTime', 'creationType',
  'customSecurityAttributes', 'deletedDateTime', 'department', 'displayName', 'employeeHireDate',
  'employeeLeaveDateTime', 'employeeId', 'employeeOrgData', 'employeeType', 'externalUserState',
  'externalUserStateChangeDateTime', 'faxNumber', 'givenName', 'hireDate', 'id', 'identities', 'imAddresses',
  'interests', 'isManagementRestricted', 'isResourceAccount', 'jobTitle', 'lastPasswordChangeDateTime',
  'legalAgeGroupClassification', 'licenseAssignmentStates', 'mail', 'mailboxSettings', 'mailNickname',
  'mobilePhone', 'mySite', 'officeLocation', 'onPremisesDistinguishedName', 'onPremisesDomainName',
  'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime',
  'onPremisesProvisioningErrors', 'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled', 'onPremisesUserPrincipalName', 'otherMails',
  'passwordPolicies', 'passwordProfile', 'pastProjects', 'postalCode', 'preferredDataLocation',
  'preferredLanguage', 'preferredName', 'provisionedPlans', 'proxyAddresses', 'responsibilities', 'schools',
  'securityIdentifier', 'serviceProvisioningErrors', 'showInAddressList', 'signInActivity',
  'signInSessionsValidFromDateTime', 'skills', 'state', 'streetAddress', 'surname', 'usageLocation',
  'userPrincipalName', 'userType',
];

/**
 * User properties served on /beta only. `onPremisesObjectIdentifier` is in no
 * v1.0 schema (microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl; see
 * src/sim/metadata/), while Microsoft's hard-match hardening docs read and clear
 * it on /beta/users (learn.microsoft.com/entra/identity/hybrid/connect/tshoot-clear-on-premises-attributes).
 */
export const BETA_ONLY_USER_PROPERTIES: readonly string[] = ['onPremisesObjectIdentifier'];

/** The Graph API versions the simulator serves. */
export type ApiVersion = 'v1.0' | 'beta';
export const API_VERSIONS: readonly ApiVersion[] = ['v1.0', 'beta'];

/** Every user property served on `version` (canonical spelling). */
export function userPropertiesOf(version: ApiVersion): readonly string[] {
  return version === 'beta' ? [...USER_PROPERTIES, ...BETA_ONLY_USER_PROPERTIES] : USER_PROPERTIES;
}

const BY_LOWER: Record<ApiVersion, ReadonlyMap<string, string>> = {
  'v1.0': new Map(userPropertiesOf('v1.0').map((p) => [p.toLowerCase(), p])),
  beta: new Map(userPropertiesOf('beta').map((p) => [p.toLowerCase(), p])),
};

/**
 * Lower-cased name -> canonical name on `version`. Graph matches property names
 * case-insensitively; a name the version does not declare is undefined (the
 * caller answers Graph's "does not exist as a declared property" 400).
 */
export function userPropertyByLower(version: ApiVersion): ReadonlyMap<string, string> {
  return BY_LOWER[version];
}

/** Properties PATCH /users/{id} may set (learn.microsoft.com/graph/api/user-update). */
export const WRITABLE_USER_PROPERTIES: ReadonlySet<string> = new Set([
  'aboutMe', 'accountEnabled', 'ageGroup', 'birthday', 'businessPhones', 'city', 'companyName',
  'consentProvidedForMinor', 'country', 'customSecurityAttributes', 'department', 'displayName',
  'employeeHireDate', 'employeeLeaveDateTime', 'employeeId', 'employeeOrgData', 'employeeType', 'faxNumber',
  'givenName', 'hireDate', 'identities', 'interests', 'jobTitle', 'mail', 'mailNickname', 'mobilePhone', 'mySite',
  'officeLocation', 'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'otherMails', 'passwordPolicies',
  'passwordProfile', 'pastProjects', 'postalCode', 'preferredDataLocation', 'preferredLanguage', 'preferredName',
  'responsibilities', 'schools', 'showInAddressList', 'skills', 'state', 'streetAddress', 'surname',
  'usageLocation', 'userPrincipalName', 'userType',
]);

/**
 * Properties the cloud still masters for a user that is (or was) synced from
 * AD; everything else is refused with "originated within an external service".
 * (learn.microsoft.com/entra/identity/hybrid/connect/reference-connect-sync-attributes-synchronized)
 */
export const CLOUD_MASTERED_FOR_SYNCED_USERS: ReadonlySet<string> = new Set([
  'usageLocation',
  'passwordPolicies',
  'preferredDataLocation',
]);

/** How an operator may be used on a property in $filter. */
export type FilterSupport = 'default' | 'advanced';

export interface PropertyFilterSupport {
  eq?: FilterSupport;
  /** `ne` and `not` are advanced-only wherever eq works (aad-advanced-queries). */
  startsWith?: FilterSupport;
  /** Only mail, otherMails, userPrincipalName and proxyAddresses, and only advanced. */
  endsWith?: FilterSupport;
  /** Comparing with null. */
  null?: FilterSupport;
}

const D: FilterSupport = 'default';
const A: FilterSupport = 'advanced';

/**
 * The user rows of the $filter table in learn.microsoft.com/graph/aad-advanced-queries
 * (include filter-directory-objects.md). A property missing here does not
 * support $filter at all. `in` follows `eq`.
 */
export const USER_FILTER_SUPPORT: Readonly<Record<string, PropertyFilterSupport>> = {
  accountEnabled: { eq: D },
  ageGroup: { eq: D },
  assignedLicenses: { eq: D },
  assignedPlans: { eq: D },
  businessPhones: { eq: D },
  city: { eq: D, startsWith: D, null: A },
  companyName: { eq: A, startsWith: A, null: A },
  consentProvidedForMinor: { eq: D },
  country: { eq: D, startsWith: D, null: A },
  createdDateTime: { eq: D },
  creationType: { eq: D },
  department: { eq: D, startsWith: D, null: A },
  displayName: { eq: D, startsWith: D, null: A },
  employeeHireDate: { eq: A },
  employeeId: { eq: D, startsWith: D, null: A },
  employeeType: { eq: A, startsWith: A },
  givenName: { eq: D, startsWith: D, null: A },
  id: { eq: D },
  identities: { eq: D },
  imAddresses: { eq: D, startsWith: D },
  isResourceAccount: { eq: D },
  jobTitle: { eq: D, startsWith: D, null: A },
  mail: { eq: D, startsWith: D, endsWith: A, null: A },
  mailNickname: { eq: D, startsWith: D, null: A },
  mobilePhone: { eq: A, startsWith: A, null: A },
  officeLocation: { eq: A, startsWith: A, null: A },
  onPremisesExtensionAttributes: { eq: A },
  onPremisesImmutableId: { eq: A },
  onPremisesLastSyncDateTime: { eq: A },
  onPremisesSamAccountName: { eq: A, startsWith: A },
  onPremisesSecurityIdentifier: { eq: D, null: A },
  onPremisesSyncEnabled: { eq: D },
  onPremisesUserPrincipalName: { eq: D, startsWith: D },
  otherMails: { eq: D, startsWith: D, endsWith: A },
  passwordPolicies: { eq: A, null: A },
  postalCode: { eq: A, startsWith: A, null: A },
  preferredLanguage: { eq: A, startsWith: A, null: A },
  proxyAddresses: { eq: D, startsWith: D, endsWith: A, null: A },
  showInAddressList: { eq: A },
  state: { eq: D, startsWith: D, null: A },
  streetAddress: { eq: A, startsWith: A, null: A },
  surname: { eq: D, startsWith: D, null: A },
  usageLocation: { eq: D, startsWith: D },
  userPrincipalName: { eq: D, startsWith: D, endsWith: A },
  userType: { eq: D, null: A },
};

/** $orderby on users: displayName and userPrincipalName by default, createdDateTime advanced. */
export const USER_ORDERBY_SUPPORT: Readonly<Record<string, FilterSupport>> = {
  displayName: D,
  userPrincipalName: D,
  createdDateTime: A,
  deletedDateTime: A,
};
