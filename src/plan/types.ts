import type { ExchangeSchema } from '../exchange/attributes.js';
import type { ExoCsvProblem } from '../exchange/exo-csv.js';
import type { MailboxKind } from '../exchange/recipient-values.js';
import type { RecoveryPlacement } from './recovered-identity.js';

/**
 * The plan: what entra2ad will do for every selected cloud user. Built by pure
 * functions from the cloud users and the directory snapshot; serialised as
 * plan.json and executed as-is by apply. Contains no password.
 */

export type PlanAction = 'create' | 'adopt' | 'skip' | 'blocked';

/** How the initial password is chosen (never stored in the plan). */
export const PASSWORD_MODES = ['random', 'fixed', 'none'] as const;
export type PasswordMode = (typeof PASSWORD_MODES)[number];

/** Something the planner changed or could not carry over for one user; the entry still goes ahead. */
export interface PlanWarning {
  /** Stable code, e.g. WARN_TRUNCATED, WARN_COUNTRY_UNKNOWN. */
  code: string;
  /** The AD attribute (or name) concerned. */
  field?: string;
  message: string;
}

/** The cloud values a reviewer wants to see beside the decision (plan.csv columns). */
export interface PlanEntryCloud {
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  department: string | null;
  jobTitle: string | null;
  accountEnabled: boolean | null;
}

export interface PlanEntry {
  /** Graph object id of the cloud user. */
  cloudId: string;
  userPrincipalName: string;
  displayName: string | null;
  action: PlanAction;
  /** Stable reason code, e.g. CREATE_NEW, SKIP_GUEST, BLOCKED_UPN_IN_USE. */
  reason: string;
  /** One human sentence saying why, and what to do about it when action is skip/blocked. */
  message: string;
  /** For create: the planned AD names. For adopt: those of the existing object. */
  sAMAccountName?: string;
  cn?: string;
  dn?: string;
  /** For create: AD attributes (see NewUserEntry.attributes). */
  attributes?: Record<string, string | string[]>;
  userAccountControl?: number;
  mustChangePassword?: boolean;
  passwordMode?: PasswordMode;
  /** Recovery in place: the lost object's sAMAccountName and DN, as the cloud remembers them. */
  oldSAMAccountName?: string;
  oldDn?: string;
  /** Cloud id of the manager; resolved to a DN in the manager pass. */
  managerCloudId?: string;
  /** For adopt: the existing AD object's GUID (string form). */
  existingObjectGuid?: string;
  /**
   * For adopt: the immutableId apply writes to the cloud user: base64 of the object's
   * mS-DS-ConsistencyGuid when set (Connect uses that as sourceAnchor), else of its
   * objectGUID. For create it is known only after the add (objectGUID).
   */
  plannedImmutableId?: string;
  /** The cloud user's current onPremisesImmutableId, as read. */
  currentImmutableId: string | null;
  /** Recovery path: base64 ConsistencyGuid to stamp, equal to currentImmutableId. No cloud write. */
  recoverConsistencyGuid?: string;
  /**
   * Recovery in place: OUs of the old place the directory lacked when planned, top-down,
   * each on the first entry that needs it (src/plan/ous-to-create.ts). plan.ldif adds
   * them before this entry; apply creates whatever is missing anyway.
   */
  ousToCreate?: string[];
  /**
   * Hash of the inputs that matter for this entry (UPN, immutableId, planned names),
   * so apply can refuse a plan whose inputs changed since review.
   */
  fingerprint: string;
  /** Cloud values for review (not used by apply). */
  cloud?: PlanEntryCloud;
  /** Per-user warnings (truncations, unknown country, dropped aliases...). */
  warnings?: PlanWarning[];
  /** What of the user's mail and mailbox ends up in AD (plan.csv columns mailbox, exchangeStamp, exchangeNotInSchema). */
  exchange?: PlanEntryExchange;
}

export interface PlanEntryExchange {
  /** The Exchange Online mailbox's kind; null: none, or not known (see the warnings). */
  mailbox: MailboxKind | null;
  /** Mail and Exchange attributes written for the user (create) or to be stamped (adopt: the missing ones, decided at apply). */
  stamp: string[];
  /** Attributes the user's mailbox needs that the forest's schema does not have. */
  notInSchema: string[];
  /** Adopt: the mail and Exchange values the object should carry; apply adds the absent ones and reports the different ones (never overwrites). */
  planned?: Record<string, string | string[]>;
}

export interface PlanSummary {
  total: number;
  byAction: Record<PlanAction, number>;
  byReason: Record<string, number>;
  /** Number of warnings per warning code, over all entries. */
  byWarning?: Record<string, number>;
}

/**
 * A tenant-level guard finding (src/plan/guards.ts): `stop` means apply must not
 * write anything while it holds; `warning` and `note` are for the reviewer.
 */
export interface TenantFinding {
  level: 'stop' | 'warning' | 'note';
  /** Stable code, e.g. STOP_HARD_MATCH_TAKEOVER_BLOCKED (src/plan/reasons.ts TENANT_FINDINGS). */
  code: string;
  /** What Microsoft does, and what to do about it. */
  message: string;
}

/** plan.recover as far as apply needs it to check where a recovered user may go. */
export interface PlanRecovery {
  placement: RecoveryPlacement;
  /** Old DN -> new DN (settings' dnMap), as the plan applied it. */
  dnMap: Record<string, string>;
}

export interface Plan {
  /** Plan file format version; apply refuses versions it does not know. */
  formatVersion: 1;
  createdAt: string;
  tool: { name: 'entra2ad'; version: string };
  tenantId: string;
  domainDn: string | null;
  targetOu: string;
  /** false when planned without reading the directory: uniqueness only checked within the plan. */
  directoryChecked: boolean;
  /**
   * Whether the target OU existed when planned; false: apply (and plan.ldif) create it
   * first. null when the directory was not read.
   */
  targetOuExists?: boolean | null;
  /**
   * The AD attributes this plan's attribute map may write (src/plan/attribute-map.ts,
   * Exchange attributes only with exchangeSchema): apply refuses an entry with any other
   * (PLAN_INVALID). Absent only in plans held in memory by older callers.
   */
  attributeNames?: string[];
  /** The recovery settings the plan was made with (plan.recover), when recovery was on: where recovered users go. */
  recover?: PlanRecovery;
  /**
   * sha256 of each plan-level field apply acts on (src/plan/fingerprint.ts HEAD_FIELDS),
   * so an edit of targetOu, tenantId, domainDn, the attribute names or the recovery
   * settings is refused (PLAN_EDITED) naming the field.
   */
  headFingerprints?: Record<string, string>;
  /** Which Exchange attributes the plan may write, and where that came from (the forest's schema, or settings). Absent in older plans. */
  exchangeSchema?: ExchangeSchema;
  /** The Exchange Online export (--exchange-csv): usable rows, and every problem by row and user (none stops the plan). */
  exchangeCsv?: { rows: number; problems: ExoCsvProblem[] };
  entries: PlanEntry[];
  summary: PlanSummary;
  /**
   * Tenant-level guard findings; present only when the plan was made with the tenant's
   * guards read (plan, apply, preflight against a tenant).
   */
  tenantFindings?: TenantFinding[];
  /** Set when a finding forbids any write (e.g. hard-match takeover blocked): apply refuses, exit 1. */
  tenantStop?: TenantFinding;
}
