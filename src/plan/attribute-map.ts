/**
 * The default attribute table, as data: AD attribute (lDAPDisplayName) -> where the
 * value comes from. A `template` is rendered over the Graph user (see
 * names/templates.ts for the variables); a `computed` source is a rule with its own
 * file (proxy-addresses.ts, country.ts). Settings' `attributeMap` overrides any row
 * with another template, adds rows, or drops a row with `null`.
 *
 * Not here on purpose, because other rules own them: sAMAccountName and cn (names/),
 * userAccountControl (accountEnabled, see map-attributes.ts), manager (a DN known
 * only at apply time: the plan carries managerCloudId), unicodePwd (never planned),
 * mS-DS-ConsistencyGuid (recovery path).
 */
export type ComputedSource = 'proxyAddresses' | 'c' | 'co' | 'countryCode';

export type AttributeSource = { template: string } | { computed: ComputedSource };

export interface AttributeRule {
  attribute: string;
  source: AttributeSource;
}

const t = (attribute: string, template: string): AttributeRule => ({ attribute, source: { template } });
const computed = (attribute: ComputedSource): AttributeRule => ({ attribute, source: { computed: attribute } });

export const DEFAULT_ATTRIBUTE_MAP: readonly AttributeRule[] = [
  t('userPrincipalName', '{userPrincipalName}'),
  t('givenName', '{givenName}'),
  t('sn', '{surname}'),
  t('displayName', '{displayName}'),
  t('mail', '{mail}'),
  computed('proxyAddresses'),
  t('mailNickname', '{mailNickname}'),
  t('telephoneNumber', '{businessPhone}'),
  t('mobile', '{mobilePhone}'),
  t('facsimileTelephoneNumber', '{faxNumber}'),
  t('physicalDeliveryOfficeName', '{officeLocation}'),
  t('streetAddress', '{streetAddress}'),
  t('l', '{city}'),
  t('st', '{state}'),
  t('postalCode', '{postalCode}'),
  computed('c'),
  computed('co'),
  computed('countryCode'),
  t('title', '{jobTitle}'),
  t('department', '{department}'),
  t('company', '{companyName}'),
  t('employeeID', '{employeeId}'),
  t('employeeType', '{employeeType}'),
  ...Array.from({ length: 15 }, (_, i) => t(`extensionAttribute${i + 1}`, `{extensionAttribute${i + 1}}`)),
];

/**
 * Attributes settings may not map: the planner or the writer owns them, or they are
 * system-owned in AD. userPrincipalName is kept exactly as in the cloud (the match
 * and the user's sign-in depend on it).
 */
export const RESERVED_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'sAMAccountName',
    'cn',
    'name',
    'distinguishedName',
    'objectClass',
    'objectCategory',
    'objectGUID',
    'objectSid',
    'unicodePwd',
    'userPassword',
    'pwdLastSet',
    'userAccountControl',
    'manager',
    'memberOf',
    'mS-DS-ConsistencyGuid',
    'userPrincipalName',
    'primaryGroupID',
    'sIDHistory',
    'nTSecurityDescriptor',
  ].map((a) => a.toLowerCase()),
);

/**
 * Attributes that change what an account may do or how it authenticates: no attribute
 * map may write them, and apply refuses a plan entry that carries one (PLAN_INVALID),
 * whatever the plan's attributeNames say. Sources (learn.microsoft.com):
 * servicePrincipalName and the delegation attributes msDS-AllowedToDelegateTo /
 * msDS-AllowedToActOnBehalfOfOtherIdentity (windows-server/security/kerberos/kerberos-constrained-delegation-overview),
 * adminCount (AdminSDHolder: windows-server/identity/ad-ds/plan/security-best-practices/appendix-c--protected-accounts-and-groups-in-active-directory),
 * msDS-KeyCredentialLink (Windows Hello for Business key trust), altSecurityIdentities
 * (certificate mapping, KB5014754), msDS-SupportedEncryptionTypes (Kerberos etypes),
 * scriptPath (a logon script the user's session runs), isCriticalSystemObject ([MS-ADTS] 3.1.1.5.2.4).
 */
export const SECURITY_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'servicePrincipalName',
    'adminCount',
    'msDS-AllowedToDelegateTo',
    'msDS-AllowedToActOnBehalfOfOtherIdentity',
    'msDS-KeyCredentialLink',
    'altSecurityIdentities',
    'msDS-SupportedEncryptionTypes',
    'scriptPath',
    'isCriticalSystemObject',
  ].map((a) => a.toLowerCase()),
);

/** Default table with the overrides applied, in a stable order (defaults first, then additions sorted). */
export function effectiveAttributeMap(overrides: Readonly<Record<string, string | null>> = {}): AttributeRule[] {
  const byLower = new Map<string, [string, string | null]>();
  for (const [attr, value] of Object.entries(overrides)) byLower.set(attr.toLowerCase(), [attr, value]);
  const out: AttributeRule[] = [];
  for (const rule of DEFAULT_ATTRIBUTE_MAP) {
    const o = byLower.get(rule.attribute.toLowerCase());
    if (!o) out.push(rule);
    else if (o[1] !== null) out.push(t(rule.attribute, o[1]));
    byLower.delete(rule.attribute.toLowerCase());
  }
  const added = [...byLower.values()].filter(([, v]) => v !== null).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [attr, template] of added) out.push(t(attr, template!));
  return out;
}
