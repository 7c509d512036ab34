/**
 * Every reason code a plan entry can carry, with its action. Codes are stable: scripts
 * match on them; messages may be reworded. The human sentence for skip/blocked says
 * what to do about it.
 */
import type { PlanAction } from './types.js';

export const REASONS = {
  CREATE_NEW: 'create',
  RECOVER_CONSISTENCY_GUID: 'create',
  /** Recovery, but the cloud lacks the old sAMAccountName or DN (older Entra Connect): templates and/or targetOu. */
  RECOVER_TEMPLATE_FALLBACK: 'create',
  ADOPT_EXISTING_UPN: 'adopt',
  ADOPT_ALREADY_RECOVERED: 'adopt',
  SKIP_SYNCED: 'skip',
  SKIP_GUEST: 'skip',
  SKIP_OUT_OF_SCOPE_DOMAIN: 'skip',
  SKIP_EXCLUDED: 'skip',
  SKIP_NOT_INCLUDED: 'skip',
  SKIP_NOT_IN_GROUP: 'skip',
  SKIP_DISABLED: 'skip',
  SKIP_HAS_IMMUTABLE_ID: 'skip',
  SKIP_PREVIOUSLY_SYNCED: 'skip',
  BLOCKED_RECOVER_NOT_GUID: 'blocked',
  BLOCKED_RECOVER_NO_IMMUTABLE_ID: 'blocked',
  BLOCKED_RECOVER_UPN_IN_USE: 'blocked',
  /** The old sAMAccountName or DN is held by another object (onNameTaken: block). */
  BLOCKED_RECOVER_NAME_IN_USE: 'blocked',
  /** The user's source of authority is the cloud (isCloudManaged true); recover.cloudManaged: "recover" plans it anyway. */
  BLOCKED_RECOVER_CLOUD_MANAGED: 'blocked',
  /** The old sAMAccountName or CN breaks Windows' rules, or the old DN cannot be moved into the target domain. */
  BLOCKED_RECOVER_INVALID_OLD_NAME: 'blocked',
  BLOCKED_UPN_IN_USE_BY_NON_USER: 'blocked',
  BLOCKED_PROXY_ADDRESS_IN_USE: 'blocked',
  BLOCKED_INVALID_USER: 'blocked',
  BLOCKED_DUPLICATE_INPUT: 'blocked',
  /** Guards (src/plan/guards.ts): Entra ID would refuse the match for this user. */
  BLOCKED_PRIVILEGED_ROLE: 'blocked',
  BLOCKED_PREVIOUSLY_SYNCED_OBJECT: 'blocked',
  /** onPremisesObjectIdentifier could not be read for this user (and the admin did not allow unknown). */
  BLOCKED_OBJECT_IDENTIFIER_UNKNOWN: 'blocked',
  BLOCKED_FEDERATED_DOMAIN: 'blocked',
  /**
   * Sensitive writes (src/graph/sensitive-actions.ts): the app may not change this user's
   * onPremisesImmutableId (Graph answers 403), so no AD account is made for it.
   */
  BLOCKED_SENSITIVE_ADMIN_ROLE: 'blocked',
  BLOCKED_ROLE_ASSIGNABLE_GROUP: 'blocked',
  BLOCKED_RESTRICTED_ADMIN_UNIT: 'blocked',
  /** The AD user with this UPN is a protected account (adminCount, Domain Admins...): not adopted unless plan.adoptProtectedUpns names the user. */
  BLOCKED_PROTECTED_ACCOUNT: 'blocked',
} as const satisfies Record<string, PlanAction>;

export type ReasonCode = keyof typeof REASONS;

export const actionOf = (reason: ReasonCode): PlanAction => REASONS[reason];

