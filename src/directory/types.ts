import type { ExchangeSchema } from '../exchange/attributes.js';

/**
 * What the directory adapter reads and writes, in plain data. The plan (pure)
 * consumes DirectorySnapshot; apply hands NewUserEntry to the writer.
 */

/** An object already in AD that can collide with what we plan (user, group, computer, contact...). */
export interface DirectoryObject {
  dn: string;
  /** Lower-cased objectClass values, e.g. ['top','person','organizationalperson','user']. */
  objectClass: string[];
  sAMAccountName?: string;
  userPrincipalName?: string;
  mail?: string;
  /** As stored, with their prefixes (`SMTP:`, `smtp:`, `X500:`...). */
  proxyAddresses: string[];
  /** GUID string form (lower case, with dashes), converted from the raw objectGUID bytes. */
  objectGuid: string;
  /** base64 of mS-DS-ConsistencyGuid when set. */
  consistencyGuid?: string;
  userAccountControl?: number;
  /**
   * The Exchange attributes the object holds, of those the forest's schema has (src/exchange/attributes.ts);
   * GUIDs in their string form. Absent when the forest has none or the object holds none.
   */
  exchange?: Record<string, string[]>;
  /** adminCount when set (SDProp sets 1 on members of protected groups: src/directory/protected-accounts.ts). */
  adminCount?: number;
  /** primaryGroupID (a membership memberOf does not show). */
  primaryGroupId?: number;
  /** DNs of the protected groups it is a member of, nested membership counted. */
  protectedGroups?: string[];
}

/**
 * The directory as planning sees it. sAMAccountName and UPN are unique domain-
 * (resp. forest-) wide, so `objects` covers the whole naming context; CN only has
 * to be unique among the target OU's children, hence `cnsInTargetOu`.
 */
export interface DirectorySnapshot {
  /** e.g. `DC=corp,DC=example,DC=test`. */
  domainDn: string;
  /** The OU new users go to. */
  targetOu: string;
  /** false when the target OU does not exist yet (apply creates it). */
  targetOuExists: boolean;
  objects: DirectoryObject[];
  /** CNs (RDN values) of the target OU's direct children, as stored. */
  cnsInTargetOu: string[];
  /** DNs of the domain's OUs and containers (where recovered users may go); absent in snapshots made without reading them. */
  containers?: string[];
  /** The Exchange attributes the forest's schema defines (src/directory/exchange-schema.ts); absent in snapshots made without reading it. */
  exchangeSchema?: ExchangeSchema;
}

/** A user to create, fully decided by the plan. No password here: it travels separately. */
export interface NewUserEntry {
  dn: string;
  /**
   * AD attributes (lDAPDisplayName -> value(s)) without objectClass, unicodePwd,
   * userAccountControl, pwdLastSet and manager: the writer owns those.
   */
  attributes: Record<string, string | string[]>;
  /** Final userAccountControl once the password is set (512 enabled, 514 disabled, 66048 ...). */
  userAccountControl: number;
  /** Set pwdLastSet=0 so the user must change the password at next logon. */
  mustChangePassword: boolean;
  /** Raw 16 bytes for mS-DS-ConsistencyGuid, written on add (recovery path / --set-consistency-guid). */
  consistencyGuid?: Uint8Array;
  /**
   * DN of the user's manager when that object already exists: set in the add
   * itself, saving a modify. A DN that does not exist fails the add (000020B5).
   */
  manager?: string;
}
