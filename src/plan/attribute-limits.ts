/**
 * Maximum value lengths (schema rangeUpper) of the AD attributes entra2ad writes.
 *
 * Base schema: Microsoft's published AD DS schema, "AD_DS_Attributes Windows Server
 * 2016" LDF (MS-ADA1/2/3; Samba ships the same file as
 * setup/ad-schema/AD_DS_Attributes__Windows_Server_2016.ldf). For String(Unicode)
 * attributes rangeUpper is a count of Unicode characters (MS-ADA3 "rangeUpper").
 * Note `title` is 128 since Windows Server 2008 R2's schema (64 before).
 *
 * Exchange schema (present only where the forest was prepared for Exchange):
 * mailNickname 64; extensionAttribute1-15 1024 (Exchange 2003 SDK
 * "ms-Exch-Extension-Attribute-N": 1024 for 1-10, 2048 for 11-15; Graph stores at
 * most 1024 for each, learn.microsoft.com/graph/api/resources/onpremisesextensionattributes,
 * so 1024 is both safe and lossless).
 *
 * Values longer than this are cut by the planner with a per-user warning, never sent
 * to the DC to fail there (Samba/Windows answer 19 constraintViolation or 21).
 */
export const ATTRIBUTE_MAX_LENGTH: Readonly<Record<string, number>> = {
  cn: 64,
  givenName: 64,
  sn: 64,
  initials: 6,
  displayName: 256,
  description: 1024,
  title: 128,
  department: 64,
  company: 64,
  telephoneNumber: 64,
  mobile: 64,
  facsimileTelephoneNumber: 64,
  physicalDeliveryOfficeName: 128,
  streetAddress: 1024,
  l: 128,
  st: 128,
  postalCode: 40,
  c: 3,
  co: 128,
  mail: 256,
  proxyAddresses: 1123,
  userPrincipalName: 1024,
  employeeID: 16,
  employeeType: 256,
  info: 1024,
  mailNickname: 64,
  ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extensionAttribute${i + 1}`, 1024])),
};

/** countryCode is an Integer attribute: rangeLower 0, rangeUpper 65535. */
export const COUNTRY_CODE_MAX = 65535;

/** Attributes defined only by the Exchange schema extension: writing them elsewhere fails with noSuchAttribute. */
export const EXCHANGE_SCHEMA_ATTRIBUTES: ReadonlySet<string> = new Set([
  'mailNickname',
  ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
]);