/** Per-user warning codes (the entry still goes ahead). */
export const WARNINGS = {
  WARN_TRUNCATED: 'a value was longer than the AD schema allows and was cut',
  WARN_CONTROL_CHARACTERS_REMOVED: 'control characters were removed from a value',
  WARN_VALUE_DROPPED: 'a value could not be written and was left out',
  WARN_COUNTRY_UNKNOWN: 'the cloud country was not recognised as an ISO 3166 country',
  WARN_PROXY_ALIAS_IN_USE: 'a secondary proxy address is on another AD object and was left out',
  WARN_SAM_FALLBACK: 'no template gave a usable sAMAccountName; an id-derived one was used',
  WARN_SAM_SUFFIXED: 'the preferred sAMAccountName was taken; a numeric suffix was added',
  WARN_CN_SUFFIXED: 'the CN was taken in the OU; a suffix was added',
  WARN_CN_TRUNCATED: 'the CN was cut to 64 characters',
  WARN_HARD_MATCH_MAY_BE_BLOCKED:
    'the cloud user has onPremisesObjectIdentifier; since July 2026 the match to a new AD object is refused until that mapping is cleared',
  WARN_OBJECT_IDENTIFIER_BYPASSED:
    'the cloud user has onPremisesObjectIdentifier, planned only because the tenant has allowOnPremUpdateOfOnPremisesObjectIdentifierEnabled on (a temporary bypass): sync before it is turned off',
  WARN_OBJECT_IDENTIFIER_UNKNOWN:
    'onPremisesObjectIdentifier could not be read for this user; planned anyway because the admin allowed it (--allow-unknown-object-identifier)',
  WARN_ADOPT_DISABLED_ACCOUNT: 'the AD user being adopted is disabled',
  WARN_ADOPT_PROTECTED_ACCOUNT: 'the AD user being adopted is a protected account (adminCount, Domain Admins...); adopted only because plan.adoptProtectedUpns names this user',
  WARN_RECOVER_CLOUD_MANAGED:
    'the user is cloud-managed (isCloudManaged true) and recovered only because recover.cloudManaged is "recover": its AD object will not take it over until the source of authority is handed back',
  WARN_MAILBOX_UNKNOWN: 'whether the user has an Exchange Online mailbox could not be read (e.g. no MailboxSettings.Read): only mail and proxyAddresses are carried over',
  WARN_MAILBOX_KIND_UNSUPPORTED: 'the mailbox is of a kind with no remote-mailbox values here (linked, others): only its addresses are carried over',
  WARN_MAILBOX_KIND_DIFFERS: 'Graph and the Exchange CSV disagree about the mailbox; the message says which one is used',
  WARN_NO_ROUTING_ADDRESS: 'the mailbox has no *.mail.onmicrosoft.com address: targetAddress cannot be set',
  WARN_NO_EXCHANGE_GUID: 'no Exchange CSV row for this mailbox: msExchMailboxGuid and the X500 address cannot be set',
  WARN_EXCHANGE_NOT_IN_SCHEMA: "the mailbox needs Exchange attributes the forest's schema does not have: only mail and proxyAddresses are written",
  WARN_MAILBOX_LOSS: 'verify: a mailbox user is about to be matched to an AD object without some of its addresses or Exchange attributes; the message names them',
  WARN_EXCHANGE_DIFFERS: 'an Exchange attribute on the AD object differs from the cloud; reported, never overwritten',
  WARN_RECOVER_RENAMED: 'a recovered user did not get its old name back (onNameTaken: rename); the message says the old name and why',
} as const;

export type WarningCode = keyof typeof WARNINGS;

/**
 * Tenant-level guard findings (Plan.tenantFindings), with their level. `stop` findings
 * make the plan a tenant stop: apply refuses before any write (exit 1).
 */
export const TENANT_FINDINGS = {
  STOP_HARD_MATCH_TAKEOVER_BLOCKED: 'stop',
  NOTE_HARD_MATCH_TAKEOVER_BLOCKED: 'note',
  NOTE_SOFT_MATCH_BLOCKED: 'note',
  WARN_SYNC_FEATURES_UNKNOWN: 'warning',
  WARN_PASSWORD_HASH_SYNC: 'warning',
  WARN_GUARDS_INCOMPLETE: 'warning',
} as const satisfies Record<string, 'stop' | 'warning' | 'note'>;

export type TenantFindingCode = keyof typeof TENANT_FINDINGS;

/** The actions after which the user has an AD object to anchor: created by us, or adopted. */
export function getsAdObject(entry: { action: PlanAction }): boolean {
  return entry.action === 'create' || entry.action === 'adopt';
}
